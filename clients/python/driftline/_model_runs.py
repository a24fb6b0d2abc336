"""Model runs of ``driftline.Client``: free-form information about runs of models, in a project.

A run's information is a dict of JSON values (dicts, lists, str, int, float, bool, None), sent
as a google.protobuf.Struct. Struct numbers are doubles: integers come back as ``int`` when they
are integral (up to 2**53, where doubles are exact), other numbers as ``float``; integers beyond
2**53 lose precision on the way, as in JSON parsers that use doubles. So ``{"epochs": 10}`` comes
back as ``{"epochs": 10}`` and ``{"lr": 1.0}`` as ``{"lr": 1}`` (equal in Python, and the server
treats 1 and 1.0 as the same number too).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone

from google.protobuf import field_mask_pb2, struct_pb2

from driftline._pagination import Pager
from driftline.display import print_table
from driftline._transport import Transport
from driftline.catalog.v1 import catalog_service_pb2 as pb, catalog_service_pb2_grpc, model_run_pb2
from driftline.errors import InvalidArgumentError, NotFoundError

# The server's limit (it refuses deeper information too); checked here as well because a Struct
# much deeper cannot even be decoded by the server's protobuf runtime.
MAX_INFO_DEPTH = 32
_EXACT_INTEGERS = 2.0**53


@dataclass(frozen=True)
class ModelRun:
    """A run of a model, as the client returns it: ``info`` is a dict."""

    id: str
    project_id: str
    model_name: str
    info: dict
    model_ids: list[str] = field(default_factory=list)
    creator_id: str = ""
    create_time: datetime | None = None
    update_time: datetime | None = None


def _to_python(value: struct_pb2.Value):
    kind = value.WhichOneof("kind")  # the commonest kinds first: this runs for every value
    if kind == "number_value":
        number = value.number_value
        return int(number) if number.is_integer() and abs(number) <= _EXACT_INTEGERS else number
    if kind == "string_value":
        return value.string_value
    if kind == "struct_value":
        return struct_to_dict(value.struct_value)
    if kind == "list_value":
        return [_to_python(item) for item in value.list_value.values]
    if kind == "bool_value":
        return value.bool_value
    return None


def struct_to_dict(message: struct_pb2.Struct) -> dict:
    """A Struct as a dict, integral numbers as ints."""
    return {key: _to_python(value) for key, value in message.fields.items()}


def _depth(value, level: int = 1) -> int:
    if isinstance(value, Mapping):
        return max((_depth(item, level + 1) for item in value.values()), default=level)
    if isinstance(value, (list, tuple)):
        return max((_depth(item, level + 1) for item in value), default=level)
    return level - 1


def dict_to_struct(value, argument: str = "model_run_info",
                   reason: str = "MODEL_RUN_INFO") -> struct_pb2.Struct:
    """A dict of JSON values as a Struct; InvalidArgumentError (before any call, with the reason
    the server gives) for anything that is not a JSON object, is nested too deep or holds values
    JSON does not have."""
    if not isinstance(value, Mapping):
        raise InvalidArgumentError(
            f"{reason}_NOT_AN_OBJECT",
            f"{argument} must be a JSON object (a dict), not {type(value).__name__}",
            field_violations=[(argument, "must be a JSON object")],
        )
    if _depth(value) > MAX_INFO_DEPTH:
        raise InvalidArgumentError(
            f"{reason}_TOO_DEEP",
            f"{argument} nests deeper than {MAX_INFO_DEPTH} levels of objects and arrays",
            field_violations=[(argument, "too deep")],
        )
    message = struct_pb2.Struct()
    try:
        message.update(value)
    except (TypeError, ValueError, OverflowError) as error:
        raise InvalidArgumentError(
            f"{reason}_INVALID_VALUE",
            f"{argument} holds a value that is not JSON ({error}): use dicts with str keys, "
            "lists, str, int, float, bool and None",
            field_violations=[(argument, str(error))],
        ) from None
    return message


def _time(stamp) -> datetime | None:
    return stamp.ToDatetime(tzinfo=timezone.utc) if stamp.seconds else None


def _run(message: model_run_pb2.ModelRun) -> ModelRun:
    return ModelRun(
        id=message.id,
        project_id=message.project_id,
        model_name=message.model_name,
        info=struct_to_dict(message.info),
        model_ids=list(message.model_ids),
        creator_id=message.creator_id,
        create_time=_time(message.create_time),
        update_time=_time(message.update_time),
    )


class ModelRunMethods:
    """Mixed into ``driftline.Client``; expects ``self._transport`` and ``self._catalog``."""

    _transport: Transport
    _catalog: catalog_service_pb2_grpc.CatalogServiceStub

    def create_model_run(self, project_id: str, model_run_info: dict,
                         model_name: str | None = None) -> str:
        """Create a run of a model in a project with its information (a JSON object of at most
        1 MiB, nested at most 32 levels) and, optionally, the name of the model that ran;
        returns the run's id (at least PROJECT_USER).

        Example:
            >>> run_id = client.create_model_run(
            ...     project_id, {"params": {"lr": 0.01, "layers": [64, 32]}, "auc": 0.91},
            ...     model_name="gbm")
        """
        request = pb.CreateModelRunRequest(
            project_id=project_id,
            model_run=model_run_pb2.ModelRun(model_name=model_name or "",
                                             info=dict_to_struct(model_run_info)),
            request_id=uuid.uuid4().hex,
        )
        return self._transport.call(self._catalog.CreateModelRun, request,
                                    idempotent=True).model_run.id

    def create_model_runs(self, project_id: str, model_run_infos: Iterable[dict],
                          model_name: str | None = None, *, batch_size: int = 1000) -> list[str]:
        """Create many runs in a project, with one model name (or none), in requests of
        ``batch_size`` runs (at most 1000), each created whole or not at all; returns their ids
        in order (at least PROJECT_USER). Much faster than one ``create_model_run`` per run.

        Example:
            >>> run_ids = client.create_model_runs(
            ...     project_id, [{"fold": fold, "auc": auc} for fold, auc in enumerate(aucs)],
            ...     model_name="gbm")
        """
        if not 1 <= batch_size <= 1000:
            raise ValueError("batch_size must be between 1 and 1000")
        ids: list[str] = []
        batch: list[model_run_pb2.ModelRun] = []

        def send() -> None:
            request = pb.BatchCreateModelRunsRequest(project_id=project_id, model_runs=batch,
                                                     request_id=uuid.uuid4().hex)
            response = self._transport.call(self._catalog.BatchCreateModelRuns, request,
                                            idempotent=True)
            ids.extend(run.id for run in response.model_runs)
            batch.clear()

        for info in model_run_infos:
            batch.append(model_run_pb2.ModelRun(model_name=model_name or "",
                                                info=dict_to_struct(info)))
            if len(batch) == batch_size:
                send()
        if batch:
            send()
        return ids

    def _find_model_run(self, project_id: str, model_run_info: dict,
                        model_name: str | None) -> ModelRun:
        request = pb.FindModelRunRequest(project_id=project_id,
                                         info=dict_to_struct(model_run_info),
                                         model_name=model_name or "")
        return _run(self._transport.call(self._catalog.FindModelRun, request,
                                         idempotent=True).model_run)

    def model_run_exists(self, project_id: str, model_run_info: dict,
                         model_name: str | None = None) -> bool:
        """Whether the project has a run whose information is exactly ``model_run_info`` (key
        order aside) with this model name (None: runs without one) (at least PROJECT_VIEW).

        Example:
            >>> client.model_run_exists(project_id, {"auc": 0.91, "params": {"lr": 0.01,
            ...                         "layers": [64, 32]}}, model_name="gbm")
            True
        """
        try:
            self._find_model_run(project_id, model_run_info, model_name)
        except NotFoundError as error:
            if error.error_code == "MODEL_RUN_NOT_FOUND":
                return False
            raise
        return True

    def get_model_run(self, project_id: str, model_run_info: dict,
                      model_name: str | None = None) -> ModelRun:
        """The oldest run of the project whose information is exactly ``model_run_info``, with
        this model name (None: runs without one); NotFoundError (MODEL_RUN_NOT_FOUND) when there
        is none (at least PROJECT_VIEW).

        Example:
            >>> run = client.get_model_run(project_id, {"auc": 0.91}, model_name="gbm")
            >>> run.id, run.info
            ('5e1f...', {'auc': 0.91})
        """
        return self._find_model_run(project_id, model_run_info, model_name)

    def get_model_run_by_id(self, run_id: str) -> ModelRun:
        """A run by id (at least PROJECT_VIEW).

        Example:
            >>> client.get_model_run_by_id(run_id).model_name
            'gbm'
        """
        return _run(self._transport.call(
            self._catalog.GetModelRun, pb.GetModelRunRequest(model_run_id=run_id),
            idempotent=True).model_run)

    def _model_run_pages(self, project_id: str, model_name: str | None, model_id: str | None,
                         contains: struct_pb2.Struct | None,
                         page_size: int | None) -> Iterator[ModelRun]:
        request = pb.ListModelRunsRequest(project_id=project_id, model_name=model_name or "",
                                          model_id=model_id or "", page_size=page_size or 0,
                                          contains=contains)

        return Pager(self._transport.call, self._catalog.ListModelRuns, request, "model_runs", _run)

    def get_model_runs(self, project_id: str, model_name: str | None = None,
                       model_id: str | None = None, *,
                       page_size: int | None = None) -> Iterator[ModelRun]:
        """The runs of a project, oldest first: those with this model name, or associated with
        this model (a model id of the project), when given. Lazy: pages (``page_size`` runs,
        default 50, at most 1000) are fetched as you iterate (at least PROJECT_VIEW).

        Example:
            >>> [run.id for run in client.get_model_runs(project_id, model_name="gbm")]
            ['5e1f...', '7a02...']
        """
        return self._model_run_pages(project_id, model_name, model_id, None, page_size)

    def search_model_runs(self, project_id: str, contains: dict,
                          model_name: str | None = None, model_id: str | None = None, *,
                          page_size: int | None = None) -> Iterator[ModelRun]:
        """The runs of a project whose information contains ``contains``, oldest first, as
        PostgreSQL's jsonb ``@>`` means it: every key of ``contains`` is in the run's object
        with a value that contains the query's (nested objects alike); a list contains a list
        whose every element is contained by one of its elements; other values are equal and of
        the same JSON type (1 == 1.0, but 1, "1" and True differ). ``{}`` matches every run.
        Optionally only runs with this model name or associated with this model. Lazy, like
        ``get_model_runs`` (at least PROJECT_VIEW).

        Example:
            >>> runs = client.search_model_runs(project_id, {"params": {"layers": [32]}})
            >>> [run.info["auc"] for run in runs]
            [0.91]
        """
        query = dict_to_struct(contains, "contains", "CONTAINS")  # checked before iterating
        return self._model_run_pages(project_id, model_name, model_id, query, page_size)

    def update_model_run(self, run_id: str, model_name: str | None = None,
                         model_run_info: dict | None = None) -> ModelRun:
        """Change a run's model name ("" removes it) or replace its information; None leaves a
        field as it is. Returns the run (at least PROJECT_USER).

        Example:
            >>> client.update_model_run(run_id, model_name="gbm-2",
            ...                         model_run_info={"auc": 0.93}).info
            {'auc': 0.93}
        """
        run = model_run_pb2.ModelRun(id=run_id)
        paths = []
        if model_name is not None:
            run.model_name = model_name
            paths.append("model_name")
        if model_run_info is not None:
            run.info.CopyFrom(dict_to_struct(model_run_info))
            paths.append("info")
        if not paths:
            return self.get_model_run_by_id(run_id)
        request = pb.UpdateModelRunRequest(model_run=run,
                                           update_mask=field_mask_pb2.FieldMask(paths=paths))
        return _run(self._transport.call(self._catalog.UpdateModelRun, request,
                                         idempotent=True).model_run)

    def delete_model_run(self, run_id: str) -> None:
        """Delete a run and its associations with models (at least PROJECT_USER).

        Example:
            >>> client.delete_model_run(run_id)
        """
        self._transport.call(self._catalog.DeleteModelRun,
                             pb.DeleteModelRunRequest(model_run_id=run_id))

    def get_model_run_info(self, run_id: str) -> dict:
        """A run's information (at least PROJECT_VIEW).

        Example:
            >>> client.get_model_run_info(run_id)
            {'auc': 0.91, 'params': {'layers': [64, 32], 'lr': 0.01}}
        """
        return self.get_model_run_by_id(run_id).info

    def set_model_run_info(self, run_id: str, info: dict) -> None:
        """Replace a run's information whole (at least PROJECT_USER).

        Example:
            >>> client.set_model_run_info(run_id, {"auc": 0.92, "note": "re-evaluated"})
        """
        self.update_model_run(run_id, model_run_info=info)

    def associate_model(self, run_id: str, model_id: str) -> None:
        """Associate a run with a model (a model id of the run's project); associating it again
        changes nothing (at least PROJECT_USER).

        Example:
            >>> client.associate_model(run_id, model_id)
        """
        self._transport.call(self._catalog.AssociateModelRun,
                             pb.AssociateModelRunRequest(model_run_id=run_id, model_id=model_id),
                             idempotent=True)

    def unassociate_model(self, run_id: str, model_id: str) -> None:
        """Remove a run's association with a model; NotFoundError
        (MODEL_RUN_ASSOCIATION_NOT_FOUND) when they are not associated (at least PROJECT_USER).

        Example:
            >>> client.unassociate_model(run_id, model_id)
        """
        self._transport.call(self._catalog.UnassociateModelRun,
                             pb.UnassociateModelRunRequest(model_run_id=run_id,
                                                           model_id=model_id))

    def belongs_to_model(self, run_id: str, model_id: str) -> bool:
        """Whether a run is associated with a model (at least PROJECT_VIEW).

        Example:
            >>> client.belongs_to_model(run_id, model_id)
            True
        """
        return model_id in self.get_model_run_by_id(run_id).model_ids

    def get_associated_models(self, run_id: str) -> list[str]:
        """The ids of the models a run is associated with, oldest association first (at least
        PROJECT_VIEW).

        Example:
            >>> client.get_associated_models(run_id)
            ['3c0d...']
        """
        return self.get_model_run_by_id(run_id).model_ids

    def show_model_runs(self, project_id: str, model_name: str | None = None,
                        model_id: str | None = None, contains: dict | None = None) -> None:
        """Print the runs of a project as a table (filtered as ``search_model_runs`` does when
        ``contains`` is given); the information is cut at 60 characters.

        Example:
            >>> client.show_model_runs(project_id)
            Run ID   Model name  Models  Info                          Created
            -------  ----------  ------  ----------------------------  -------------------
            5e1f...  gbm         1       {"auc":0.91,"params":{"la...  2026-11-24 09:12:03
        """
        def info_cell(info: dict) -> str:
            text = json.dumps(info, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            return text if len(text) <= 60 else text[:57] + "..."

        print_table(
            ["Run ID", "Model name", "Models", "Info", "Created"],
            (
                [run.id, run.model_name, len(run.model_ids), info_cell(run.info),
                 time_cell_of(run.create_time)]
                for run in self._model_run_pages(
                    project_id, model_name, model_id,
                    None if contains is None else dict_to_struct(contains, "contains", "CONTAINS"),
                    None)
            ),
        )


def time_cell_of(moment: datetime | None) -> str:
    """UTC, to the second, as the other tables show times."""
    return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds") if moment else ""

