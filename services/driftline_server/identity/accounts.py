"""Users, companies, company and project roles, sign-in and API keys.

Management decisions are taken on the caller's roles as stored *now* (re-read from the
database), not on the up-to-2-seconds-old roles of the authentication cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from driftline_server.identity import keys, requests
from driftline_server.identity.common import (
    ApiKeyExpiration,
    ProjectDirectory,
    ProjectInfo,
    as_utc,
    check_email,
    check_id,
    check_text,
    check_username,
    new_id,
    utcnow,
)
from driftline_server.identity.models import (
    ApiKeyRow,
    CompanyRow,
    ProjectRoleRow,
    SignInFailureRow,
    UserRow,
)
from driftline_server.identity.plans import Plans
from driftline_server.identity.passwords import (
    hash_password,
    needs_rehash,
    password_violations,
    verify_password,
)
from driftline_server.platform import paging
from driftline_server.platform.database import Database, is_unique_violation
from driftline_server.platform.errors import (
    AlreadyExists,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    not_found,
    require,
)
from driftline_server.platform.logging import get_logger
from driftline_server.platform.roles import Caller, CompanyRole, ProjectRole

_log = get_logger("driftline.identity")

MEMBER_ROLES = (CompanyRole.ADMIN, CompanyRole.USER, CompanyRole.NONE)
COMPANY_FIELDS = ("name", "address", "vat")


def project_role_name(role: ProjectRole) -> str:
    return f"PROJECT_{role.name}"


def project_role_of(name: str) -> ProjectRole:
    return ProjectRole[name.removeprefix("PROJECT_")]


@dataclass(frozen=True)
class IssuedKey:
    """A new API key: ``secret`` is the key itself, to be shown once and then forgotten."""

    secret: str
    row: ApiKeyRow


@dataclass(frozen=True)
class SignInResult:
    key: IssuedKey
    user: UserRow


@dataclass(frozen=True)
class UserProject:
    project: ProjectInfo
    role: ProjectRole


@dataclass(frozen=True)
class Throttle:
    """At most ``failures`` failed sign-ins per username within ``window``."""

    failures: int = 5
    window: timedelta = timedelta(minutes=15)


class Accounts:
    def __init__(
        self,
        database: Database,
        projects: ProjectDirectory,
        throttle: Throttle = Throttle(),
        clock: Callable[[], datetime] = utcnow,
    ):
        self._db = database
        self._projects = projects
        self._throttle = throttle
        self._clock = clock
        self._plans = Plans(database, clock)

    # ---- helpers -------------------------------------------------------------------------

    async def _project_roles(self, session, user_id: str) -> dict[str, ProjectRole]:
        rows = (
            await session.exec(select(ProjectRoleRow).where(ProjectRoleRow.user_id == user_id))
        ).all()
        return {row.project_id: project_role_of(row.role) for row in rows}

    @staticmethod
    def _caller_of(user: UserRow, roles: dict[str, ProjectRole], api_key_id: str | None) -> Caller:
        return Caller(
            user_id=user.id,
            company_id=user.company_id,
            company_role=CompanyRole(user.company_role),
            project_roles=roles if user.company_role == CompanyRole.USER.value else {},
            api_key_id=api_key_id,
        )

    async def _acting(self, session, caller: Caller) -> tuple[Caller, UserRow]:
        """The caller with their roles as stored now, and their row."""
        if caller.internal:
            raise PermissionDenied(
                reason="USER_REQUIRED", message="this operation acts for a user, not a service"
            )
        user = await session.get(UserRow, caller.user_id)
        if user is None:
            raise Unauthenticated(
                reason="API_KEY_INVALID", message="the user of this API key no longer exists"
            )
        return self._caller_of(
            user, await self._project_roles(session, user.id), caller.api_key_id
        ), user

    @staticmethod
    async def _member(session, company_id: str, user_id: str) -> UserRow:
        """A user of ``company_id``; NOT_FOUND for anyone else."""
        user = await session.get(UserRow, user_id) if user_id else None
        if user is None or user.company_id != company_id:
            raise NotFound(
                reason="USER_NOT_FOUND",
                message=f"user '{user_id}' does not exist in your company",
                metadata={"id": user_id},
            )
        return user

    async def _issue_key(
        self, session, user_id: str, name: str, expiration: ApiKeyExpiration
    ) -> IssuedKey:
        new = keys.generate()
        now = self._clock()
        row = ApiKeyRow(
            id=new.id,
            user_id=user_id,
            name=name,
            prefix=new.prefix,
            key_hash=new.digest,
            expiration=expiration.name,
            created_at=now,
            expires_at=None if expiration.value is None else now + expiration.value,
        )
        session.add(row)
        return IssuedKey(secret=new.secret, row=row)

    @staticmethod
    def _key_request(name: str, expiration: ApiKeyExpiration | None) -> str:
        violations: list[FieldViolation] = []
        name = check_text(violations, "name", name, 200, required=False) or "api key"
        if expiration is None:
            violations.append(
                FieldViolation(
                    "expiration_time",
                    "choose ONE_MONTH, THREE_MONTHS, SIX_MONTHS, ONE_YEAR or NEVER",
                )
            )
        require(violations)
        return name

    async def _check_unique(self, session, username: str, email: str) -> None:
        taken = (
            await session.exec(
                select(UserRow.username, UserRow.email).where(
                    or_(UserRow.username == username, UserRow.email == email)
                )
            )
        ).all()
        for taken_username, taken_email in taken:
            if taken_email == email:
                raise AlreadyExists(
                    reason="EMAIL_TAKEN",
                    message=f"a user with e-mail '{email}' already exists",
                    metadata={"field": "email"},
                )
            if taken_username == username:
                raise AlreadyExists(
                    reason="USERNAME_TAKEN",
                    message=f"username '{username}' is taken: choose another",
                    metadata={"field": "username"},
                )

    # ---- users without a company (the admin CLI) ----------------------------------------

    async def create_user(
        self,
        email: str,
        name: str,
        surname: str,
        username: str | None = None,
        expiration: ApiKeyExpiration = ApiKeyExpiration.NEVER,
    ) -> tuple[UserRow, IssuedKey]:
        """A user with no company and no password, and their first API key."""
        violations: list[FieldViolation] = []
        email = check_email(violations, "email", email)
        name = check_text(violations, "name", name, 200)
        surname = check_text(violations, "surname", surname, 200)
        username = check_username(violations, "username", username or email)
        require(violations)
        now = self._clock()
        try:
            async with self._db.transaction() as session:
                await self._check_unique(session, username, email)
                user = UserRow(
                    id=new_id(),
                    name=name,
                    surname=surname,
                    username=username,
                    email=email,
                    company_id=None,
                    company_role=CompanyRole.NONE.value,
                    password_hash=None,
                    password_temporary=False,
                    created_at=now,
                    updated_at=now,
                )
                session.add(user)
                await session.flush()
                issued = await self._issue_key(session, user.id, "first key", expiration)
        except IntegrityError as error:
            if is_unique_violation(error):
                raise AlreadyExists(
                    reason="USER_EXISTS",
                    message=f"a user with e-mail '{email}' or username '{username}' already exists",
                ) from None
            raise
        _log.info("user_created", user_id=user.id, by="admin")
        return user, issued

    # ---- authentication ------------------------------------------------------------------

    async def authenticate_api_key(self, api_key: str) -> Caller:
        """The caller an API key stands for; UNAUTHENTICATED when it is malformed, unknown,
        deleted or expired."""
        key_id = keys.parse_id((api_key or "").strip())
        if key_id is None:
            raise Unauthenticated(
                reason="API_KEY_INVALID",
                message="the API key is malformed: send the whole key as created (dl_...)",
            )
        async with self._db.reading() as session:
            row = await session.get(ApiKeyRow, key_id)
            if row is None or not keys.matches(api_key.strip(), row.key_hash):
                raise Unauthenticated(
                    reason="API_KEY_INVALID",
                    message="the API key is not valid: it was deleted or never existed",
                )
            expires_at = as_utc(row.expires_at)
            if expires_at is not None and expires_at <= self._clock():
                raise Unauthenticated(
                    reason="API_KEY_EXPIRED",
                    message=f"the API key expired at {expires_at.isoformat()}: create a new one",
                )
            user = await session.get(UserRow, row.user_id)
            if user is None:
                raise Unauthenticated(
                    reason="API_KEY_INVALID", message="the user of this API key no longer exists"
                )
            roles = await self._project_roles(session, user.id)
        return self._caller_of(user, roles, row.id)

    async def sign_in(
        self,
        username: str,
        password: str,
        new_password: str,
        key_name: str,
        expiration: ApiKeyExpiration,
    ) -> SignInResult:
        violations: list[FieldViolation] = []
        username = (username or "").strip().lower()
        if not username:
            violations.append(FieldViolation("username", "is required"))
        elif len(username) > 64:
            violations.append(FieldViolation("username", "must have at most 64 characters"))
        if not password:
            violations.append(FieldViolation("password", "is required"))
        key_name = check_text(violations, "api_key_name", key_name, 200, required=False)
        require(violations)

        now = self._clock()
        since = now - self._throttle.window
        async with self._db.reading() as session:
            recent = (
                await session.exec(
                    select(func.count(), func.min(SignInFailureRow.failed_at)).where(
                        SignInFailureRow.username == username, SignInFailureRow.failed_at > since
                    )
                )
            ).one()
            user = (await session.exec(select(UserRow).where(UserRow.username == username))).first()
        count, oldest = recent
        if count >= self._throttle.failures:
            retry_at = as_utc(oldest) + self._throttle.window
            seconds = max(1, int((retry_at - now).total_seconds()) + 1)
            raise ResourceExhausted(
                reason="SIGN_IN_THROTTLED",
                message=(
                    f"too many failed sign-ins for '{username}': try again in {seconds} s "
                    f"(after {retry_at.isoformat(timespec='seconds')})"
                ),
                metadata={"retry_after_seconds": str(seconds)},
            )
        if not await verify_password(user.password_hash if user else None, password):
            async with self._db.transaction() as session:
                session.add(SignInFailureRow(id=new_id(), username=username, failed_at=now))
                await session.exec(
                    delete(SignInFailureRow).where(
                        SignInFailureRow.username == username, SignInFailureRow.failed_at <= since
                    )
                )
            _log.info("sign_in_failed", username=username)
            raise Unauthenticated(
                reason="INVALID_CREDENTIALS", message="the username or the password is wrong"
            )
        assert user is not None
        if user.password_temporary and not new_password:
            raise FailedPrecondition(
                reason="PASSWORD_CHANGE_REQUIRED",
                message="your password is temporary: sign in again with a new_password",
            )
        new_hash = None
        if new_password:
            require(password_violations("new_password", new_password, username, current=password))
            new_hash = await hash_password(new_password)
        elif needs_rehash(user.password_hash):
            new_hash = await hash_password(password)  # stored with older hashing parameters
        async with self._db.transaction() as session:
            user = await session.get(UserRow, user.id)
            if user is None:  # deleted meanwhile
                raise Unauthenticated(
                    reason="INVALID_CREDENTIALS", message="the username or the password is wrong"
                )
            if new_hash is not None:
                user.password_hash = new_hash
                user.password_temporary = user.password_temporary and not new_password
                user.updated_at = now
                session.add(user)
            await session.exec(
                delete(SignInFailureRow).where(SignInFailureRow.username == username)
            )
            issued = await self._issue_key(session, user.id, key_name or "sign-in", expiration)
        _log.info("signed_in", user_id=user.id, api_key_id=issued.row.id)
        return SignInResult(key=issued, user=user)

    async def change_password(
        self, caller: Caller, current_password: str, new_password: str
    ) -> None:
        async with self._db.reading() as session:
            _, user = await self._acting(session, caller)
        if user.password_hash is not None and not await verify_password(
            user.password_hash, current_password or ""
        ):
            raise InvalidArgument.for_field(
                "current_password", "is wrong", reason="CURRENT_PASSWORD_WRONG"
            )
        require(
            password_violations(
                "new_password",
                new_password or "",
                user.username,
                current=current_password if user.password_hash else None,
            )
        )
        new_hash = await hash_password(new_password)
        async with self._db.transaction() as session:
            await session.exec(
                update(UserRow)
                .where(UserRow.id == user.id)
                .values(password_hash=new_hash, password_temporary=False, updated_at=self._clock())
            )
        _log.info("password_changed", user_id=user.id)

    async def get_current_user(self, caller: Caller) -> UserRow:
        async with self._db.reading() as session:
            return (await self._acting(session, caller))[1]

    # ---- companies -----------------------------------------------------------------------

    async def create_company(
        self, caller: Caller, name: str, address: str, vat: str, request_id: str = ""
    ) -> CompanyRow:
        violations: list[FieldViolation] = []
        name = check_text(violations, "name", name, 200)
        address = check_text(violations, "address", address, 500, required=False)
        vat = check_text(violations, "vat", vat, 64, required=False)
        request_id = requests.check_request_id(violations, request_id)
        require(violations)
        now = self._clock()
        scope = f"CreateCompany:{caller.user_id}"
        try:
            async with self._db.transaction() as session:
                _, user = await self._acting(session, caller)
                earlier = await requests.earlier_result(session, scope, request_id)
                if earlier is not None and (company := await session.get(CompanyRow, earlier)):
                    return company
                if user.company_id is not None:
                    raise FailedPrecondition(
                        reason="COMPANY_ALREADY_SET",
                        message="you already belong to a company: a user belongs to one only",
                    )
                company = CompanyRow(
                    id=new_id(), name=name, address=address, vat=vat, created_at=now, updated_at=now
                )
                session.add(company)
                await self._plans.start_default(session, company.id, now)
                user.company_id, user.company_role, user.updated_at = (
                    company.id,
                    CompanyRole.OWNER.value,
                    now,
                )
                session.add(user)
                requests.remember(session, scope, request_id, company.id, now)
        except IntegrityError:
            # A concurrent call with the same request id won: answer with its company.
            async with self._db.reading() as session:
                earlier = await requests.earlier_result(session, scope, request_id)
                if earlier is None:
                    raise
                return await session.get(CompanyRow, earlier)
        _log.info("company_created", company_id=company.id, owner_id=user.id)
        return company

    async def get_company(self, caller: Caller) -> CompanyRow:
        async with self._db.reading() as session:
            acting, _ = await self._acting(session, caller)
            company_id = acting.require_company()
            company = await session.get(CompanyRow, company_id)
        if company is None:  # pragma: no cover - a user's company is never deleted
            raise NotFound(reason="COMPANY_NOT_FOUND", message="your company no longer exists")
        return company

    async def update_company(
        self, caller: Caller, values: dict[str, str], paths: list[str]
    ) -> CompanyRow:
        unknown = [path for path in paths if path not in COMPANY_FIELDS]
        if unknown:
            raise InvalidArgument.for_field(
                "update_mask.paths",
                f"unknown field(s) {', '.join(unknown)}: choose among {', '.join(COMPANY_FIELDS)}",
            )
        # An empty mask updates the fields given non-empty values (the SDK's "empty values are
        # not updated").
        fields = list(dict.fromkeys(paths)) or [f for f in COMPANY_FIELDS if values.get(f)]
        violations: list[FieldViolation] = []
        if not fields:
            violations.append(FieldViolation("update_mask", "names no field to update"))
        limits = {"name": (200, True), "address": (500, False), "vat": (64, False)}
        cleaned = {
            f: check_text(violations, f"company.{f}", values.get(f, ""), *limits[f]) for f in fields
        }
        async with self._db.transaction() as session:
            acting, _ = await self._acting(session, caller)
            company_id = acting.require_company_manager("updating the company")
            require(violations)
            company = await session.get(CompanyRow, company_id)
            for field, value in cleaned.items():
                setattr(company, field, value)
            company.updated_at = self._clock()
            session.add(company)
        return company

    # ---- company users -------------------------------------------------------------------

    async def create_company_user(
        self,
        caller: Caller,
        name: str,
        surname: str,
        username: str,
        password: str,
        email: str,
        company_role: CompanyRole | None,
        request_id: str = "",
    ) -> UserRow:
        async with self._db.reading() as session:
            acting, _ = await self._acting(session, caller)
        company_id = acting.require_company_owner("creating company users")
        violations: list[FieldViolation] = []
        name = check_text(violations, "name", name, 200)
        surname = check_text(violations, "surname", surname, 200)
        username = check_username(violations, "username", username)
        email = check_email(violations, "email", email)
        violations += password_violations("password", password or "", username)
        request_id = requests.check_request_id(violations, request_id)
        if company_role is None:
            violations.append(
                FieldViolation("company_role", "choose COMPANY_ADMIN, COMPANY_USER or COMPANY_NONE")
            )
        elif company_role is CompanyRole.OWNER:
            violations.append(
                FieldViolation(
                    "company_role",
                    "a company has one owner: create the user, then use ChangeCompanyOwner",
                )
            )
        require(violations)
        scope = f"CreateCompanyUser:{company_id}"
        async with self._db.reading() as session:
            earlier = await requests.earlier_result(session, scope, request_id)
            if earlier is not None and (user := await session.get(UserRow, earlier)):
                return user
        password_hash = await hash_password(password)
        now = self._clock()
        try:
            async with self._db.transaction() as session:
                await self._check_unique(session, username, email)
                await self._plans.check_users(session, company_id)
                user = UserRow(
                    id=new_id(),
                    name=name,
                    surname=surname,
                    username=username,
                    email=email,
                    company_id=company_id,
                    company_role=company_role.value,
                    password_hash=password_hash,
                    password_temporary=True,
                    created_at=now,
                    updated_at=now,
                )
                session.add(user)
                requests.remember(session, scope, request_id, user.id, now)
        except IntegrityError as error:
            if is_unique_violation(error):
                raise AlreadyExists(
                    reason="USER_EXISTS",
                    message=f"a user with e-mail '{email}' or username '{username}' already exists",
                ) from None
            raise
        _log.info("company_user_created", user_id=user.id, company_id=company_id, by=acting.user_id)
        return user

    async def list_company_users(
        self, caller: Caller, page_size: int, page_token: str
    ) -> tuple[list[UserRow], str]:
        async with self._db.reading() as session:
            acting, _ = await self._acting(session, caller)
            company_id = acting.require_company()
            if acting.company_role is CompanyRole.NONE:
                raise PermissionDenied(
                    reason="COMPANY_ROLE_REQUIRED",
                    message="listing company users needs a role in the company above COMPANY_NONE",
                )
            page = paging.parse(page_size, page_token, paging.fingerprint("users", company_id))
            query = paging.by_time_and_id(
                select(UserRow).where(UserRow.company_id == company_id),
                page, UserRow.created_at, UserRow.id,
            )
            rows = (await session.exec(query)).all()
        return paging.time_and_id_page(page, rows, "created_at")

    async def change_user_company_role(
        self, caller: Caller, user_id: str, company_role: CompanyRole | None
    ) -> UserRow:
        violations: list[FieldViolation] = []
        user_id = check_id(violations, "user_id", user_id)
        if company_role is None:
            violations.append(
                FieldViolation("company_role", "choose COMPANY_ADMIN, COMPANY_USER or COMPANY_NONE")
            )
        elif company_role is CompanyRole.OWNER:
            violations.append(
                FieldViolation("company_role", "ownership passes only through ChangeCompanyOwner")
            )
        async with self._db.transaction() as session:
            acting, _ = await self._acting(session, caller)
            company_id = acting.require_company_manager("changing company roles")
            require(violations)
            target = await self._member(session, company_id, user_id)
            if target.id == acting.user_id:
                raise FailedPrecondition(
                    reason="OWN_ROLE_FIXED",
                    message="you cannot change your own company role: ask the company owner",
                )
            if target.company_role == CompanyRole.OWNER.value:
                raise FailedPrecondition(
                    reason="OWNER_ROLE_FIXED",
                    message=(
                        "the owner's role changes only when they pass ownership "
                        "(ChangeCompanyOwner)"
                    ),
                )
            if acting.company_role is CompanyRole.ADMIN and (
                target.company_role == CompanyRole.ADMIN.value or company_role is CompanyRole.ADMIN
            ):
                raise PermissionDenied(
                    reason="COMPANY_OWNER_REQUIRED",
                    message="only the company owner can make or unmake company admins",
                )
            target.company_role, target.updated_at = company_role.value, self._clock()
            session.add(target)
            if company_role is not CompanyRole.USER:
                # Project roles mean something only for COMPANY_USER members.
                await session.exec(
                    delete(ProjectRoleRow).where(ProjectRoleRow.user_id == target.id)
                )
        return target

    async def change_company_owner(self, caller: Caller, user_id: str) -> None:
        violations: list[FieldViolation] = []
        user_id = check_id(violations, "user_id", user_id)
        async with self._db.transaction() as session:
            acting, me = await self._acting(session, caller)
            company_id = acting.require_company_owner("passing company ownership")
            require(violations)
            target = await self._member(session, company_id, user_id)
            if target.id == me.id:
                raise FailedPrecondition(
                    reason="ALREADY_OWNER", message="you already own the company: name another user"
                )
            now = self._clock()
            target.company_role, target.updated_at = CompanyRole.OWNER.value, now
            me.company_role, me.updated_at = CompanyRole.ADMIN.value, now
            session.add(target)
            session.add(me)
            await session.exec(delete(ProjectRoleRow).where(ProjectRoleRow.user_id == target.id))
        _log.info(
            "company_owner_changed", company_id=company_id, owner_id=target.id, previous=me.id
        )

    async def delete_company_user(self, caller: Caller, user_id: str) -> None:
        violations: list[FieldViolation] = []
        user_id = check_id(violations, "user_id", user_id)
        async with self._db.transaction() as session:
            acting, _ = await self._acting(session, caller)
            company_id = acting.require_company_manager("deleting company users")
            require(violations)
            target = await self._member(session, company_id, user_id)
            if target.company_role == CompanyRole.OWNER.value:
                raise FailedPrecondition(
                    reason="OWNER_CANNOT_BE_DELETED",
                    message=(
                        "the company owner cannot be deleted: pass ownership first "
                        "(ChangeCompanyOwner)"
                    ),
                )
            if (
                acting.company_role is CompanyRole.ADMIN
                and target.company_role == CompanyRole.ADMIN.value
            ):
                raise PermissionDenied(
                    reason="COMPANY_OWNER_REQUIRED",
                    message="a company admin cannot delete a company admin: ask the owner",
                )
            await session.exec(delete(ApiKeyRow).where(ApiKeyRow.user_id == target.id))
            await session.exec(delete(ProjectRoleRow).where(ProjectRoleRow.user_id == target.id))
            await session.delete(target)
        _log.info("company_user_deleted", user_id=user_id, company_id=company_id, by=acting.user_id)

    # ---- project roles -------------------------------------------------------------------

    async def get_user_projects(self, caller: Caller, user_id: str) -> list[UserProject]:
        violations: list[FieldViolation] = []
        user_id = check_id(violations, "user_id", user_id)
        async with self._db.reading() as session:
            acting, _ = await self._acting(session, caller)
            company_id = acting.require_company()
            require(violations)
            if not acting.is_company_manager and user_id != acting.user_id:
                raise PermissionDenied(
                    reason="COMPANY_ROLE_REQUIRED",
                    message="only company owners and admins can see other users' projects",
                )
            target = await self._member(session, company_id, user_id)
            roles = await self._project_roles(session, target.id)
        role = CompanyRole(target.company_role)
        if role is CompanyRole.NONE or (role is CompanyRole.USER and not roles):
            return []
        projects = await self._projects.list_company_projects(company_id)
        if role in (CompanyRole.OWNER, CompanyRole.ADMIN):
            return [UserProject(p, ProjectRole.ADMIN) for p in projects]
        return [UserProject(p, roles[p.id]) for p in projects if p.id in roles]

    async def _project_role_target(
        self,
        session,
        caller: Caller,
        user_id: str,
        project_id: str,
        action: str,
        violations: list[FieldViolation],
    ) -> tuple[str, UserRow]:
        acting, _ = await self._acting(session, caller)
        company_id = acting.require_company_manager(action)
        require(violations)
        target = await self._member(session, company_id, user_id)
        if target.company_role != CompanyRole.USER.value:
            raise FailedPrecondition(
                reason="PROJECT_ROLES_ONLY_FOR_COMPANY_USERS",
                message=(
                    f"user '{user_id}' is {target.company_role}: project roles are only for "
                    "COMPANY_USER members (owners and admins already have every right on every "
                    "project; make the user COMPANY_USER first)"
                ),
                metadata={"company_role": target.company_role},
            )
        return company_id, target

    async def add_user_project_role(
        self, caller: Caller, user_id: str, project_id: str, role: ProjectRole | None
    ) -> None:
        violations: list[FieldViolation] = []
        user_id = check_id(violations, "user_id", user_id)
        project_id = check_id(violations, "project_id", project_id)
        if role is None:
            violations.append(
                FieldViolation("project_role", "choose PROJECT_ADMIN, PROJECT_USER or PROJECT_VIEW")
            )
        async with self._db.reading() as session:
            company_id, target = await self._project_role_target(
                session, caller, user_id, project_id, "assigning project roles", violations
            )
        project = await self._projects.get_project(project_id)
        if project is None or project.company_id != company_id:
            raise not_found("project", project_id)
        async with self._db.transaction() as session:
            row = await session.get(ProjectRoleRow, (target.id, project_id))
            if row is None:
                row = ProjectRoleRow(
                    user_id=target.id,
                    project_id=project_id,
                    company_id=company_id,
                    role=project_role_name(role),
                    created_at=self._clock(),
                )
            else:
                row.role = project_role_name(role)
            session.add(row)

    async def delete_user_project_role(self, caller: Caller, user_id: str, project_id: str) -> None:
        violations: list[FieldViolation] = []
        user_id = check_id(violations, "user_id", user_id)
        project_id = check_id(violations, "project_id", project_id)
        async with self._db.transaction() as session:
            _, target = await self._project_role_target(
                session, caller, user_id, project_id, "removing project roles", violations
            )
            row = await session.get(ProjectRoleRow, (target.id, project_id))
            if row is None:
                raise NotFound(
                    reason="PROJECT_ROLE_NOT_FOUND",
                    message=f"user '{user_id}' has no role on project '{project_id}'",
                    metadata={"user_id": user_id, "project_id": project_id},
                )
            await session.delete(row)

    # ---- API keys ------------------------------------------------------------------------

    async def create_api_key(
        self, caller: Caller, name: str, expiration: ApiKeyExpiration | None
    ) -> IssuedKey:
        name = self._key_request(name, expiration)
        async with self._db.transaction() as session:
            _, me = await self._acting(session, caller)
            issued = await self._issue_key(session, me.id, name, expiration)
        _log.info("api_key_created", user_id=me.id, api_key_id=issued.row.id)
        return issued

    async def list_api_keys(
        self, caller: Caller, page_size: int, page_token: str
    ) -> tuple[list[ApiKeyRow], str]:
        async with self._db.reading() as session:
            _, me = await self._acting(session, caller)
            return await self._list_keys(session, me.id, page_size, page_token)

    async def delete_api_key(self, caller: Caller, api_key_id: str) -> None:
        violations: list[FieldViolation] = []
        api_key_id = check_id(violations, "api_key_id", api_key_id)
        require(violations)
        async with self._db.transaction() as session:
            _, me = await self._acting(session, caller)
            await self._delete_key(session, me.id, api_key_id)

    async def _managed_user(self, session, caller: Caller, user_id: str, action: str) -> UserRow:
        """A user whose API keys the caller may manage: owners manage everyone's, admins
        their own and those of users below admin."""
        acting, _ = await self._acting(session, caller)
        company_id = acting.require_company_manager(action)
        target = await self._member(session, company_id, user_id)
        if (
            acting.company_role is CompanyRole.ADMIN
            and target.id != acting.user_id
            and target.company_role in (CompanyRole.OWNER.value, CompanyRole.ADMIN.value)
        ):
            raise PermissionDenied(
                reason="COMPANY_OWNER_REQUIRED",
                message=f"{action} of the owner or of another admin needs the COMPANY_OWNER role",
            )
        return target

    async def create_user_api_key(
        self, caller: Caller, user_id: str, name: str, expiration: ApiKeyExpiration | None
    ) -> IssuedKey:
        violations: list[FieldViolation] = []
        user_id = check_id(violations, "user_id", user_id)
        require(violations)
        name = self._key_request(name, expiration)
        async with self._db.transaction() as session:
            target = await self._managed_user(session, caller, user_id, "creating API keys")
            issued = await self._issue_key(session, target.id, name, expiration)
        _log.info("api_key_created", user_id=target.id, api_key_id=issued.row.id, by=caller.user_id)
        return issued

    async def list_user_api_keys(
        self, caller: Caller, user_id: str, page_size: int, page_token: str
    ) -> tuple[list[ApiKeyRow], str]:
        violations: list[FieldViolation] = []
        user_id = check_id(violations, "user_id", user_id)
        require(violations)
        async with self._db.reading() as session:
            target = await self._managed_user(session, caller, user_id, "listing API keys")
            return await self._list_keys(session, target.id, page_size, page_token)

    async def delete_user_api_key(self, caller: Caller, user_id: str, api_key_id: str) -> None:
        violations: list[FieldViolation] = []
        user_id = check_id(violations, "user_id", user_id)
        api_key_id = check_id(violations, "api_key_id", api_key_id)
        require(violations)
        async with self._db.transaction() as session:
            target = await self._managed_user(session, caller, user_id, "deleting API keys")
            await self._delete_key(session, target.id, api_key_id)

    async def _list_keys(self, session, user_id: str, page_size: int, page_token: str):
        page = paging.parse(page_size, page_token, paging.fingerprint("keys", user_id))
        query = paging.by_time_and_id(
            select(ApiKeyRow).where(ApiKeyRow.user_id == user_id),
            page, ApiKeyRow.created_at, ApiKeyRow.id,
        )
        rows = (await session.exec(query)).all()
        return paging.time_and_id_page(page, rows, "created_at")

    @staticmethod
    async def _delete_key(session, user_id: str, api_key_id: str) -> None:
        row = await session.get(ApiKeyRow, api_key_id)
        if row is None or row.user_id != user_id:
            raise NotFound(
                reason="API_KEY_NOT_FOUND",
                message=f"API key '{api_key_id}' does not exist",
                metadata={"id": api_key_id},
            )
        await session.delete(row)
        _log.info("api_key_deleted", user_id=user_id, api_key_id=api_key_id)
