"""Signed, expiring tokens for links in e-mails (password reset, one-click freshness links)."""

from __future__ import annotations

import hashlib
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer


def fingerprint(*parts: object) -> str:
    """A short digest of state that must not have changed when the token is used (works once)."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]


def make_token(secret: str, purpose: str, payload: dict[str, Any]) -> str:
    """Sign `payload` for one purpose; a token for one purpose is useless for another."""
    return URLSafeTimedSerializer(secret, salt=purpose).dumps(payload)


def read_token(secret: str, purpose: str, token: str, max_age: int) -> dict[str, Any] | None:
    """The payload, or None when the token is forged, for another purpose or too old."""
    try:
        return URLSafeTimedSerializer(secret, salt=purpose).loads(token, max_age=max_age)
    except BadSignature:
        return None
