"""API keys: ``dl_<id>_<secret>``, where the public id (32 hex) locates the stored hash and the
secret carries 256 random bits. Only the SHA-256 of the whole key is stored: for keys of that
entropy a slow hash would add latency to every call and no security."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass

KEY_PREFIX = "dl_"
_KEY_PATTERN = re.compile(r"^dl_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class NewKey:
    id: str
    secret: str  # the whole key, to show once
    prefix: str
    digest: str


def generate() -> NewKey:
    key_id = uuid.uuid4().hex
    key = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    return NewKey(id=key_id, secret=key, prefix=display_prefix(key_id), digest=digest(key))


def display_prefix(key_id: str) -> str:
    """What lists show of a key: enough to recognise it, useless to an attacker."""
    return f"{KEY_PREFIX}{key_id[:8]}"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def parse_id(key: str) -> str | None:
    """The key's public id, or None when ``key`` does not have the shape of a Driftline key."""
    match = _KEY_PATTERN.match(key)
    return match.group(1) if match else None


def matches(key: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(key), stored_digest)
