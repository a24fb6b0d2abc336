"""Model sessions' messages (driftline.catalog.v1 model_session.proto, and the Watch RPCs'
answers) to the client's results and back: sessions, their registries and build log lines,
built models, and session events.

Example:
    >>> from driftline.conversions.model_sessions import model_session_from_proto
    >>> model_session_from_proto(response.model_session).state
    <ModelSessionState.QUEUED: 1>
"""

from __future__ import annotations

from datetime import timedelta

from google.protobuf import duration_pb2

from driftline.catalog.v1 import catalog_service_pb2 as pb, model_session_pb2 as ms
from driftline.conversions._common import to_datetime, to_timestamp
from driftline.conversions._json import dict_to_struct, struct_to_dict
from driftline.enums import (
    BuildLogLevel,
    BuiltModelType,
    ModelSessionCategory,
    ModelSessionEventType,
    ModelSessionState,
    enum_member,
)
from driftline.types.model_sessions import (
    BuildLogEntry,
    BuiltModel,
    ModelSession,
    ModelSessionEvent,
    ModelSessionRegistry,
)


def _total(message, name: str = "total_duration") -> timedelta | None:
    return getattr(message, name).ToTimedelta() if message.HasField(name) else None


def _duration(total: timedelta | None) -> duration_pb2.Duration | None:
    if total is None:
        return None
    duration = duration_pb2.Duration()
    duration.FromTimedelta(total)
    return duration


def _state(number: int) -> ModelSessionState | int | None:
    return enum_member(ModelSessionState, number) if number else None


def _metadata(values: dict):
    return dict_to_struct(values, "metadata", "METADATA")


def build_log_entry_from_proto(message: ms.BuildLogEntry) -> BuildLogEntry:
    return BuildLogEntry(message=message.message, level=enum_member(BuildLogLevel, message.level),
                         time=to_datetime(message.time))


def build_log_entry_to_proto(entry: BuildLogEntry) -> ms.BuildLogEntry:
    return ms.BuildLogEntry(time=to_timestamp(entry.time), level=int(entry.level),
                            message=entry.message)


def model_session_registry_from_proto(message: ms.ModelSessionRegistry) -> ModelSessionRegistry:
    return ModelSessionRegistry(
        build_logs=[build_log_entry_from_proto(entry) for entry in message.build_logs],
        build_log_count=message.build_log_count,
        metrics=dict(sorted(message.metrics.items())))


def model_session_registry_to_proto(registry: ModelSessionRegistry) -> ms.ModelSessionRegistry:
    return ms.ModelSessionRegistry(
        build_logs=[build_log_entry_to_proto(entry) for entry in registry.build_logs],
        build_log_count=registry.build_log_count, metrics=registry.metrics)


def model_session_from_proto(message: ms.ModelSession) -> ModelSession:
    return ModelSession(
        model_session_id=message.id,
        project_id=message.project_id,
        name=message.name,
        dataset_id=message.dataset_id,
        category=enum_member(ModelSessionCategory, message.category),
        target=list(message.targets),
        metadata=struct_to_dict(message.metadata),
        state=enum_member(ModelSessionState, message.state),
        start_time=to_datetime(message.start_time),
        end_time=to_datetime(message.end_time),
        total_time=_total(message),
        default_model_id=message.default_model_id,
        model_count=message.model_count,
        registry=model_session_registry_from_proto(message.registry),
        creator_id=message.creator_id,
        creation_datetime=to_datetime(message.create_time),
        update_datetime=to_datetime(message.update_time),
    )


def model_session_to_proto(session: ModelSession) -> ms.ModelSession:
    return ms.ModelSession(
        id=session.model_session_id,
        project_id=session.project_id,
        name=session.name,
        dataset_id=session.dataset_id,
        category=int(session.category),
        targets=session.target,
        metadata=_metadata(session.metadata),
        state=int(session.state),
        start_time=to_timestamp(session.start_time),
        end_time=to_timestamp(session.end_time),
        total_duration=_duration(session.total_time),
        default_model_id=session.default_model_id,
        model_count=session.model_count,
        registry=model_session_registry_to_proto(session.registry),
        creator_id=session.creator_id,
        create_time=to_timestamp(session.creation_datetime),
        update_time=to_timestamp(session.update_datetime),
    )


def built_model_from_proto(message: ms.BuiltModel) -> BuiltModel:
    return BuiltModel(
        built_model_id=message.id,
        project_id=message.project_id,
        model_session_id=message.model_session_id,
        type=enum_member(BuiltModelType, message.type),
        name=message.name,
        dataset_id=message.dataset_id,
        target=list(message.targets),
        metadata=struct_to_dict(message.metadata),
        state=enum_member(ModelSessionState, message.state),
        start_time=to_datetime(message.start_time),
        end_time=to_datetime(message.end_time),
        total_time=_total(message),
        model_binary_key=message.binary_key,
        creator_id=message.creator_id,
        creation_datetime=to_datetime(message.create_time),
        update_datetime=to_datetime(message.update_time),
    )


def built_model_to_proto(model: BuiltModel) -> ms.BuiltModel:
    return ms.BuiltModel(
        id=model.built_model_id,
        project_id=model.project_id,
        model_session_id=model.model_session_id,
        type=int(model.type),
        name=model.name,
        dataset_id=model.dataset_id,
        targets=model.target,
        metadata=_metadata(model.metadata),
        state=int(model.state),
        start_time=to_timestamp(model.start_time),
        end_time=to_timestamp(model.end_time),
        total_duration=_duration(model.total_time),
        binary_key=model.model_binary_key,
        creator_id=model.creator_id,
        create_time=to_timestamp(model.creation_datetime),
        update_time=to_timestamp(model.update_datetime),
    )


def model_session_event_from_proto(message: ms.ModelSessionEvent) -> ModelSessionEvent:
    return ModelSessionEvent(
        sequence=message.sequence,
        event_type=enum_member(ModelSessionEventType, message.type) if message.type else None,
        model_session_id=message.model_session_id,
        project_id=message.project_id,
        state=_state(message.state),
        previous_state=_state(message.previous_state),
        start_time=to_datetime(message.start_time),
        end_time=to_datetime(message.end_time),
        total_time=_total(message),
        event_datetime=to_datetime(message.event_time),
    )


def model_session_event_to_proto(event: ModelSessionEvent) -> ms.ModelSessionEvent:
    return ms.ModelSessionEvent(
        sequence=event.sequence,
        type=int(event.event_type or 0),
        model_session_id=event.model_session_id,
        project_id=event.project_id,
        state=int(event.state or 0),
        previous_state=int(event.previous_state or 0),
        start_time=to_timestamp(event.start_time),
        end_time=to_timestamp(event.end_time),
        total_duration=_duration(event.total_time),
        event_time=to_timestamp(event.event_datetime),
    )


def _watched(response) -> ModelSessionEvent:
    if response.heartbeat:
        return ModelSessionEvent(sequence=response.sequence, heartbeat=True)
    return model_session_event_from_proto(response.event)


def _watch_response(event: ModelSessionEvent, response_type):
    if event.heartbeat:
        return response_type(heartbeat=True, sequence=event.sequence)
    return response_type(event=model_session_event_to_proto(event), sequence=event.sequence)


def watch_model_session_response_from_proto(
        response: pb.WatchModelSessionResponse) -> ModelSessionEvent:
    """An answer of WatchModelSession: its event, or a heartbeat (``heartbeat`` True, just the
    ``sequence`` to resume after)."""
    return _watched(response)


def watch_model_session_response_to_proto(
        event: ModelSessionEvent) -> pb.WatchModelSessionResponse:
    return _watch_response(event, pb.WatchModelSessionResponse)


def watch_model_sessions_response_from_proto(
        response: pb.WatchModelSessionsResponse) -> ModelSessionEvent:
    """An answer of WatchModelSessions, as ``watch_model_session_response_from_proto``."""
    return _watched(response)


def watch_model_sessions_response_to_proto(
        event: ModelSessionEvent) -> pb.WatchModelSessionsResponse:
    return _watch_response(event, pb.WatchModelSessionsResponse)
