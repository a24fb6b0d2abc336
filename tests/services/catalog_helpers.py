"""Shared helpers of the Catalog suites: valid resources to start from and error assertions."""

from __future__ import annotations

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

import driftline
from driftline.catalog.v1 import data_schema_pb2 as ds, model_pb2, task_pb2
from driftline.common.v1 import money_pb2

REGRESSION = task_pb2.TASK_TYPE_REGRESSION
BINARY = task_pb2.TASK_TYPE_CLASSIFICATION_BINARY
TABULAR = task_pb2.DATA_STRUCTURE_TABULAR


def column(name, role, data_type, **fields) -> ds.ColumnInfo:
    return ds.ColumnInfo(
        name=name,
        role=getattr(ds, f"COLUMN_ROLE_{role}"),
        data_type=getattr(ds, f"DATA_TYPE_{data_type}"),
        **fields,
    )


def binary_task(client, project_id: str, name: str = "churn", **overrides) -> str:
    arguments = dict(
        project_id=project_id,
        name=name,
        tags=["q3"],
        task_type=BINARY,
        data_structure=TABULAR,
        positive_class="yes",
        cost_info=task_pb2.BinaryClassificationTaskCostInfo(
            currency=money_pb2.CURRENCY_EURO, false_positive_cost="5", false_negative_cost="50.25"
        ),
    )
    arguments.update(overrides)
    return client.create_task(**arguments)


def binary_schema(model_id: str | None = None) -> list[ds.ColumnInfo]:
    columns = [
        column("sample_id", "ID", "STRING"),
        column("timestamp", "TIME_ID", "FLOAT"),
        column("age", "INPUT", "FLOAT"),
        column("plan", "INPUT", "CATEGORICAL", possible_values=["basic", "pro"]),
        column("label", "TARGET", "CATEGORICAL", possible_values=["yes", "no"]),
    ]
    if model_id:
        columns.append(
            column(
                "prediction",
                "PREDICTION",
                "CATEGORICAL",
                possible_values=["yes", "no"],
                model_id=model_id,
                predicted_target="label",
            )
        )
        columns.append(
            column(
                "probability",
                "PREDICTION",
                "FLOAT",
                model_id=model_id,
                sub_role=ds.COLUMN_SUB_ROLE_MODEL_PROBABILITY,
            )
        )
    return columns


def accuracy_model(
    client, task_id: str, name: str = "gbm", version: str = "v1", **overrides
) -> str:
    arguments = dict(
        task_id=task_id,
        name=name,
        version=version,
        metric_name=model_pb2.MODEL_METRIC_NAME_ACCURACY,
        preferred_suggestion_type=model_pb2.SUGGESTION_TYPE_SAMPLE_WEIGHTS,
        with_probabilistic_output=True,
        retraining_cost=120.5,
    )
    arguments.update(overrides)
    return client.create_model(**arguments)


def assert_error(
    error: driftline.DriftlineError, code: grpc.StatusCode, reason: str, field: str | None = None
) -> None:
    """The status code, the ErrorInfo reason and (when given) a BadRequest field violation, read
    from the raw status details the server sent."""
    assert error.status_code == code, error
    status = rpc_status.from_call(error.rpc_error)
    assert status is not None, "the status carries no google.rpc details"
    infos, fields = [], []
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            infos.append(info.reason)
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad_request = error_details_pb2.BadRequest()
            detail.Unpack(bad_request)
            fields += [violation.field for violation in bad_request.field_violations]
    assert infos == [reason], (infos, error)
    if field is not None:
        assert field in fields, (fields, error)


def raises(code: grpc.StatusCode, reason: str, field: str | None = None):
    """``with raises(...)``: the block fails with exactly this status, reason and field."""

    class _Check:
        def __enter__(self):
            self._context = pytest.raises(driftline.DriftlineError)
            self._info = self._context.__enter__()
            return self._info

        def __exit__(self, *exc_info):
            suppressed = self._context.__exit__(*exc_info)
            if suppressed:
                assert_error(self._info.value, code, reason, field)
            return suppressed

    return _Check()
