"""Who is calling the API: a personal token in `Authorization: Bearer …`, or the login session.

A request that carries an Authorization header is judged by that header alone, so a wrong or
revoked token is refused even in a browser that is also logged in.
"""

from __future__ import annotations

from flask import abort, g, request
from flask_login import current_user

from ..domain.identity import api_tokens
from ..extensions import db
from ..models import User
from ..models.base import utcnow

REALM = 'Bearer realm="Naoberkaart API"'


def bearer_secret(header: str) -> str | None:
    """The token in an `Authorization: Bearer <token>` header, or None for any other form."""
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def api_user() -> User | None:
    """The user behind this request (token first, then session), or None."""
    header = request.headers.get("Authorization")
    if header is None:
        return current_user if current_user.is_authenticated else None
    g.api_token_given = True
    secret = bearer_secret(header)
    user = api_tokens.verify_token(db.session, secret, utcnow()) if secret else None
    if user is not None:
        db.session.commit()  # keeps last_used_at
    return user


def require_api_user() -> User:
    """The calling user, or a 401 that tells the client to send a token."""
    user = api_user()
    if user is None:
        abort(401)
    return user


def challenge() -> str:
    """The WWW-Authenticate value for a 401 (RFC 6750: say when a given token was bad)."""
    if g.get("api_token_given"):
        return f'{REALM}, error="invalid_token"'
    return REALM
