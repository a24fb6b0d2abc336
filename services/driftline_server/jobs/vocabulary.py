"""The words of jobs: statuses, event types, and the limits every submission is held to."""

from __future__ import annotations

import enum


class JobStatus(enum.Enum):
    QUEUED = "QUEUED"
    STARTING = "STARTING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"

    @property
    def terminal(self) -> bool:
        return self in TERMINAL


TERMINAL = frozenset({JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED})
# Statuses of a job that an engine holds (under a lease).
IN_FLIGHT = frozenset({JobStatus.STARTING, JobStatus.RUNNING})


class EventType(enum.Enum):
    STATUS_CHANGED = "STATUS_CHANGED"
    PROGRESS = "PROGRESS"
    CANCEL_REQUESTED = "CANCEL_REQUESTED"
    HEARTBEAT = "HEARTBEAT"  # never stored: made by streams that have nothing else to say


DEFAULT_MAX_ATTEMPTS = 3
MAX_MAX_ATTEMPTS = 10
