"""Personal API tokens: create (the secret is shown once), verify by hash, revoke.

Only a SHA-256 digest of each token is stored; the secret is 32 random bytes, so a plain
digest (no salt, no slow hash) is enough and lets a request find its token by index.
Request-free: callers pass the user and `now`; writers flush, the caller commits.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import User
from ...models.api_token import ApiToken
from ..errors import FieldError
from ..text import N_

TOKEN_PREFIX = "nk_"  # noqa: S105  (a marker, not a secret)
SHOWN_PREFIX_LENGTH = 10
MAX_ACTIVE_TOKENS = 10
MAX_NAME_LENGTH = 80
MAX_SECRET_LENGTH = 200
#: last_used_at is written at most this often, so reading the API is not a write per call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    """A new token and its secret: the only moment the secret exists outside the caller."""

    token: ApiToken
    secret: str


def digest(secret: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(secret.encode()).hexdigest()


def active_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    statement = (
        select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(session.scalars(statement))


def create_token(session: Session, user: User, name: str, now: datetime) -> IssuedToken:
    """A new named token for `user`; raises FieldError("name", …) for a bad name or too many."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise FieldError("name", N_("Geef de sleutel een naam van hoogstens 80 tekens."))
    if _active_count(session, user) >= MAX_ACTIVE_TOKENS:
        raise FieldError(
            "name",
            N_("U heeft al %(n)s sleutels. Trek er eerst één in.", n=MAX_ACTIVE_TOKENS),
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=digest(secret),
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        created_at=now,
    )
    session.add(token)
    session.flush()
    return IssuedToken(token, secret)


def revoke_token(session: Session, user: User, token_id: int, now: datetime) -> bool:
    """Stop one of the user's own tokens from working; False when it is not theirs or gone."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = now
    session.flush()
    return True


def revoke_all(session: Session, user: User, now: datetime) -> int:
    """Stop every token of the user (password reset or change, log out everywhere); how many."""
    tokens = active_tokens(session, user)
    for token in tokens:
        token.revoked_at = now
    session.flush()
    return len(tokens)


def verify_token(session: Session, secret: str, now: datetime) -> User | None:
    """The active user a token belongs to, or None (unknown, revoked, or account disabled)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > MAX_SECRET_LENGTH:
        return None
    token = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == digest(secret), ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.flush()
    return token.user


def _active_count(session: Session, user: User) -> int:
    return session.scalar(
        select(func.count())
        .select_from(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    )
