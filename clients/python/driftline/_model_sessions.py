"""Model sessions of ``driftline.Client``: the models built from one dataset for one set of
targets, the state of the build and its times, a registry of build logs and metrics, and the
models themselves (built models), in a session or detached.

Results are ``driftline.types`` models (ModelSession, BuiltModel, ModelSessionEvent), whose own
ids are ``model_session_id`` and ``built_model_id``. States are
``driftline.enums.ModelSessionState`` members (QUEUED, BUILDING_MODELS, GENERATING_CANDIDATES,
COMPLETE, ERROR); arguments also take their names ("COMPLETE"), the prefixed names or the
generated values. A state only moves forward, may skip states, and never moves again once
COMPLETE or ERROR; the server keeps the start, end and total time. Metadata is a dict of JSON
values (sent as a google.protobuf.Struct, like a model run's information).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Iterator, Mapping

from google.protobuf import field_mask_pb2

from driftline import display
from driftline._enums import enum_value, enum_values
from driftline._pagination import Pager
from driftline._transport import Transport
from driftline._watching import duration, resuming
from driftline.catalog.v1 import (
    catalog_service_pb2 as pb,
    catalog_service_pb2_grpc,
    model_session_pb2 as ms,
)
from driftline.conversions._json import dict_to_struct
from driftline.conversions.model_sessions import (
    build_log_entry_to_proto,
    built_model_from_proto,
    model_session_from_proto,
    watch_model_session_response_from_proto,
    watch_model_sessions_response_from_proto,
)
from driftline.errors import DeadlineExceededError
from driftline.types.model_sessions import (
    ENDED_STATES,
    BuildLogEntry,
    BuiltModel,
    ModelSession,
    ModelSessionEvent,
    ModelSessionRegistry,
)

__all__ = ["ENDED_STATES", "BuildLogEntry", "BuiltModel", "ModelSession", "ModelSessionEvent",
           "ModelSessionMethods", "ModelSessionRegistry"]

_STATE = "MODEL_SESSION_STATE_"


def _log_entry(entry) -> ms.BuildLogEntry:
    """A build log line to send: a message (INFO), a (level, message) pair or a
    BuildLogEntry."""
    if isinstance(entry, str):
        entry = BuildLogEntry(entry)
    elif isinstance(entry, tuple):
        entry = BuildLogEntry(entry[1], entry[0])
    return build_log_entry_to_proto(entry)


def _metadata(value: dict | None):
    return None if value is None else dict_to_struct(value, "metadata", "METADATA")


def _mask(message, values: dict) -> field_mask_pb2.FieldMask | None:
    """Set the given (not None) fields on ``message``; their mask, or None when none is given."""
    paths = []
    for path, value in values.items():
        if value is None:
            continue
        if path == "metadata":
            message.metadata.CopyFrom(value)
        else:
            setattr(message, path, value)
        paths.append(path)
    return field_mask_pb2.FieldMask(paths=paths) if paths else None


def _view(include_build_logs: bool) -> int:
    return ms.MODEL_SESSION_VIEW_FULL if include_build_logs else ms.MODEL_SESSION_VIEW_BASIC


class ModelSessionMethods:
    """Mixed into ``driftline.Client``; expects ``self._transport`` and ``self._catalog``."""

    _transport: Transport
    _catalog: catalog_service_pb2_grpc.CatalogServiceStub

    # -- sessions ---------------------------------------------------------------------------

    def create_model_session(
        self, project_id: str, name: str, dataset_id: str, category="USER_MODEL",
        targets: Iterable[str] | None = None, metadata: dict | None = None, state=None, *,
        request_id: str | None = None,
    ) -> ModelSession:
        """Create a model session in a project: the models built from ``dataset_id`` (an
        opaque reference) for ``targets``; ``category`` USER_MODEL or PLATFORM_MODEL. It starts
        QUEUED unless ``state`` says otherwise. A retry with the same ``request_id`` (one is
        made when None) returns the same session (at least PROJECT_USER).

        Example:
            >>> session = client.create_model_session(
            ...     project_id, "churn-gbm", dataset_id="batch-2026-11", targets=["churned"],
            ...     metadata={"search": "grid"})
            >>> session.state.name
            'QUEUED'
        """
        request = pb.CreateModelSessionRequest(
            project_id=project_id,
            model_session=ms.ModelSession(
                name=name, dataset_id=dataset_id,
                category=enum_value(ms.ModelSessionCategory, category, "MODEL_SESSION_CATEGORY_"),
                targets=list(targets or []), metadata=_metadata(metadata),
                state=enum_value(ms.ModelSessionState, state, _STATE)),
            request_id=request_id or uuid.uuid4().hex,
        )
        return model_session_from_proto(self._transport.call(
            self._catalog.CreateModelSession, request, idempotent=True).model_session)

    def get_model_session(self, session_id: str, *,
                          include_build_logs: bool = True) -> ModelSession:
        """A session with its registry: its whole build log unless ``include_build_logs`` is
        False (at least PROJECT_VIEW).

        Example:
            >>> session = client.get_model_session(session_id)
            >>> session.state.name, session.total_time, session.registry.metrics
            ('COMPLETE', datetime.timedelta(seconds=95), {'auc': 0.91})
        """
        return model_session_from_proto(self._transport.call(
            self._catalog.GetModelSession,
            pb.GetModelSessionRequest(model_session_id=session_id,
                                      view=_view(include_build_logs)),
            idempotent=True).model_session)

    def _session_pages(self, project_id: str, state, dataset_id: str | None, category,
                       include_build_logs: bool, page_size: int | None,
                       limit: int | None) -> Pager[ModelSession]:
        request = pb.ListModelSessionsRequest(
            project_id=project_id, states=enum_values(ms.ModelSessionState, state, _STATE),
            dataset_id=dataset_id or "",
            category=enum_value(ms.ModelSessionCategory, category, "MODEL_SESSION_CATEGORY_"),
            view=_view(include_build_logs))
        return Pager(self._transport.call, self._catalog.ListModelSessions, request,
                     "model_sessions", model_session_from_proto, page_size=page_size,
                     limit=limit)

    def get_model_sessions(
        self, project_id: str, state=None, dataset_id: str | None = None, category=None, *,
        include_build_logs: bool = False, page_size: int | None = None, limit: int | None = None,
    ) -> Pager[ModelSession]:
        """The sessions of a project, oldest first: in ``state`` (one or several), built from
        ``dataset_id``, of ``category``, when given. Build logs only with
        ``include_build_logs`` (at most 50 sessions a page then). Lazy: pages (``page_size``,
        default 50, at most 1000) are fetched as you iterate, up to ``limit`` sessions (None:
        all) (at least PROJECT_VIEW).

        Example:
            >>> running = client.get_model_sessions(
            ...     project_id, state=["QUEUED", "BUILDING_MODELS", "GENERATING_CANDIDATES"])
            >>> [session.name for session in running]
            ['churn-gbm']
        """
        return self._session_pages(project_id, state, dataset_id, category, include_build_logs,
                                   page_size, limit)

    def update_model_session(self, session_id: str, name: str | None = None,
                             metadata: dict | None = None, state=None,
                             default_model_id: str | None = None) -> ModelSession:
        """Change a session's name, replace its metadata, move its state (forward only:
        FailedPreconditionError saying which moves are allowed otherwise) or set its default
        model (one of its built models; "" for none); None leaves a field as it is. All change
        or none (at least PROJECT_USER).

        Example:
            >>> client.update_model_session(session_id, state="BUILDING_MODELS").start_time
            datetime.datetime(2026, 11, 25, 9, 0, 12, tzinfo=datetime.timezone.utc)
        """
        message = ms.ModelSession(id=session_id)
        mask = _mask(message, {
            "name": name, "metadata": _metadata(metadata),
            "state": None if state is None else enum_value(ms.ModelSessionState, state, _STATE),
            "default_model_id": default_model_id})
        if mask is None:
            return self.get_model_session(session_id, include_build_logs=False)
        return model_session_from_proto(self._transport.call(
            self._catalog.UpdateModelSession,
            pb.UpdateModelSessionRequest(model_session=message, update_mask=mask),
            idempotent=True).model_session)

    def set_model_session_state(self, session_id: str, state) -> ModelSession:
        """Move a session to ``state``; the server keeps the start (leaving QUEUED), end and
        total time. Moving to the state it is in changes nothing (at least PROJECT_USER).

        Example:
            >>> client.set_model_session_state(session_id, "COMPLETE").total_time
            datetime.timedelta(seconds=95, microseconds=120000)
        """
        return self.update_model_session(session_id, state=state)

    def _add_registry_entries(self, session_id: str, build_logs: list, metrics: dict):
        request = pb.AddModelSessionRegistryEntriesRequest(
            model_session_id=session_id, build_logs=build_logs, metrics=metrics)
        # Not retried on its own: a repeated addition would log the entries twice.
        return model_session_from_proto(self._transport.call(
            self._catalog.AddModelSessionRegistryEntries, request).model_session)

    def add_model_session_logs(self, session_id: str, entries: Iterable) -> ModelSession:
        """Append lines to a session's build log, in order: each a message (INFO), a
        ``(level, message)`` pair or a ``BuildLogEntry``; at most 1000 at once and 1000 per
        session, each at most 1000 characters; all are added or none (at least PROJECT_USER).

        Example:
            >>> client.add_model_session_logs(session_id, [
            ...     "loading batch-2026-11", ("WARNING", "12 rows without a target dropped")])
        """
        return self._add_registry_entries(session_id, [_log_entry(e) for e in entries], {})

    def add_model_session_metrics(self, session_id: str,
                                  metrics: Mapping[str, float]) -> ModelSession:
        """Set metrics of a session's registry by name (a later value replaces an earlier one);
        finite numbers, at most 500 metrics per session (at least PROJECT_USER).

        Example:
            >>> client.add_model_session_metrics(session_id, {"auc": 0.91, "rmse": 0.3})
        """
        return self._add_registry_entries(session_id, [], {k: float(v) for k, v in
                                                           metrics.items()})

    def delete_model_session(self, session_id: str) -> None:
        """Delete a session with its built models and registry, in one transaction (at least
        PROJECT_USER).

        Example:
            >>> client.delete_model_session(session_id)
        """
        self._transport.call(self._catalog.DeleteModelSession,
                             pb.DeleteModelSessionRequest(model_session_id=session_id))

    # -- watching ---------------------------------------------------------------------------

    def watch_model_session(
        self, session_id: str, after_sequence: int = 0, *, timeout: float | None = None,
        heartbeat_interval: float | None = None, include_heartbeats: bool = False,
        reconnect_patience: float = 60.0,
    ) -> Iterator[ModelSessionEvent]:
        """A session's state changes after ``after_sequence`` (0: its whole history, from its
        creation), in order, ending after the change that ends it (COMPLETE or ERROR) or its
        delete; an ended session yields what is left. Reconnects after a dropped connection
        and resumes after the last sequence seen; gives up after ``reconnect_patience``
        seconds without a connection, or at ``timeout`` seconds (DeadlineExceededError).

        Example:
            >>> for event in client.watch_model_session(session_id):
            ...     print(event.sequence, event.state.name)
            41 QUEUED
            44 BUILDING_MODELS
            52 COMPLETE
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        interval = duration(heartbeat_interval)

        def open_stream(cursor: int):
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise DeadlineExceededError(
                    "DEADLINE_EXCEEDED",
                    f"watching model session '{session_id}' took longer than {timeout} s")
            return self._transport.stream(
                self._catalog.WatchModelSession,
                pb.WatchModelSessionRequest(model_session_id=session_id, after_sequence=cursor,
                                            heartbeat_interval=interval),
                timeout=remaining)

        for response, heartbeat in resuming(
            open_stream, lambda response: (response.sequence, response.heartbeat),
            after_sequence, reconnect_patience,
            ended=lambda: self.get_model_session(session_id, include_build_logs=False).ended,
            deadline=deadline,
        ):
            if heartbeat and not include_heartbeats:
                continue
            event = watch_model_session_response_from_proto(response)
            yield event
            if not heartbeat and event.ends_session:
                return

    def watch_model_sessions(
        self, project_id: str, after_sequence: int = 0, *,
        heartbeat_interval: float | None = None, include_heartbeats: bool = False,
        reconnect_patience: float = 60.0,
    ) -> Iterator[ModelSessionEvent]:
        """The state changes (and deletes) of every session of a project after
        ``after_sequence`` (0: from now on), until you stop iterating. Reconnects after a
        dropped connection and resumes after the last sequence seen (heartbeats included), so
        no event is lost or repeated (at least PROJECT_VIEW).

        Example:
            >>> for event in client.watch_model_sessions(project_id):
            ...     if event.state == ModelSessionState.ERROR:
            ...         print("session", event.model_session_id, "failed")
        """
        interval = duration(heartbeat_interval)
        for response, heartbeat in resuming(
            lambda cursor: self._transport.stream(
                self._catalog.WatchModelSessions,
                pb.WatchModelSessionsRequest(project_id=project_id, after_sequence=cursor,
                                             heartbeat_interval=interval)),
            lambda response: (response.sequence, response.heartbeat),
            after_sequence, reconnect_patience,
        ):
            if include_heartbeats or not heartbeat:
                yield watch_model_sessions_response_from_proto(response)

    def wait_model_session(self, session_id: str, max_wait_timeout: float = 3000) -> ModelSession:
        """Wait until a session ends (COMPLETE or ERROR) and return it, following its state
        changes (WatchModelSession), not polling. DeadlineExceededError
        (MODEL_SESSION_WAIT_TIMEOUT) when it has not ended within ``max_wait_timeout``
        seconds; NotFoundError when it is deleted meanwhile.

        Example:
            >>> session = client.wait_model_session(session_id, max_wait_timeout=600)
            >>> session.state.name, session.total_time
            ('COMPLETE', datetime.timedelta(seconds=95))
        """
        try:
            for _ in self.watch_model_session(session_id, timeout=max_wait_timeout):
                pass
        except DeadlineExceededError:
            raise DeadlineExceededError(
                "MODEL_SESSION_WAIT_TIMEOUT",
                f"model session '{session_id}' did not end within {max_wait_timeout:g} s; it "
                "goes on: wait again, or move it to ERROR",
                metadata={"id": session_id}) from None
        return self.get_model_session(session_id)

    # -- built models -------------------------------------------------------------------------

    def create_built_model(
        self, name: str, *, session_id: str | None = None, project_id: str | None = None,
        dataset_id: str | None = None, targets: Iterable[str] | None = None,
        metadata: dict | None = None, state=None, binary_key: str | None = None,
        request_id: str | None = None,
    ) -> BuiltModel:
        """Create a model in a session (``session_id``: it takes the session's project and
        dataset, and its targets unless given, which must be among the session's), or a
        detached one in ``project_id`` (``dataset_id`` required then). It starts QUEUED unless
        ``state`` says otherwise; ``binary_key`` is where its binary is stored (at least
        PROJECT_USER).

        Example:
            >>> model = client.create_built_model("gbm-depth-6", session_id=session_id,
            ...                                   metadata={"max_depth": 6})
            >>> model.type.name, model.dataset_id
            ('SESSION', 'batch-2026-11')
        """
        request = pb.CreateBuiltModelRequest(
            project_id=project_id or "",
            built_model=ms.BuiltModel(
                model_session_id=session_id or "", name=name, dataset_id=dataset_id or "",
                targets=list(targets or []), metadata=_metadata(metadata),
                state=enum_value(ms.ModelSessionState, state, _STATE),
                binary_key=binary_key or ""),
            request_id=request_id or uuid.uuid4().hex,
        )
        return built_model_from_proto(self._transport.call(
            self._catalog.CreateBuiltModel, request, idempotent=True).built_model)

    def get_built_model(self, model_id: str) -> BuiltModel:
        """A built model by id (at least PROJECT_VIEW).

        Example:
            >>> client.get_built_model(model_id).model_binary_key
            's3://acme-ml/models/gbm-depth-6.bin'
        """
        return built_model_from_proto(self._transport.call(
            self._catalog.GetBuiltModel, pb.GetBuiltModelRequest(built_model_id=model_id),
            idempotent=True).built_model)

    def _built_model_pages(self, project_id: str | None, session_id: str | None,
                           detached_only: bool, state, dataset_id: str | None,
                           page_size: int | None, limit: int | None) -> Pager[BuiltModel]:
        request = pb.ListBuiltModelsRequest(
            project_id=project_id or "", model_session_id=session_id or "",
            detached_only=detached_only, states=enum_values(ms.ModelSessionState, state, _STATE),
            dataset_id=dataset_id or "")
        return Pager(self._transport.call, self._catalog.ListBuiltModels, request,
                     "built_models", built_model_from_proto, page_size=page_size, limit=limit)

    def get_built_models(
        self, project_id: str | None = None, *, session_id: str | None = None,
        detached_only: bool = False, state=None, dataset_id: str | None = None,
        page_size: int | None = None, limit: int | None = None,
    ) -> Pager[BuiltModel]:
        """Built models, oldest first: of a project, of one session (``session_id``; the
        project may be left out), or only a project's detached ones; in ``state`` (one or
        several) and built from ``dataset_id`` when given. Lazy, like ``get_model_sessions``
        (at least PROJECT_VIEW).

        Example:
            >>> [m.name for m in client.get_built_models(session_id=session_id, state="COMPLETE")]
            ['gbm-depth-6']
        """
        return self._built_model_pages(project_id, session_id, detached_only, state, dataset_id,
                                       page_size, limit)

    def update_built_model(self, model_id: str, name: str | None = None,
                           metadata: dict | None = None, state=None,
                           binary_key: str | None = None) -> BuiltModel:
        """Change a built model's name, replace its metadata, move its state (with the rules of
        sessions) or set its binary's storage key; None leaves a field as it is (at least
        PROJECT_USER).

        Example:
            >>> client.update_built_model(model_id, state="COMPLETE",
            ...                           binary_key="s3://acme-ml/models/gbm.bin").state.name
            'COMPLETE'
        """
        message = ms.BuiltModel(id=model_id)
        mask = _mask(message, {
            "name": name, "metadata": _metadata(metadata),
            "state": None if state is None else enum_value(ms.ModelSessionState, state, _STATE),
            "binary_key": binary_key})
        if mask is None:
            return self.get_built_model(model_id)
        return built_model_from_proto(self._transport.call(
            self._catalog.UpdateBuiltModel,
            pb.UpdateBuiltModelRequest(built_model=message, update_mask=mask),
            idempotent=True).built_model)

    def set_built_model_state(self, model_id: str, state) -> BuiltModel:
        """Move a built model to ``state`` (forward only, as a session) (at least
        PROJECT_USER).

        Example:
            >>> client.set_built_model_state(model_id, "BUILDING_MODELS").start_time
            datetime.datetime(2026, 11, 25, 9, 1, 3, tzinfo=datetime.timezone.utc)
        """
        return self.update_built_model(model_id, state=state)

    def delete_built_model(self, model_id: str) -> None:
        """Delete a built model; a session whose default model it was has none after (at least
        PROJECT_USER).

        Example:
            >>> client.delete_built_model(model_id)
        """
        self._transport.call(self._catalog.DeleteBuiltModel,
                             pb.DeleteBuiltModelRequest(built_model_id=model_id))

    # -- tables -------------------------------------------------------------------------------

    def show_model_sessions(self, project_id: str, state=None, dataset_id: str | None = None,
                            category=None) -> None:
        """Print the sessions of a project as a table (filtered as ``get_model_sessions``).

        Example:
            >>> client.show_model_sessions(project_id)
            Session ID  Name       Category    State     Dataset        Models  Total    Created
            ----------  ---------  ----------  --------  -------------  ------  -------  -------------------
            5e1f...     churn-gbm  USER_MODEL  COMPLETE  batch-2026-11  3       0:01:35  2026-11-25 09:00:02
        """
        display.show(self._session_pages(project_id, state, dataset_id, category, False, None,
                                         None), display.MODEL_SESSION_COLUMNS)

    def show_built_models(self, project_id: str | None = None, *, session_id: str | None = None,
                          detached_only: bool = False, state=None,
                          dataset_id: str | None = None) -> None:
        """Print built models as a table (filtered as ``get_built_models``).

        Example:
            >>> client.show_built_models(session_id=session_id)
            Model ID  Name         Type     Session ID  State     Dataset        Binary key  Created
            --------  -----------  -------  ----------  --------  -------------  ----------  -------------------
            3c0d...   gbm-depth-6  SESSION  5e1f...     COMPLETE  batch-2026-11  s3://...    2026-11-25 09:01:03
        """
        display.show(self._built_model_pages(project_id, session_id, detached_only, state,
                                             dataset_id, None, None),
                     display.BUILT_MODEL_COLUMNS)
