"""Passwords: argon2id hashes (argon2-cffi), the rules for new passwords, and a
dummy verification that makes unknown usernames cost as much as known ones."""

from __future__ import annotations

import asyncio
import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from driftline_server.platform.errors import FieldViolation

MIN_LENGTH = 10
MAX_LENGTH = 128

# OWASP's recommended Argon2id configuration (19 MiB, 2 iterations, 1 lane): slow enough to make
# guessing expensive, cheap enough that sign-ins cannot easily exhaust the server's CPU.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so that timing does not reveal which
    usernames exist. Made on first use: hashing is slow on purpose."""
    return _hasher.hash("driftline-dummy-password")


async def hash_password(password: str) -> str:
    # argon2 is deliberately slow (tens of ms): keep it off the event loop.
    return await asyncio.to_thread(_hasher.hash, password)


def needs_rehash(stored_hash: str) -> bool:
    """Whether a hash was made with other parameters than today's (rehash at the next sign-in)."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


async def verify_password(stored_hash: str | None, password: str) -> bool:
    def verify() -> bool:
        try:
            return (
                _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
            )
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)


def password_violations(
    field: str, password: str, username: str = "", current: str | None = None
) -> list[FieldViolation]:
    """Why ``password`` may not become someone's password (empty when it may)."""
    if len(password) < MIN_LENGTH:
        return [FieldViolation(field, f"must have at least {MIN_LENGTH} characters")]
    if len(password) > MAX_LENGTH:
        return [FieldViolation(field, f"must have at most {MAX_LENGTH} characters")]
    if password.strip() != password or not password.strip():
        return [FieldViolation(field, "must not start or end with spaces")]
    if len(set(password)) < 4:
        return [FieldViolation(field, "must use at least 4 different characters")]
    if username and username.lower() in password.lower():
        return [FieldViolation(field, "must not contain the username")]
    if current is not None and password == current:
        return [FieldViolation(field, "must differ from the current password")]
    return []
