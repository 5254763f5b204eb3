"""Fixtures: one app and schema per session (built by the real migrations), clean rows per test.

The database is SQLite by default; set TEST_DATABASE_URL to run the same suite on PostgreSQL.
Tests that share pages through Redis use TEST_REDIS_URL (a database of their own: they flush it);
without a Redis there they are skipped, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os

import pytest
import redis
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from config import TestConfig
from portal import create_app
from portal.extensions import db
from portal.models import Role

from .factories import DEFAULT_PASSWORD, make_user

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12")


def _reset_schema() -> None:
    """Start from an empty database so `db upgrade` is tested from scratch on every run."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (and `g`), as in production.

    Without this, a request would reuse the app context that the `session` fixture holds open,
    and Flask-Login's cached user in `g` would leak from one client to another.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    application = create_app(TestConfig(tmp_path_factory.mktemp("instance")))
    application.test_client_class = FreshContextClient
    with application.app_context():
        _reset_schema()
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The test Redis, once it answers a ping; skips the test (fails it in CI) when none does."""
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        reason = f"no Redis answers at TEST_REDIS_URL={TEST_REDIS_URL} ({error})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: CI must run the Redis tests (.ci/run starts redis-server)")
        pytest.skip(reason)
    finally:
        client.close()
    return TEST_REDIS_URL


@pytest.fixture
def session(app):
    """A database session inside an app context; every row is deleted afterwards."""
    with app.app_context():
        yield db.session
        db.session.rollback()
        clear_tables()


def clear_tables() -> None:
    """Delete every row (cheaper than re-creating the schema; works with a live server too)."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def client(app, session):
    return app.test_client()


@pytest.fixture
def login(client, session):
    """Log a client in as a new user of the given role; returns that user."""

    def log_in(role: Role = Role.RESIDENT, **kwargs):
        user = make_user(session, role=role, **kwargs)
        session.commit()
        response = client.post(
            "/inloggen", data={"email": user.email, "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 302, response.text
        return user

    return log_in


def pytest_terminal_summary(terminalreporter, config) -> None:
    """The random order's seed at the end too (pytest -q prints no header): to repeat an order."""
    seed = getattr(config.option, "randomly_seed", None)
    if config.pluginmanager.has_plugin("randomly") and isinstance(seed, int):
        terminalreporter.write_line(f"Random test order: repeat it with --randomly-seed={seed}")
