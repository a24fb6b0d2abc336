"""Roles and the caller of an RPC, with the authorization rules of the whole suite in one place.

Company owners and admins may do everything inside their company. A company user needs a
project role: VIEW reads, USER also works on and edits, ADMIN also updates the project's own
information and credentials. What belongs to another company is reported as not found.
"""

from __future__ import annotations

import contextvars
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from driftline_server.platform.errors import FailedPrecondition, PermissionDenied, not_found


class CompanyRole(enum.Enum):
    OWNER = "COMPANY_OWNER"
    ADMIN = "COMPANY_ADMIN"
    USER = "COMPANY_USER"
    NONE = "COMPANY_NONE"


class ProjectRole(enum.IntEnum):
    """Ordered: a higher role includes every right of the lower ones."""

    VIEW = 1
    USER = 2
    ADMIN = 3


@dataclass(frozen=True)
class Caller:
    """Who is calling: a user (through an API key) or another Driftline service."""

    user_id: str
    company_id: str | None = None
    company_role: CompanyRole = CompanyRole.NONE
    project_roles: Mapping[str, ProjectRole] = field(default_factory=dict)
    api_key_id: str | None = None
    internal: bool = False

    @property
    def is_company_manager(self) -> bool:
        return self.internal or self.company_role in (CompanyRole.OWNER, CompanyRole.ADMIN)

    def require_company(self) -> str:
        """The caller's company id; FAILED_PRECONDITION when they have none yet."""
        if self.company_id is None:
            raise FailedPrecondition(
                reason="COMPANY_REQUIRED",
                message="you do not belong to a company yet: create one with CreateCompany first",
            )
        return self.company_id

    def require_company_manager(self, action: str) -> str:
        """Owner or admin of their company; returns the company id."""
        company_id = self.require_company() if not self.internal else (self.company_id or "")
        if not self.is_company_manager:
            raise PermissionDenied(
                reason="COMPANY_ROLE_REQUIRED",
                message=f"{action} needs the COMPANY_OWNER or COMPANY_ADMIN role",
            )
        return company_id

    def require_company_owner(self, action: str) -> str:
        company_id = self.require_company()
        if not self.internal and self.company_role is not CompanyRole.OWNER:
            raise PermissionDenied(
                reason="COMPANY_OWNER_REQUIRED", message=f"{action} needs the COMPANY_OWNER role"
            )
        return company_id

    def sees_company(self, company_id: str) -> bool:
        return self.internal or self.company_id == company_id

    def project_role(self, project_id: str) -> ProjectRole | None:
        """The effective role on a project of the caller's company (managers act as ADMIN)."""
        if self.is_company_manager:
            return ProjectRole.ADMIN
        if self.company_role is CompanyRole.USER:
            return self.project_roles.get(project_id)
        return None

    def require_project_role(
        self, project_id: str, project_company_id: str, needed: ProjectRole, action: str
    ) -> None:
        """Raise NOT_FOUND for another company's project, PERMISSION_DENIED below ``needed``."""
        if not self.sees_company(project_company_id):
            raise not_found("project", project_id)
        role = self.project_role(project_id)
        if role is None or role < needed:
            raise PermissionDenied(
                reason="PROJECT_ROLE_REQUIRED",
                message=(
                    f"{action} needs at least PROJECT_{needed.name} on project '{project_id}' "
                    "(or the COMPANY_OWNER or COMPANY_ADMIN role)"
                ),
                metadata={"project_id": project_id, "needed_role": f"PROJECT_{needed.name}"},
            )


INTERNAL_CALLER = Caller(user_id="driftline-internal", internal=True)

_current_caller: contextvars.ContextVar[Caller | None] = contextvars.ContextVar(
    "driftline_caller", default=None
)


def current_caller() -> Caller:
    """The caller of the RPC being served; set by the authentication interceptor."""
    caller = _current_caller.get()
    if caller is None:  # a public method asked for a caller: a programming error, not user input
        raise RuntimeError("no authenticated caller in this context")
    return caller


def caller_or_none() -> Caller | None:
    """The caller of the RPC being served, or None outside an authenticated call."""
    return _current_caller.get()


def set_current_caller(caller: Caller | None) -> contextvars.Token:
    return _current_caller.set(caller)


def reset_current_caller(token: contextvars.Token) -> None:
    _current_caller.reset(token)
