"""Encryption at rest of secrets (integration credentials, rule actions) with Fernet (AES-128-CBC
+ HMAC-SHA256), under the server's DRIFTLINE_SECRET_KEY."""

from __future__ import annotations

import json

from cryptography.fernet import Fernet, InvalidToken


class SecretBox:
    """Encrypts and decrypts JSON secrets with the server's ``secret_key``."""

    def __init__(self, secret_key: str):
        self._fernet = Fernet(secret_key.encode() if isinstance(secret_key, str) else secret_key)

    def seal(self, secret: dict) -> str:
        return self._fernet.encrypt(json.dumps(secret, sort_keys=True).encode()).decode()

    def open(self, token: str) -> dict:
        try:
            return json.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken as error:  # another secret_key than the one that sealed it
            raise RuntimeError(
                "integration secret cannot be decrypted: DRIFTLINE_SECRET_KEY differs from the "
                "key used to store it"
            ) from error


def mask(secret: str, visible: int = 4) -> str:
    """``"****abcd"``: only the last characters, and none at all of short secrets."""
    if len(secret) <= visible * 2:
        return "*" * 8
    return "*" * 8 + secret[-visible:]
