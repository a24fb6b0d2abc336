"""Integration credentials: how a project reaches AWS, AWS-compatible services, GCP, Azure and
the LLM providers (OpenAI, Anthropic, Azure OpenAI, Google AI).

Secrets are sealed with Fernet before they reach the database and are returned only masked;
what is not secret (role ARN, external id, client e-mail, ids) is kept readable beside them.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlparse

from sqlalchemy import update
from sqlmodel import select

from driftline_server.identity import requests
from driftline_server.identity.common import (
    LLM_INTEGRATIONS,
    STORAGE_INTEGRATIONS,
    ExternalIntegration,
    StorageCredentials,
    as_utc,
    ProjectDirectory,
    check_id,
    check_text,
    new_id,
    utcnow,
)
from driftline_server.platform.crypto import SecretBox, mask
from driftline_server.identity.models import IntegrationCredentialsRow
from driftline_server.platform import paging
from driftline_server.platform.database import Database
from driftline_server.platform.errors import (
    FailedPrecondition,
    FieldViolation,
    NotFound,
    PermissionDenied,
    not_found,
    require,
)
from driftline_server.platform.logging import get_logger
from driftline_server.platform.roles import Caller, ProjectRole

_log = get_logger("driftline.identity")

_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
GCP_REQUIRED = ("type", "project_id", "private_key_id", "private_key", "client_email")
# Azure service principals come as snake_case or as the camelCase of `--sdk-auth`.
AZURE_ALIASES = {
    "client_id": ("client_id", "clientId", "appId"),
    "client_secret": ("client_secret", "clientSecret", "password"),
    "tenant_id": ("tenant_id", "tenantId", "tenant"),
    "subscription_id": ("subscription_id", "subscriptionId"),
}


@dataclass(frozen=True)
class AwsRoleInput:
    role_arn: str


@dataclass(frozen=True)
class AwsCompatibleInput:
    access_key_id: str
    secret_access_key: str
    endpoint_url: str = ""


@dataclass(frozen=True)
class GcpInput:
    service_account_info_json: str


@dataclass(frozen=True)
class AzureInput:
    service_principal_credentials_json: str


@dataclass(frozen=True)
class LlmProviderInput:
    """An LLM provider's API key; ``provider`` is one of LLM_INTEGRATIONS (None: not given)."""

    provider: ExternalIntegration | None
    api_key: str = field(default="", repr=False)
    endpoint_url: str = ""
    api_version: str = ""


CredentialsInput = AwsRoleInput | AwsCompatibleInput | GcpInput | AzureInput | LlmProviderInput


@dataclass(frozen=True)
class StoredCredentials:
    """Credentials as shown to people: ``details`` holds no secret, only masked hints."""

    id: str
    project_id: str
    name: str
    type: ExternalIntegration
    default: bool
    created_at: datetime
    details: dict = field(default_factory=dict)


def _json_object(violations: list[FieldViolation], field_path: str, text: str) -> dict | None:
    try:
        value = json.loads(text or "")
    except ValueError as error:
        violations.append(FieldViolation(field_path, f"is not valid JSON ({error.msg})"))
        return None
    if not isinstance(value, dict):
        violations.append(FieldViolation(field_path, "must be a JSON object"))
        return None
    return value


def _http_url(violations: list[FieldViolation], field_path: str, value: str, example: str) -> str:
    value = (value or "").strip()
    if value:
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            violations.append(
                FieldViolation(field_path, f"must be an http(s) URL, e.g. {example}")
            )
    return value


def _split_llm(
    violations: list[FieldViolation], spec: LlmProviderInput
) -> tuple[ExternalIntegration | None, dict, dict]:
    kind = spec.provider
    if kind not in LLM_INTEGRATIONS:
        violations.append(
            FieldViolation(
                "llm_provider.provider",
                "must be one of EXTERNAL_INTEGRATION_OPENAI, EXTERNAL_INTEGRATION_ANTHROPIC, "
                "EXTERNAL_INTEGRATION_AZURE_OPENAI or EXTERNAL_INTEGRATION_GOOGLE_AI",
            )
        )
        kind = None
    api_key = (spec.api_key or "").strip()
    if not api_key:
        violations.append(FieldViolation("llm_provider.api_key", "is required"))
    elif len(api_key) > 1024:
        violations.append(
            FieldViolation("llm_provider.api_key", "must have at most 1024 characters")
        )
    azure = kind is ExternalIntegration.AZURE_OPENAI
    endpoint = _http_url(
        violations,
        "llm_provider.endpoint_url",
        spec.endpoint_url,
        "https://my-resource.openai.azure.com" if azure else "https://llm-gateway.example.com",
    ).rstrip("/")
    if len(endpoint) > 2048:
        violations.append(
            FieldViolation("llm_provider.endpoint_url", "must have at most 2048 characters")
        )
    api_version = (spec.api_version or "").strip()
    if azure:
        if not endpoint:
            violations.append(
                FieldViolation(
                    "llm_provider.endpoint_url",
                    "is required for Azure OpenAI: the resource's endpoint, e.g. "
                    "https://my-resource.openai.azure.com",
                )
            )
        if not api_version:
            violations.append(
                FieldViolation(
                    "llm_provider.api_version",
                    "is required for Azure OpenAI, e.g. 2024-10-21",
                )
            )
        elif len(api_version) > 64 or not re.fullmatch(r"[\w.-]+", api_version):
            violations.append(
                FieldViolation(
                    "llm_provider.api_version",
                    "must be an API version such as 2024-10-21 or 2025-01-01-preview",
                )
            )
    elif api_version and kind is not None:
        violations.append(
            FieldViolation("llm_provider.api_version", "is for Azure OpenAI only; leave it empty")
        )
    return (
        kind,
        {"masked_api_key": mask(api_key), "endpoint_url": endpoint, "api_version": api_version},
        {"api_key": api_key},
    )


def _split(
    violations: list[FieldViolation], spec: CredentialsInput | None
) -> tuple[ExternalIntegration | None, dict, dict]:
    """(type, public details, secret) of a request, recording what is wrong with it."""
    if isinstance(spec, AwsRoleInput):
        arn = (spec.role_arn or "").strip()
        if not _ROLE_ARN.match(arn):
            violations.append(
                FieldViolation(
                    "aws.role_arn",
                    "must be an IAM role ARN such as arn:aws:iam::123456789012:role/driftline",
                )
            )
        # The external id is what stops anyone else from making Driftline assume this role.
        return ExternalIntegration.AWS, {"role_arn": arn, "external_id": secrets.token_hex(16)}, {}
    if isinstance(spec, AwsCompatibleInput):
        key_id = check_text(violations, "aws_compatible.access_key_id", spec.access_key_id, 128)
        secret = (spec.secret_access_key or "").strip()
        if not secret:
            violations.append(FieldViolation("aws_compatible.secret_access_key", "is required"))
        elif len(secret) > 1024:
            violations.append(
                FieldViolation(
                    "aws_compatible.secret_access_key", "must have at most 1024 characters"
                )
            )
        endpoint = (spec.endpoint_url or "").strip()
        if endpoint:
            parsed = urlparse(endpoint)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                violations.append(
                    FieldViolation(
                        "aws_compatible.endpoint_url",
                        "must be an http(s) URL, e.g. https://s3.example.com",
                    )
                )
        return (
            ExternalIntegration.AWS_COMPATIBLE,
            {"access_key_id": key_id, "endpoint_url": endpoint, "masked_secret": mask(secret)},
            {"secret_access_key": secret},
        )
    if isinstance(spec, GcpInput):
        path = "gcp.service_account_info_json"
        info = _json_object(violations, path, spec.service_account_info_json)
        if info is None:
            return ExternalIntegration.GCP, {}, {}
        missing = [k for k in GCP_REQUIRED if not isinstance(info.get(k), str) or not info[k]]
        if missing:
            violations.append(FieldViolation(path, f"lacks the field(s) {', '.join(missing)}"))
        elif info["type"] != "service_account":
            violations.append(FieldViolation(path, "'type' must be 'service_account'"))
        elif "@" not in info["client_email"]:
            violations.append(FieldViolation(path, "'client_email' is not an e-mail address"))
        return (
            ExternalIntegration.GCP,
            {
                "client_email": str(info.get("client_email", "")),
                "gcp_project_id": str(info.get("project_id", "")),
                "masked_private_key_id": mask(str(info.get("private_key_id", ""))),
            },
            {"service_account_info": info},
        )
    if isinstance(spec, AzureInput):
        path = "azure.service_principal_credentials_json"
        info = _json_object(violations, path, spec.service_principal_credentials_json)
        if info is None:
            return ExternalIntegration.AZURE, {}, {}
        found = {
            name: next((info[a] for a in aliases if isinstance(info.get(a), str) and info[a]), "")
            for name, aliases in AZURE_ALIASES.items()
        }
        missing = [n for n in ("client_id", "client_secret", "tenant_id") if not found[n]]
        if missing:
            violations.append(FieldViolation(path, f"lacks the field(s) {', '.join(missing)}"))
        return (
            ExternalIntegration.AZURE,
            {
                "client_id": found["client_id"],
                "tenant_id": found["tenant_id"],
                "subscription_id": found["subscription_id"],
                "masked_client_secret": mask(found["client_secret"]),
            },
            {"service_principal_credentials": info},
        )
    if isinstance(spec, LlmProviderInput):
        return _split_llm(violations, spec)
    violations.append(
        FieldViolation(
            "credentials", "give exactly one of aws, aws_compatible, gcp, azure or llm_provider"
        )
    )
    return None, {}, {}


def _stored(row: IntegrationCredentialsRow) -> StoredCredentials:
    return StoredCredentials(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        type=ExternalIntegration(row.type),
        default=row.default_slot is not None,
        created_at=as_utc(row.created_at),
        details=json.loads(row.public_details),
    )


def _slot(project_id: str, kind: str) -> str:
    return f"{project_id}:{kind}"


class IntegrationCredentialsStore:
    def __init__(
        self,
        database: Database,
        projects: ProjectDirectory,
        box: SecretBox,
        clock: Callable[[], datetime] = utcnow,
    ):
        self._db = database
        self._projects = projects
        self._box = box
        self._clock = clock

    async def _project_company(self, caller: Caller, project_id: str) -> str:
        project = await self._projects.get_project(project_id)
        if project is None or not caller.sees_company(project.company_id):
            raise not_found("project", project_id)
        return project.company_id

    async def _visible(
        self, session, caller: Caller, credentials_id: str
    ) -> IntegrationCredentialsRow:
        row = (
            await session.get(IntegrationCredentialsRow, credentials_id) if credentials_id else None
        )
        if row is None or not caller.sees_company(row.company_id):
            raise NotFound(
                reason="INTEGRATION_CREDENTIALS_NOT_FOUND",
                message=(
                    f"integration credentials '{credentials_id}' do not exist or are not "
                    "visible to you"
                ),
                metadata={"id": credentials_id},
            )
        return row

    async def create(
        self,
        caller: Caller,
        project_id: str,
        name: str,
        default: bool,
        spec: CredentialsInput | None,
        request_id: str = "",
    ) -> StoredCredentials:
        violations: list[FieldViolation] = []
        project_id = check_id(violations, "project_id", project_id)
        name = check_text(violations, "name", name, 200)
        request_id = requests.check_request_id(violations, request_id)
        kind, public, secret = _split(violations, spec)
        if project_id:
            company_id = await self._project_company(caller, project_id)
            caller.require_project_role(
                project_id, company_id, ProjectRole.ADMIN, "creating integration credentials"
            )
        require(violations)
        row = IntegrationCredentialsRow(
            id=new_id(),
            company_id=company_id,
            project_id=project_id,
            name=name,
            type=kind.value,
            default_slot=_slot(project_id, kind.value) if default else None,
            public_details=json.dumps(public, sort_keys=True),
            secret_encrypted=self._box.seal(secret) if secret else "",
            created_at=self._clock(),
        )
        scope = f"CreateIntegrationCredentials:{company_id}"
        async with self._db.transaction() as session:
            earlier = await requests.earlier_result(session, scope, request_id)
            if earlier is not None and (
                existing := await session.get(IntegrationCredentialsRow, earlier)
            ):
                return _stored(existing)
            if default:
                await session.exec(
                    update(IntegrationCredentialsRow)
                    .where(IntegrationCredentialsRow.default_slot == row.default_slot)
                    .values(default_slot=None)
                )
            session.add(row)
            requests.remember(session, scope, request_id, row.id, row.created_at)
        _log.info(
            "integration_credentials_created",
            credentials_id=row.id,
            project_id=project_id,
            type=kind.value,
            by=caller.user_id,
        )
        return _stored(row)

    async def get(self, caller: Caller, credentials_id: str) -> StoredCredentials:
        violations: list[FieldViolation] = []
        credentials_id = check_id(violations, "credentials_id", credentials_id)
        require(violations)
        async with self._db.reading() as session:
            row = await self._visible(session, caller, credentials_id)
        caller.require_project_role(
            row.project_id, row.company_id, ProjectRole.VIEW, "reading integration credentials"
        )
        return _stored(row)

    async def list(
        self, caller: Caller, project_id: str, page_size: int, page_token: str
    ) -> tuple[list[StoredCredentials], str]:
        violations: list[FieldViolation] = []
        project_id = check_id(violations, "project_id", project_id)
        require(violations)
        company_id = await self._project_company(caller, project_id)
        caller.require_project_role(
            project_id, company_id, ProjectRole.VIEW, "listing integration credentials"
        )
        page = paging.parse(page_size, page_token, paging.fingerprint("credentials", project_id))
        table = IntegrationCredentialsRow
        async with self._db.reading() as session:
            query = paging.by_time_and_id(
                select(table).where(table.project_id == project_id, table.company_id == company_id),
                page, table.created_at, table.id,
            )
            rows = (await session.exec(query)).all()
        rows, token = paging.time_and_id_page(page, rows, "created_at")
        return [_stored(r) for r in rows], token

    async def delete(self, caller: Caller, credentials_id: str) -> None:
        violations: list[FieldViolation] = []
        credentials_id = check_id(violations, "credentials_id", credentials_id)
        require(violations)
        async with self._db.transaction() as session:
            row = await self._visible(session, caller, credentials_id)
            caller.require_project_role(
                row.project_id,
                row.company_id,
                ProjectRole.ADMIN,
                "deleting integration credentials",
            )
            await session.delete(row)
        _log.info(
            "integration_credentials_deleted", credentials_id=credentials_id, by=caller.user_id
        )

    async def set_default(self, caller: Caller, credentials_id: str) -> None:
        violations: list[FieldViolation] = []
        credentials_id = check_id(violations, "credentials_id", credentials_id)
        require(violations)
        async with self._db.transaction() as session:
            row = await self._visible(session, caller, credentials_id)
            caller.require_project_role(
                row.project_id,
                row.company_id,
                ProjectRole.ADMIN,
                "setting default integration credentials",
            )
            slot = _slot(row.project_id, row.type)
            if row.default_slot == slot:
                return
            await session.exec(
                update(IntegrationCredentialsRow)
                .where(IntegrationCredentialsRow.default_slot == slot)
                .values(default_slot=None)
            )
            await session.flush()
            row.default_slot = slot
            session.add(row)

    async def resolve(self, caller: Caller, credentials_id: str,
                      project_id: str) -> tuple[ExternalIntegration, dict]:
        """One integration credentials of the project, secrets decrypted, for Driftline's own
        services only (cloud actions and retrain triggers): their type and what they hold."""
        if not caller.internal:  # also enforced by the server's internal_methods
            raise PermissionDenied(reason="INTERNAL_METHOD", message="for Driftline's services only")
        violations: list[FieldViolation] = []
        credentials_id = check_id(violations, "credentials_id", credentials_id)
        project_id = check_id(violations, "project_id", project_id)
        require(violations)
        async with self._db.reading() as session:
            row = await session.get(IntegrationCredentialsRow, credentials_id)
        if row is None or row.project_id != project_id:
            raise not_found("integration credentials", credentials_id)
        kind = ExternalIntegration(row.type)
        details = json.loads(row.public_details)
        resolved: dict = {"type": kind.value}
        if kind is ExternalIntegration.AWS:
            resolved.update(role_arn=details["role_arn"], external_id=details["external_id"])
        else:
            secret = self._open(row)
            if kind is ExternalIntegration.AWS_COMPATIBLE:
                resolved.update(access_key_id=details["access_key_id"],
                                secret_access_key=secret["secret_access_key"],
                                endpoint_url=details.get("endpoint_url", ""))
            elif kind is ExternalIntegration.GCP:
                resolved["service_account_info"] = secret["service_account_info"]
            elif kind in LLM_INTEGRATIONS:
                resolved.update(api_key=secret["api_key"],
                                endpoint_url=details.get("endpoint_url", ""),
                                api_version=details.get("api_version", ""))
            else:
                resolved.update(secret["service_principal_credentials"])
                resolved["type"] = kind.value
        # Which credentials were handed out, never what they hold.
        _log.info("integration_credentials_resolved", project_id=project_id,
                  credentials_id=row.id, type=kind.value)
        return kind, resolved

    def _open(self, row: IntegrationCredentialsRow) -> dict:
        try:
            return self._box.open(row.secret_encrypted)
        except RuntimeError as error:  # the server's secret key changed
            raise FailedPrecondition(
                reason="INTEGRATION_SECRET_UNREADABLE",
                message=f"integration credentials '{row.id}': {error}; create them again",
                metadata={"credentials_id": row.id},
            ) from None

    async def resolve_storage(self, caller: Caller, project_id: str) -> StorageCredentials:
        """The project's default AWS_COMPATIBLE credentials (else its default AWS ones), secret
        decrypted, for Driftline's own services only: Data reaches a CUSTOMER project's bucket
        with them. NOT_FOUND (STORAGE_CREDENTIALS_NOT_FOUND) when the project has neither."""
        if not caller.internal:  # also enforced by the server's internal_methods
            raise PermissionDenied(
                reason="INTERNAL_METHOD", message="for Driftline's services only"
            )
        violations: list[FieldViolation] = []
        project_id = check_id(violations, "project_id", project_id)
        require(violations)
        table = IntegrationCredentialsRow
        kinds = [kind.value for kind in STORAGE_INTEGRATIONS]
        async with self._db.reading() as session:
            rows = (await session.exec(select(table).where(
                table.default_slot.in_([_slot(project_id, kind) for kind in kinds])
            ))).all()
            undefaulted = [] if rows else (await session.exec(select(table.name).where(
                table.project_id == project_id, table.type.in_(kinds)))).all()
        if not rows:
            hint = (
                f"; it has {', '.join(repr(name) for name in sorted(undefaulted))}, but not as "
                "the default: make them the default (SetDefaultIntegrationCredentials)"
                if undefaulted else
                ": create AWS_COMPATIBLE credentials (an access key, with the endpoint of an "
                "S3-compatible service) or AWS credentials (an IAM role) with default=true"
            )
            raise NotFound(
                reason="STORAGE_CREDENTIALS_NOT_FOUND",
                message=f"project '{project_id}' has no default integration credentials of type "
                        f"AWS_COMPATIBLE or AWS to reach its storage{hint}",
                metadata={"project_id": project_id},
            )
        row = min(rows, key=lambda r: kinds.index(r.type))
        details = json.loads(row.public_details)
        kind = ExternalIntegration(row.type)
        if kind is ExternalIntegration.AWS:
            resolved = StorageCredentials(
                credentials_id=row.id, name=row.name, type=kind,
                role_arn=details["role_arn"], external_id=details["external_id"],
            )
        else:
            secret = self._open(row)
            resolved = StorageCredentials(
                credentials_id=row.id, name=row.name, type=kind,
                access_key_id=details["access_key_id"],
                secret_access_key=secret["secret_access_key"],
                endpoint_url=details.get("endpoint_url", ""),
            )
        # Which credentials were handed out, never what they hold.
        _log.info("storage_credentials_resolved", project_id=project_id,
                  credentials_id=row.id, type=kind.value)
        return resolved
