"""Model sessions' results: the models built from one dataset for one set of targets (a
session), the state of the build and its times, a registry of build logs and metrics, the
models themselves (built models, in a session or detached), and a session's state changes.

Named as the model sessions reference names them (``name``, ``category``, ``dataset_id``,
``target``, ``metadata``, ``state``, ``start_time``, ``end_time``, ``total_time``,
``model_count``, ``registry``, ``type``, ``model_binary_key``); a result's own id is
``<type>_id`` (``model_session_id``, ``built_model_id``), as every result of the client names
it, and so is the session a built model belongs to (``model_session_id``, the reference's
``parent_id``). States, categories, types and levels are ``driftline.enums`` members.

Example:
    >>> session = client.get_model_session(session_id)
    >>> session.state.name, session.total_time, session.registry.metrics
    ('COMPLETE', datetime.timedelta(seconds=95), {'auc': 0.91})
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import Field

from driftline.enums import (
    BuildLogLevel,
    BuiltModelType,
    ModelSessionCategory,
    ModelSessionEventType,
    ModelSessionState,
)
from driftline.types._base import Result
from driftline.types._fields import Positional, enum_field

BuildLogLevelField = enum_field(BuildLogLevel)
BuiltModelTypeField = enum_field(BuiltModelType)
CategoryField = enum_field(ModelSessionCategory)
EventTypeField = enum_field(ModelSessionEventType)
StateField = enum_field(ModelSessionState)

# A session or built model in one of these states does not move again.
ENDED_STATES = frozenset({ModelSessionState.COMPLETE, ModelSessionState.ERROR})


class BuildLogEntry(Positional):
    """One line of a session's build log: ``level`` DEBUG, INFO, WARNING or ERROR (a
    BuildLogLevel or its name); ``time`` None when adding means "when the server receives it".
    Fields may be given positionally, in this order.

    Example:
        >>> client.add_model_session_logs(session_id, [BuildLogEntry("fold 2 slow", "WARNING")])
    """

    message: str
    level: BuildLogLevelField = BuildLogLevel.INFO
    time: datetime | None = None


class ModelSessionRegistry(Result):
    """A session's build log (empty unless read with ``include_build_logs``; its length is
    ``build_log_count`` either way) and its metrics by name.

    Example:
        >>> client.get_model_session(session_id).registry.metrics
        {'auc': 0.91}
    """

    build_logs: list[BuildLogEntry] = Field(default_factory=list)
    build_log_count: int = 0
    metrics: dict[str, float] = Field(default_factory=dict)


class ModelSession(Result):
    """A model session: ``category`` USER_MODEL or PLATFORM_MODEL, ``state`` where its build
    is, ``total_time`` how long it took (a timedelta, once it has started),
    ``default_model_id`` the built model it defaults to ("" for none).

    Example:
        >>> session = client.wait_model_session(session_id)
        >>> session.ended, session.state.name
        (True, 'COMPLETE')
    """

    model_session_id: str
    project_id: str
    name: str
    dataset_id: str
    category: CategoryField
    target: list[str] = Field(default_factory=list)
    metadata: dict = Field(default_factory=dict)
    state: StateField
    start_time: datetime | None = None
    end_time: datetime | None = None
    total_time: timedelta | None = None
    default_model_id: str = ""
    model_count: int = 0
    registry: ModelSessionRegistry = Field(default_factory=ModelSessionRegistry)
    creator_id: str = ""
    creation_datetime: datetime | None = None
    update_datetime: datetime | None = None

    @property
    def ended(self) -> bool:
        """COMPLETE or ERROR: the session does not move again."""
        return self.state in ENDED_STATES


class BuiltModel(Result):
    """A model built from a dataset: ``type`` SESSION (``model_session_id`` set) or DETACHED;
    ``model_binary_key`` where its binary is stored.

    Example:
        >>> client.get_built_model(built_model_id).model_binary_key
        's3://acme-ml/models/gbm-depth-6.bin'
    """

    built_model_id: str
    project_id: str
    model_session_id: str = ""
    type: BuiltModelTypeField
    name: str
    dataset_id: str
    target: list[str] = Field(default_factory=list)
    metadata: dict = Field(default_factory=dict)
    state: StateField
    start_time: datetime | None = None
    end_time: datetime | None = None
    total_time: timedelta | None = None
    model_binary_key: str = ""
    creator_id: str = ""
    creation_datetime: datetime | None = None
    update_datetime: datetime | None = None


class ModelSessionEvent(Result):
    """A state change of a session (``event_type`` STATE_CHANGED; ``previous_state`` None when
    it was created), its delete (DELETED), or, only when asked for, a heartbeat
    (``heartbeat`` True, ``event_type`` None: just the ``sequence`` to resume after).

    Example:
        >>> for event in client.watch_model_session(session_id):
        ...     print(event.sequence, event.event_type.name, event.state.name)
    """

    sequence: int
    event_type: EventTypeField | None = None
    heartbeat: bool = False
    model_session_id: str = ""
    project_id: str = ""
    state: StateField | None = None
    previous_state: StateField | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    total_time: timedelta | None = None
    event_datetime: datetime | None = None

    @property
    def ends_session(self) -> bool:
        """The last event of its session: it ended or was deleted."""
        return (self.event_type == ModelSessionEventType.DELETED
                or self.state in ENDED_STATES)
