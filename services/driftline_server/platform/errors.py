"""Domain errors. Domain code raises these; one interceptor turns them into gRPC statuses.

Each error carries a stable ``reason`` (UPPER_SNAKE_CASE, e.g. ``TASK_NOT_FOUND``) that clients
can branch on, and a message for people that says what was wrong and how to fix it. Nothing here
knows gRPC: the mapping to status codes lives in ``platform.interceptors``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldViolation:
    """One invalid request field: its path (``task.positive_class``) and what is wrong with it."""

    field: str
    description: str


@dataclass
class DomainError(Exception):
    reason: str
    message: str
    metadata: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.reason}: {self.message}"


class NotFound(DomainError):
    """The resource does not exist, or belongs to another company (which is never revealed)."""


class AlreadyExists(DomainError):
    """A resource with the same unique key exists."""


@dataclass
class InvalidArgument(DomainError):
    """The request is malformed; ``violations`` names every offending field."""

    violations: list[FieldViolation] = field(default_factory=list)

    @classmethod
    def for_field(cls, field_path: str, description: str, reason: str = "INVALID_ARGUMENT"):
        return cls(
            reason=reason,
            message=f"{field_path}: {description}",
            violations=[FieldViolation(field_path, description)],
        )


class FailedPrecondition(DomainError):
    """The request is valid but the system is not in a state that allows it."""


class Aborted(DomainError):
    """A concurrent change came first (optimistic concurrency): read again and retry."""


class PermissionDenied(DomainError):
    """The caller is known but their role does not allow the operation."""


class Unauthenticated(DomainError):
    """No valid credential: missing, malformed, expired or deleted API key."""


class ResourceExhausted(DomainError):
    """A limit was hit (e.g. sign-in throttling); retry later."""


class Unavailable(DomainError):
    """A dependency (another service, the database) cannot be reached right now."""


class DataLoss(DomainError):
    """Something stored is gone or unreadable (a committed batch's file, say)."""


def not_found(kind: str, resource_id: str) -> NotFound:
    """``not_found("task", "t-1")`` -> NotFound with reason TASK_NOT_FOUND."""
    return NotFound(
        reason=f"{kind.upper().replace(' ', '_')}_NOT_FOUND",
        message=f"{kind} '{resource_id}' does not exist or is not visible to you",
        metadata={"id": resource_id},
    )


def require(violations: list[FieldViolation], reason: str = "INVALID_ARGUMENT") -> None:
    """Raise one InvalidArgument listing every violation collected, if there are any."""
    if violations:
        raise InvalidArgument(
            reason=reason,
            message="; ".join(f"{v.field}: {v.description}" for v in violations),
            violations=list(violations),
        )
