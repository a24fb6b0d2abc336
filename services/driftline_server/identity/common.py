"""Words shared by Identity's domain modules: enums, time, validation helpers, the project port."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from driftline_server.catalog.remote import ProjectInfo
from driftline_server.platform.clock import as_utc, new_id, utcnow
from driftline_server.platform.errors import FieldViolation
from driftline_server.platform.validation import check_id, check_text

# Re-exported: Identity's modules take the platform's clock, ids and field checks from here.
__all__ = [
    "ApiKeyExpiration",
    "ExternalIntegration",
    "ProjectDirectory",
    "ProjectInfo",
    "StorageCredentials",
    "as_utc",
    "check_email",
    "check_id",
    "check_text",
    "check_username",
    "new_id",
    "utcnow",
]


class ApiKeyExpiration(enum.Enum):
    """How long a new API key lives (None: until deleted)."""

    ONE_MONTH = timedelta(days=30)
    THREE_MONTHS = timedelta(days=90)
    SIX_MONTHS = timedelta(days=180)
    ONE_YEAR = timedelta(days=365)
    NEVER = None


class ExternalIntegration(enum.Enum):
    AWS = "AWS"
    GCP = "GCP"
    AZURE = "AZURE"
    AWS_COMPATIBLE = "AWS_COMPATIBLE"
    OPENAI = "OPENAI"
    ANTHROPIC = "ANTHROPIC"
    AZURE_OPENAI = "AZURE_OPENAI"
    GOOGLE_AI = "GOOGLE_AI"


# The LLM providers (an API key each), e.g. for the LLM judge of RAG evaluation reports.
LLM_INTEGRATIONS = (
    ExternalIntegration.OPENAI,
    ExternalIntegration.ANTHROPIC,
    ExternalIntegration.AZURE_OPENAI,
    ExternalIntegration.GOOGLE_AI,
)

# The integration types that reach a project's own storage, the preferred first.
STORAGE_INTEGRATIONS = (ExternalIntegration.AWS_COMPATIBLE, ExternalIntegration.AWS)


@dataclass(frozen=True)
class StorageCredentials:
    """How Driftline reaches a project's own storage (IdentityService.ResolveStorageCredentials):
    an access key (AWS_COMPATIBLE) or an IAM role to assume (AWS). The secret stays out of
    ``repr``, so that it cannot reach a log line or a traceback by accident."""

    credentials_id: str
    name: str
    type: ExternalIntegration
    access_key_id: str = ""
    secret_access_key: str = field(default="", repr=False)
    endpoint_url: str = ""
    role_arn: str = ""
    external_id: str = ""


class ProjectDirectory(Protocol):
    """Catalog's projects as Identity sees them (implemented over gRPC by catalog.remote.CatalogProjects)."""

    async def get_project(self, project_id: str) -> ProjectInfo | None: ...

    async def list_company_projects(self, company_id: str) -> list[ProjectInfo]: ...


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_USERNAME = re.compile(r"^[A-Za-z0-9._@-]{3,64}$")


def check_email(violations: list[FieldViolation], field: str, value: str) -> str:
    value = (value or "").strip().lower()
    if not value:
        violations.append(FieldViolation(field, "is required"))
    elif len(value) > 320 or not _EMAIL.match(value):
        violations.append(FieldViolation(field, f"'{value}' is not an e-mail address"))
    return value


def check_username(violations: list[FieldViolation], field: str, value: str) -> str:
    value = (value or "").strip().lower()
    if not _USERNAME.match(value):
        violations.append(
            FieldViolation(
                field, "must have 3 to 64 characters among letters, digits, '.', '_', '-' and '@'"
            )
        )
    return value
