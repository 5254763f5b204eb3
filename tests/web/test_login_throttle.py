"""Failed logins are throttled per account and per address; the counts are shared via Redis."""

from __future__ import annotations

import redis

from portal.auth.views import ACCOUNT_FAILURES
from portal.extensions import db, limiter
from tests.factories import DEFAULT_PASSWORD, make_user

from . import test_security
from .test_security import _app_with

limited_app = test_security.limited_app  # rate limits on, as in production
ACCOUNT_LIMIT = int(ACCOUNT_FAILURES.split()[0])
REDIS_URL = "redis://127.0.0.1:6379/14"


def _login(app, email: str, password: str, address: str) -> int:
    client = app.test_client()
    response = client.post(
        "/inloggen", data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )  # fmt: skip
    return response.status_code


def test_one_account_attacked_from_many_addresses_is_slowed(limited_app, session):
    target, colleague = make_user(session), make_user(session)
    session.commit()
    failures = [
        _login(limited_app, target.email, "geraden wachtwoord", f"198.51.100.{number}")
        for number in range(1, ACCOUNT_LIMIT + 1)
    ]
    assert failures == [400] * ACCOUNT_LIMIT
    # Even the right password from yet another address waits now: guessing has to slow down.
    assert _login(limited_app, target.email, DEFAULT_PASSWORD, "203.0.113.9") == 429
    # Another account from one of the attacking addresses still logs in.
    assert _login(limited_app, colleague.email, DEFAULT_PASSWORD, "198.51.100.1") == 302


def test_one_person_in_an_office_does_not_lock_out_the_colleagues(limited_app, session):
    office = "192.0.2.10"
    clumsy, colleagues = make_user(session), [make_user(session) for _ in range(3)]
    session.commit()
    statuses = [_login(limited_app, clumsy.email, "vergeten!!", office) for _ in range(12)]
    assert statuses[-1] == 429  # the one account is throttled …
    for colleague in colleagues:  # … the office's address is not
        assert _login(limited_app, colleague.email, DEFAULT_PASSWORD, office) == 302


def test_successful_logins_do_not_count(limited_app, session):
    user = make_user(session)
    session.commit()
    statuses = {_login(limited_app, user.email, DEFAULT_PASSWORD, "192.0.2.20") for _ in range(12)}
    assert statuses == {302}


def test_failed_login_counts_live_in_redis_when_configured(app, tmp_path, session):
    """With REDIS_URL every worker counts in the same place (here: a Redis database of its own)."""
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    shared = _app_with(app, tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=REDIS_URL)
    try:
        user = make_user(session)
        session.commit()
        assert _login(shared, user.email, "geraden wachtwoord", "198.51.100.77") == 400
        keys = [key.decode() for key in store.keys("*")]
        assert any("login-account:" in key for key in keys), keys
        assert not any(user.email in key for key in keys)  # a digest, not the address
    finally:
        with shared.app_context():
            limiter.reset()
            db.engine.dispose()
        limiter.enabled = app.config["RATELIMIT_ENABLED"]
        store.flushdb()
