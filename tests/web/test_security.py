"""CSRF, rate limits, safe redirects, cookies and headers."""

from __future__ import annotations

import pytest

from config import TestConfig
from portal import create_app
from portal.extensions import db, limiter
from portal.redirects import is_local_path
from tests.factories import DEFAULT_PASSWORD, make_user


def _app_with(app, tmp_path, **settings):
    """An app on the same database with some protections the test config switches off."""
    config = TestConfig(tmp_path)
    config.SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
    for name, value in settings.items():
        setattr(config, name, value)
    return create_app(config)


@pytest.fixture
def strict_app(app, tmp_path):
    """CSRF checks on, as in production."""
    strict = _app_with(app, tmp_path, WTF_CSRF_ENABLED=True)
    yield strict
    with strict.app_context():
        db.engine.dispose()


@pytest.fixture
def limited_app(app, tmp_path):
    """Rate limits on, as in production (CSRF off: the limits count requests that pass it)."""
    limited = _app_with(app, tmp_path, RATELIMIT_ENABLED=True)
    yield limited
    with limited.app_context():
        limiter.reset()
        db.engine.dispose()
    limiter.enabled = app.config["RATELIMIT_ENABLED"]  # the limiter object is shared by both apps


def test_post_without_csrf_token_is_refused(strict_app, session):
    user = make_user(session)
    session.commit()
    client = strict_app.test_client()
    response = client.post("/inloggen", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert "Het formulier is verlopen" in response.text


def test_login_is_rate_limited_with_a_dutch_page(limited_app, session):
    client = limited_app.test_client()
    statuses = [client.post("/inloggen", data={}).status_code for _ in range(11)]
    assert statuses[-1] == 429
    page = client.post("/inloggen", data={})
    assert "Even rustig aan" in page.text and "te vaak" in page.text


def test_flessenpost_is_rate_limited(limited_app, session):
    client = limited_app.test_client()
    statuses = [client.post("/flessenpost", data={}).status_code for _ in range(6)]
    assert statuses[:5] == [400] * 5 and statuses[5] == 429


@pytest.mark.parametrize(
    ("target", "local"),
    [
        ("/mijn", True),
        ("/initiatieven?near=Roggel", True),
        ("//evil.example", False),
        ("/\\evil.example", False),
        ("https://evil.example/", False),
        ("/zoek%0d%0a", True),
        ("/\nLocation: x", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_next_only_to_our_own_paths(target, local):
    assert is_local_path(target) is local


def test_login_next_parameter_never_leaves_the_site(client, session):
    user = make_user(session)
    session.commit()
    response = client.post(
        "/inloggen?next=//evil.example/", data={"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_session_cookie_is_httponly_and_lax(client, session):
    user = make_user(session)
    session.commit()
    response = client.post("/inloggen", data={"email": user.email, "password": DEFAULT_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    config = TestConfig(tmp_path)
    assert config.SESSION_COOKIE_SECURE and config.REMEMBER_COOKIE_SECURE


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError):
        TestConfig(tmp_path)


def test_no_state_change_on_get(app):
    """Every route that changes something accepts POST only."""
    changing = (
        "uitloggen",
        "publiceren",
        "verlengen",
        "sluiten",
        "verbergen",
        "verwijderen",
        "rol",
    )
    for rule in app.url_map.iter_rules():
        if any(word in rule.rule for word in changing):
            assert "GET" not in rule.methods, rule.rule
