"""The life of a model session (and of a model built in one): its states, the moves between
them, and the times the server keeps as they happen. Pure: no gRPC, no database.

QUEUED -> BUILDING_MODELS -> GENERATING_CANDIDATES -> COMPLETE, and ERROR from any state that
has not ended. A state may be skipped forward (a session that builds no candidates goes from
BUILDING_MODELS to COMPLETE) but never goes back, and an ended session (COMPLETE or ERROR)
does not move again: building again is a new session. Moving to the state it is in changes
nothing (a retried update is harmless).

Times: ``start_time`` when it leaves QUEUED, ``end_time`` when it ends, ``total_seconds``
from start to end (a session that ends straight from QUEUED starts and ends then).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime


class SessionState(enum.StrEnum):
    QUEUED = "QUEUED"
    BUILDING_MODELS = "BUILDING_MODELS"
    GENERATING_CANDIDATES = "GENERATING_CANDIDATES"
    COMPLETE = "COMPLETE"
    ERROR = "ERROR"


_ORDER = [SessionState.QUEUED, SessionState.BUILDING_MODELS,
          SessionState.GENERATING_CANDIDATES, SessionState.COMPLETE]
ENDED = frozenset({SessionState.COMPLETE, SessionState.ERROR})


class StateMoveRefused(Exception):
    """The move is not allowed; the message says why and what is allowed."""


@dataclass(frozen=True)
class Timeline:
    state: SessionState
    start_time: datetime | None = None
    end_time: datetime | None = None

    @property
    def total_seconds(self) -> float | None:
        if self.start_time is None or self.end_time is None:
            return None
        return (self.end_time - self.start_time).total_seconds()


def allowed_moves(state: SessionState) -> list[SessionState]:
    """The states a session in ``state`` may move to (besides staying)."""
    if state in ENDED:
        return []
    return _ORDER[_ORDER.index(state) + 1:] + [SessionState.ERROR]


def move(timeline: Timeline, to: SessionState, now: datetime,
         subject: str = "session") -> Timeline:
    """The timeline after moving to ``to`` at ``now``; StateMoveRefused when not allowed, its
    message naming ``subject`` (a model built in a session follows the same rules)."""
    if to == timeline.state:
        return timeline
    if to not in allowed_moves(timeline.state):
        if timeline.state in ENDED:
            raise StateMoveRefused(f"the {subject} has ended ({timeline.state}); build again in "
                                   f"a new {subject}")
        allowed = ", ".join(allowed_moves(timeline.state))
        raise StateMoveRefused(f"a {subject} cannot go back from {timeline.state} to {to}; "
                               f"from {timeline.state} it may move to {allowed}")
    start = timeline.start_time or now  # leaving QUEUED starts it
    end = now if to in ENDED else None
    return replace(timeline, state=to, start_time=start, end_time=end)
