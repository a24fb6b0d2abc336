"""Monitoring's proto <-> domain conversions: every message the service reads back round-trips,
and every domain enum value has its proto value."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from driftline.monitoring.v1 import monitoring_pb2 as mpb
from driftline_server.monitoring import conversions as convert
from driftline_server.monitoring.domain import Reference
from driftline_server.monitoring.models import ReferenceRow
from driftline_server.monitoring.vocabulary import (
    MonitoringMetric,
    MonitoringTarget,
    ReferenceState,
)
from driftline_server.platform.errors import InvalidArgument

QUANTITY = {
    "target": "INPUT", "metric": "FEATURE", "feature": "age", "columns": ["age"],
    "statistic": "value", "detector": "batch_test", "warning_threshold": 0.01,
    "drift_threshold": 0.001, "warning_mean_run_length": 0.0,
    "drift_mean_run_length": 0.0, "sample_count": 400,
}


@pytest.mark.parametrize("domain_enum", [MonitoringTarget, MonitoringMetric, ReferenceState])
def test_every_domain_value_has_a_proto_value(domain_enum):
    for value in domain_enum:
        number = convert.enum_to_proto(domain_enum, value)
        assert number != 0
        assert convert.enum_from_proto(domain_enum, number, "field") is value


def test_unknown_enum_numbers_are_invalid_arguments():
    with pytest.raises(InvalidArgument):
        convert.enum_from_proto(MonitoringTarget, 999, "quantities.target")


def test_quantities_and_skipped_targets_round_trip():
    assert convert.quantity_from_proto(convert.quantity_to_proto(QUANTITY)) == QUANTITY
    whole = dict(QUANTITY, metric="", feature="", columns=["age", "plan"],
                 statistic="reconstruction_error")
    assert convert.quantity_from_proto(convert.quantity_to_proto(whole)) == whole
    skipped = {"target": "ERROR", "reason": "no prediction of the model matches a TARGET column"}
    assert convert.skipped_from_proto(convert.skipped_to_proto(skipped)) == skipped


def test_a_reference_row_becomes_its_message():
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    row = ReferenceRow(
        id="r1", company_id="c", project_id="p", task_id="t", model_id="m", version=2,
        state="COMPLETE", from_time=moment, to_time=moment.replace(day=3), job_id="j",
        sample_count=400, labelled_sample_count=350, drift_mean_run_length=0.0,
        warning_mean_run_length=0.0, batches_between_false_alarms=250.0, min_samples=300,
        quantities=[QUANTITY],
        skipped_targets=[{"target": "CONCEPT", "reason": "why"}], request_id="q",
        creator_id="u", create_time=moment, finish_time=moment)
    message = convert.reference_to_proto(Reference(row, active=True))
    assert (message.version, message.active) == (2, True)
    assert message.state == mpb.MODEL_REFERENCE_STATE_COMPLETE
    assert message.from_time.ToDatetime(timezone.utc) == moment
    assert message.batches_between_false_alarms == 250.0
    assert convert.quantity_from_proto(message.quantities[0]) == QUANTITY
    assert message.skipped_targets[0].target == mpb.MONITORING_TARGET_CONCEPT
    assert (message.job_id, message.request_id, message.creator_id) == ("j", "q", "u")
