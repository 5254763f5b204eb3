"""The pages every visitor can open, the health check and error pages."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from portal.extensions import db


@pytest.mark.parametrize(
    "path",
    ["/", "/privacy", "/toegankelijkheid", "/inloggen", "/registreren", "/wachtwoord-vergeten"],
)
def test_public_pages_are_dutch_by_default(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert '<html lang="nl">' in response.text
    assert "Direct naar de inhoud" in response.text


def test_language_switch_is_remembered(client):
    response = client.get("/taal", query_string={"lang": "en", "next": "/privacy"})
    assert response.status_code == 302 and response.headers["Location"] == "/privacy"
    assert '<html lang="en">' in client.get("/").text


def test_language_switch_never_redirects_elsewhere(client):
    response = client.get("/taal", query_string={"lang": "en", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_unknown_page_is_a_dutch_404(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.text


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_is_unreachable(app, client, monkeypatch):
    dead = create_engine(
        "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1}
    )
    with app.app_context():
        monkeypatch.setitem(db.engines, None, dead)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "error"


def test_security_headers_are_set(client):
    headers = client.get("/inloggen").headers  # a page with a form: never shared, own nonce
    assert "script-src 'self' 'nonce-" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
