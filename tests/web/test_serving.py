"""Serving details: compressed pages and static files, fingerprinted static URLs cached for a year.

Static responses hold an open file until closed, so these tests close them (`with`), as a WSGI
server does.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from config import TestConfig
from portal import create_app
from portal.extensions import db
from portal.ops.compression import VERSIONED_MAX_AGE

STATIC = Path(__file__).resolve().parents[2] / "static"


@pytest.fixture
def served(app, session, tmp_path):
    """A client of a portal with compression on (the shared test app leaves bodies plain)."""
    config = TestConfig(tmp_path)
    config.SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
    config.COMPRESS_REGISTER = True
    portal = create_app(config)
    yield portal.test_client()
    with portal.app_context():
        db.engine.dispose()


def _stylesheet(page: str) -> str:
    return re.search(r'href="(/static/css/portal\.css\?v=\w+)"', page).group(1)


def test_pages_are_gzipped_for_browsers_that_ask(served):
    response = served.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert b"<!doctype html>" in gzip.decompress(response.data)


def test_pages_stay_plain_for_clients_that_do_not_ask(served):
    response = served.get("/")
    assert "Content-Encoding" not in response.headers
    assert response.text.startswith("<!doctype html>")


def test_static_files_are_compressed_whole(served):
    page = served.get("/").text
    with served.get(_stylesheet(page), headers={"Accept-Encoding": "gzip"}) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.data) == (STATIC / "css" / "portal.css").read_bytes()


def test_static_urls_with_the_current_fingerprint_are_cached_for_a_year(served):
    with served.get(_stylesheet(served.get("/").text)) as response:
        assert response.cache_control.max_age == VERSIONED_MAX_AGE
        assert response.cache_control.immutable


def test_static_urls_with_an_old_fingerprint_are_not_pinned(served):
    with served.get("/static/css/portal.css?v=000000000000") as response:
        assert response.status_code == 200
        assert response.cache_control.max_age != VERSIONED_MAX_AGE
        assert not response.cache_control.immutable
