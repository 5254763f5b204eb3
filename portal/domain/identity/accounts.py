"""Accounts: register, confirm the address, authenticate, reset a password, end sessions, grant
roles. Whether an address has an account is never told by an answer or by the work done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Membership, Organisation, OrganisationKind, Role, User
from ...models.base import utcnow
from ..errors import FieldError
from ..text import N_
from . import api_tokens
from .passwords import (
    check_new_password,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)
from .signing import fingerprint, make_token, read_token

RESET_PURPOSE = "password-reset"
CONFIRM_PURPOSE = "confirm-email"


@dataclass(frozen=True)
class NewAccount:
    """What the registration form collects."""

    email: str
    password: str
    display_name: str
    role: Role = Role.RESIDENT
    organisation_name: str = ""
    organisation_kind: OrganisationKind | None = None


def normalise_email(email: str) -> str:
    """E-mail addresses compare case-insensitively."""
    return email.strip().lower()


def find_user(session: Session, email: str) -> User | None:
    """The account with this e-mail address, if any."""
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def register(session: Session, account: NewAccount, now: datetime | None = None) -> User | None:
    """Create an account (and its organisation) that waits for its address to be confirmed.

    None when the address already has a confirmed account: the caller mails its owner instead
    and answers the same. The work is the same either way (one Argon2 hash), and an earlier
    unconfirmed registration of the address is replaced, so nobody can hold an address they
    do not read. Flushes, no commit.
    """
    if account.role not in (Role.RESIDENT, Role.ORGANISATION):
        raise FieldError("role", N_("Kies bewoner of organisatie."))
    check_new_password(account.password)
    password_hash = hash_password(account.password)
    existing = find_user(session, account.email)
    if existing is not None and existing.email_confirmed:
        return None
    if existing is not None:
        _discard_unconfirmed(session, existing)
    user = User(
        email=normalise_email(account.email),
        password_hash=password_hash,
        display_name=account.display_name.strip(),
        role=account.role,
        privacy_consent_at=now or utcnow(),
        email_confirmed=False,
    )
    session.add(user)
    if account.role is Role.ORGANISATION:
        organisation = Organisation(kind=account.organisation_kind, name=account.organisation_name)
        organisation.memberships.append(Membership(user=user, manager=True))
        session.add(organisation)
    session.flush()
    return user


def _discard_unconfirmed(session: Session, user: User) -> None:
    """Remove a registration nobody confirmed, with the organisations only it belonged to."""
    for membership in session.scalars(select(Membership).where(Membership.user_id == user.id)):
        if len(membership.organisation.memberships) == 1:
            session.delete(membership.organisation)
    session.delete(user)
    session.flush()


def confirmation_token(user: User, secret: str) -> str:
    """The link in the registration mail; it stops working once a newer registration replaced it."""
    return _account_token(user, secret, CONFIRM_PURPOSE)


def user_for_confirmation_token(
    session: Session, token: str, secret: str, max_age: int
) -> User | None:
    """The account this confirmation link was made for, unless expired, forged or replaced."""
    return _user_for_token(session, CONFIRM_PURPOSE, token, secret, max_age)


def confirm_email(user: User) -> None:
    """The owner of the address followed the link: the account may log in."""
    user.email_confirmed = True


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active, confirmed user for these credentials, or None; upgrades an old hash.

    An unknown address is checked against a dummy hash, so it costs the same as a known one.
    """
    user = find_user(session, email)
    fits = verify_password(user.password_hash if user else dummy_hash(), password)
    if user is None or not fits or not user.active or not user.email_confirmed:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    user.inactivity_warned_at = None
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session and remember-cookie of this user (logout, password change)."""
    user.session_version += 1


def log_out_everywhere(session: Session, user: User, now: datetime) -> int:
    """End every session and revoke every API token; returns how many tokens stopped working.

    A stolen session or token must not outlive the moment its owner says "not me any more".
    """
    end_sessions(user)
    return api_tokens.revoke_all(session, user, now)


def reset_token(user: User, secret: str) -> str:
    """A signed token that works once: it is bound to the current password hash."""
    return _account_token(user, secret, RESET_PURPOSE)


def _account_token(user: User, secret: str, purpose: str) -> str:
    return make_token(secret, purpose, {"id": user.id, "fp": _state(user, purpose)})


def _state(user: User, purpose: str) -> str:
    """What a link is bound to, so it works once: the password (and for a confirmation link,
    that the address is not confirmed yet)."""
    if purpose == CONFIRM_PURPOSE:
        return fingerprint(user.password_hash, user.email_confirmed)
    return fingerprint(user.password_hash)


def user_for_reset_token(session: Session, token: str, secret: str, max_age: int) -> User | None:
    """The user this token was made for, unless it expired, is forged or was used already."""
    return _user_for_token(session, RESET_PURPOSE, token, secret, max_age)


def _user_for_token(
    session: Session, purpose: str, token: str, secret: str, max_age: int
) -> User | None:
    """The user of a signed, password-bound token (reset, confirmation), or None."""
    payload = read_token(secret, purpose, token, max_age)
    if not payload or not isinstance(payload.get("id"), int):
        return None
    user = session.get(User, payload["id"])
    if user is None or payload.get("fp") != _state(user, purpose):
        return None
    return user


def set_password(session: Session, user: User, password: str, now: datetime) -> int:
    """Change the password (from a link in a mail, so the address is confirmed too) and log out
    everywhere; returns how many API tokens were revoked."""
    check_new_password(password)
    user.password_hash = hash_password(password)
    confirm_email(user)
    return log_out_everywhere(session, user, now)


def grant_role(user: User, role: Role) -> None:
    """An admin grants officer (or admin) rights; sessions restart so the new role applies."""
    user.role = role
    end_sessions(user)
