"""Accounts: register, authenticate, reset a password, end sessions, grant roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Membership, Organisation, OrganisationKind, Role, User
from ...models.base import utcnow
from ..errors import FieldError
from ..text import N_
from .passwords import check_new_password, hash_password, needs_rehash, verify_password
from .signing import fingerprint, make_token, read_token

RESET_PURPOSE = "password-reset"


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


def register(session: Session, account: NewAccount, now: datetime | None = None) -> User:
    """Create a resident or organisation account (with its organisation); flushes, no commit."""
    if account.role not in (Role.RESIDENT, Role.ORGANISATION):
        raise FieldError("role", N_("Kies bewoner of organisatie."))
    if find_user(session, account.email):
        raise FieldError("email", N_("Met dit e-mailadres is al een account gemaakt."))
    check_new_password(account.password)
    user = User(
        email=normalise_email(account.email),
        password_hash=hash_password(account.password),
        display_name=account.display_name.strip(),
        role=account.role,
        privacy_consent_at=now or utcnow(),
    )
    session.add(user)
    if account.role is Role.ORGANISATION:
        organisation = Organisation(kind=account.organisation_kind, name=account.organisation_name)
        organisation.memberships.append(Membership(user=user, manager=True))
        session.add(organisation)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user for these credentials, or None; upgrades an old hash on the way."""
    user = find_user(session, email)
    if user is None or not user.active or not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    user.inactivity_warned_at = None
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session and remember-cookie of this user (logout, password change)."""
    user.session_version += 1


def reset_token(user: User, secret: str) -> str:
    """A signed token that works once: it is bound to the current password hash."""
    return make_token(secret, RESET_PURPOSE, {"id": user.id, "fp": fingerprint(user.password_hash)})


def user_for_reset_token(session: Session, token: str, secret: str, max_age: int) -> User | None:
    """The user this token was made for, unless it expired, is forged or was used already."""
    payload = read_token(secret, RESET_PURPOSE, token, max_age)
    if not payload:
        return None
    user = session.get(User, payload.get("id"))
    if user is None or payload.get("fp") != fingerprint(user.password_hash):
        return None
    return user


def set_password(user: User, password: str) -> None:
    """Change the password and end every existing session."""
    check_new_password(password)
    user.password_hash = hash_password(password)
    end_sessions(user)


def grant_role(user: User, role: Role) -> None:
    """An admin grants officer (or admin) rights; sessions restart so the new role applies."""
    user.role = role
    end_sessions(user)
