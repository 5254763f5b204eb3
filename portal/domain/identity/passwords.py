"""Password hashing (argon2) and the rules a new password must meet."""

from __future__ import annotations

import functools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from ..errors import FieldError
from ..text import N_

MIN_LENGTH = 10
#: Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 30 ms of one core.
#: The library default (64 MiB, 3 passes, 4 lanes) takes 4 lanes of CPU for ~125 ms, so a burst
#: of logins on a 2-core server starved every other request for seconds (bench/results/load.md).
#: Hashes made with other parameters still verify and are rehashed at the next login.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
DUTCH_COMMON = {"wachtwoord", "wachtwoord1", "wachtwoord12", "wachtwoord123", "welkom1234"}


@functools.cache
def common_passwords() -> frozenset[str]:
    """zxcvbn's 30,000 most common passwords plus a few Dutch favourites."""
    return frozenset(FREQUENCY_LISTS["passwords"]) | DUTCH_COMMON


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


@functools.cache
def dummy_hash() -> str:
    """A hash with today's parameters that no password fits: checked against when there is no
    account, so an unknown address costs the same work as a known one (no enumeration)."""
    return hash_password(secrets.token_urlsafe(32))


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password fits the hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def check_new_password(password: str, field: str = "password") -> None:
    """Reject short and common passwords; no composition rules (they do not help)."""
    if len(password) < MIN_LENGTH:
        raise FieldError(field, N_("Kies een wachtwoord van minstens %(n)s tekens.", n=MIN_LENGTH))
    if password.lower() in common_passwords():
        raise FieldError(field, N_("Dit wachtwoord is te bekend. Kies een ander."))
