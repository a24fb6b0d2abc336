"""Model runs of ``driftline.Client``: free-form information about runs of models, in a project.
Runs come back as ``driftline.types.ModelRun`` (``model_run_id``, ``model_run_info``, ...).

A run's information is a dict of JSON values (dicts, lists, str, int, float, bool, None), sent
as a google.protobuf.Struct. Struct numbers are doubles: integers come back as ``int`` when they
are integral (up to 2**53, where doubles are exact), other numbers as ``float``; integers beyond
2**53 lose precision on the way, as in JSON parsers that use doubles. So ``{"epochs": 10}`` comes
back as ``{"epochs": 10}`` and ``{"lr": 1.0}`` as ``{"lr": 1}`` (equal in Python, and the server
treats 1 and 1.0 as the same number too).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from google.protobuf import field_mask_pb2, struct_pb2

from driftline import display
from driftline._pagination import Pager
from driftline._transport import Transport
from driftline.catalog.v1 import catalog_service_pb2 as pb, catalog_service_pb2_grpc, model_run_pb2
from driftline.conversions._json import MAX_DEPTH as MAX_INFO_DEPTH, dict_to_struct
from driftline.conversions.model_runs import model_run_from_proto
from driftline.errors import NotFoundError
from driftline.types.model_runs import ModelRun

__all__ = ["MAX_INFO_DEPTH", "ModelRun", "ModelRunMethods"]


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
        return model_run_from_proto(self._transport.call(self._catalog.FindModelRun, request,
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
            >>> run.model_run_id, run.model_run_info
            ('5e1f...', {'auc': 0.91})
        """
        return self._find_model_run(project_id, model_run_info, model_name)

    def get_model_run_by_id(self, run_id: str) -> ModelRun:
        """A run by id (at least PROJECT_VIEW).

        Example:
            >>> client.get_model_run_by_id(run_id).model_name
            'gbm'
        """
        return model_run_from_proto(self._transport.call(
            self._catalog.GetModelRun, pb.GetModelRunRequest(model_run_id=run_id),
            idempotent=True).model_run)

    def _model_run_pages(self, project_id: str, model_name: str | None, model_id: str | None,
                         contains: struct_pb2.Struct | None, page_size: int | None,
                         limit: int | None) -> Pager[ModelRun]:
        request = pb.ListModelRunsRequest(project_id=project_id, model_name=model_name or "",
                                          model_id=model_id or "", contains=contains)
        return Pager(self._transport.call, self._catalog.ListModelRuns, request, "model_runs",
                     model_run_from_proto, page_size=page_size, limit=limit)

    def get_model_runs(self, project_id: str, model_name: str | None = None,
                       model_id: str | None = None, *, page_size: int | None = None,
                       limit: int | None = None) -> Pager[ModelRun]:
        """The runs of a project, oldest first: those with this model name, or associated with
        this model (a model id of the project), when given. Lazy: pages (``page_size`` runs,
        default 50, at most 1000) are fetched as you iterate, up to ``limit`` runs (None: all)
        (at least PROJECT_VIEW).

        Example:
            >>> [run.model_run_id for run in client.get_model_runs(project_id, model_name="gbm")]
            ['5e1f...', '7a02...']
        """
        return self._model_run_pages(project_id, model_name, model_id, None, page_size, limit)

    def search_model_runs(self, project_id: str, contains: dict,
                          model_name: str | None = None, model_id: str | None = None, *,
                          page_size: int | None = None,
                          limit: int | None = None) -> Pager[ModelRun]:
        """The runs of a project whose information contains ``contains``, oldest first, as
        PostgreSQL's jsonb ``@>`` means it: every key of ``contains`` is in the run's object
        with a value that contains the query's (nested objects alike); a list contains a list
        whose every element is contained by one of its elements; other values are equal and of
        the same JSON type (1 == 1.0, but 1, "1" and True differ). ``{}`` matches every run.
        Optionally only runs with this model name or associated with this model. Lazy, like
        ``get_model_runs`` (at least PROJECT_VIEW).

        Example:
            >>> runs = client.search_model_runs(project_id, {"params": {"layers": [32]}})
            >>> [run.model_run_info["auc"] for run in runs]
            [0.91]
        """
        query = dict_to_struct(contains, "contains", "CONTAINS")  # checked before iterating
        return self._model_run_pages(project_id, model_name, model_id, query, page_size, limit)

    def update_model_run(self, run_id: str, model_name: str | None = None,
                         model_run_info: dict | None = None) -> ModelRun:
        """Change a run's model name ("" removes it) or replace its information; None leaves a
        field as it is. Returns the run (at least PROJECT_USER).

        Example:
            >>> client.update_model_run(run_id, model_name="gbm-2",
            ...                         model_run_info={"auc": 0.93}).model_run_info
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
        return model_run_from_proto(self._transport.call(self._catalog.UpdateModelRun, request,
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
        return self.get_model_run_by_id(run_id).model_run_info

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
        query = None if contains is None else dict_to_struct(contains, "contains", "CONTAINS")
        display.show(self._model_run_pages(project_id, model_name, model_id, query, None, None),
                     display.MODEL_RUN_COLUMNS)
