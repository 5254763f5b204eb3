"""Every link that leaves the portal starts with PUBLIC_BASE_URL, whatever Host a request names;
production answers only to its own host names (issue 18, item 1)."""

from __future__ import annotations

import re

import pytest

from config import TestConfig, trusted_hosts
from portal import create_app
from portal.extensions import db
from portal.jobs.notify import notify
from portal.models import ListingKind, ListingStatus, Role
from tests.factories import (
    DEFAULT_PASSWORD,
    make_listing,
    make_organisation,
    make_user,
    newest_mail,
)

FORGED = "attacker.example"
PUBLIC = "https://naoberkaart.example"


def _app_with(app, tmp_path, **settings):
    """An app on the same database with a public address of its own, and other settings."""
    config = TestConfig(tmp_path)
    config.SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
    config.PUBLIC_BASE_URL = PUBLIC
    for name, value in settings.items():
        setattr(config, name, value)
    return create_app(config)


@pytest.fixture
def portal(app, session, tmp_path):
    """Clients connect directly; no host check (as in development)."""
    portal = _app_with(app, tmp_path)
    yield portal
    with portal.app_context():
        db.engine.dispose()


@pytest.fixture
def proxied(app, session, tmp_path):
    """Behind one proxy (TRUSTED_PROXIES=1) that passes the client's X-Forwarded-Host on."""
    portal = _app_with(app, tmp_path, TRUSTED_PROXIES=1)
    yield portal
    with portal.app_context():
        db.engine.dispose()


@pytest.fixture
def production(app, session, tmp_path):
    """The host check as PORTAL_ENV=production sets it, behind one proxy."""
    hosts = trusted_hosts(PUBLIC, "portal.internal")
    portal = _app_with(app, tmp_path, TRUSTED_PROXIES=1, TRUSTED_HOSTS=hosts)
    yield portal
    with portal.app_context():
        db.engine.dispose()


def _mail_links(portal) -> list[str]:
    with portal.app_context():
        body = newest_mail(portal.config["MAIL_OUTBOX_DIR"]).get_content()
    return re.findall(r"https?://\S+", body)


def _ask_reset(portal, session, **headers) -> int:
    user = make_user(session)
    session.commit()
    response = portal.test_client().post(
        "/wachtwoord-vergeten", data={"email": user.email}, headers=headers
    )
    return response.status_code


def test_reset_mail_ignores_a_forged_host(portal, session):
    assert _ask_reset(portal, session, Host=FORGED) == 302
    links = _mail_links(portal)
    assert links and all(link.startswith(f"{PUBLIC}/wachtwoord-herstellen/") for link in links)


def test_reset_mail_ignores_a_forged_forwarded_host_behind_a_proxy(proxied, session):
    assert _ask_reset(proxied, session, **{"X-Forwarded-Host": FORGED}) == 302
    links = _mail_links(proxied)
    assert links and all(link.startswith(f"{PUBLIC}/wachtwoord-herstellen/") for link in links)


@pytest.mark.parametrize(
    "headers", [{"Host": FORGED}, {"X-Forwarded-Host": FORGED}], ids=["host", "forwarded"]
)
def test_production_refuses_another_host_with_a_dutch_page(production, session, headers):
    outbox = production.config["MAIL_OUTBOX_DIR"]
    before = set(outbox.glob("*.eml")) if outbox.exists() else set()
    assert _ask_reset(production, session, **headers) == 400
    page = production.test_client().get("/", headers=headers)
    assert page.status_code == 400 and "Deze vraag begrijpen we niet" in page.text
    with production.app_context():
        from portal.domain.mailing.outbox import deliver_due
        from portal.jobs.mailer import mail_settings
        from portal.models.base import utcnow

        deliver_due(db.session, mail_settings(), utcnow())
    assert (set(outbox.glob("*.eml")) if outbox.exists() else set()) == before


def test_production_answers_its_own_and_the_extra_hosts(production, session):
    client = production.test_client()
    assert client.get("/", headers={"Host": "naoberkaart.example"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "portal.internal:8000"}).status_code == 200


def test_production_config_trusts_the_public_host_and_the_extra_list(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://kaart.gemeente.example/")
    monkeypatch.setenv("TRUSTED_HOSTS", "127.0.0.1, portal.internal")
    config = TestConfig(tmp_path)
    assert config.TRUSTED_HOSTS == ["kaart.gemeente.example", "127.0.0.1", "portal.internal"]
    monkeypatch.setenv("PORTAL_ENV", "development")
    assert TestConfig(tmp_path).TRUSTED_HOSTS is None


def test_notification_mail_links_to_the_public_address(portal, session):
    with portal.test_request_context("/", headers={"Host": FORGED}):
        user = make_user(db.session)  # in this app's session, not the session fixture's
        db.session.commit()
        notify(user, "Er is iets nieuws", "/gesprekken")
        db.session.commit()
    assert f"{PUBLIC}/gesprekken" in _mail_links(portal)


def test_cron_mail_links_to_the_public_address(portal, session):
    """The freshness round runs outside any request, with the same helper."""
    from datetime import timedelta

    from portal.models.base import utcnow

    listing = make_listing(session)
    listing.confirmed_at = utcnow() - timedelta(days=148)
    session.commit()
    with portal.app_context():  # the command runs in the app of the session fixture otherwise
        output = portal.test_cli_runner().invoke(args=["freshness"]).output
    assert "Herinneringen verstuurd: 1" in output
    links = _mail_links(portal)
    assert len(links) == 3 and all(
        link.startswith(f"{PUBLIC}/initiatieven/actueel/") for link in links
    )


def test_pages_with_outside_links_use_the_public_address(portal, session):
    listing = make_listing(session, status=ListingStatus.PUBLISHED, kind=ListingKind.OFFER)
    session.commit()
    client = portal.test_client()
    forged = {"Host": FORGED}
    detail = client.get(f"/initiatieven/{listing.id}", headers=forged).text
    assert f'href="{PUBLIC}/initiatieven/{listing.id}"' in detail  # the printed QR code's link
    embed = client.get("/kaart", headers=forged).text
    assert f'&lt;iframe src="{PUBLIC}/kaart/embed' in embed
    board = client.get(f"/prikbord/{listing.place_key}", headers=forged).text
    assert f"{PUBLIC}/initiatieven/{listing.id}" in board and FORGED not in board
    api = client.get("/api/v1/listings?per_page=1", headers=forged).text
    assert f"{PUBLIC}/initiatieven/{listing.id}" in api and FORGED not in api


def test_dashboard_export_links_to_the_public_address(portal, session):
    officer = make_user(session, Role.OFFICER)
    make_organisation(session)
    session.commit()
    client = portal.test_client()
    forged = {"Host": FORGED}  # the session cookie then belongs to that host too
    login = {"email": officer.email, "password": DEFAULT_PASSWORD}
    assert client.post("/inloggen", data=login, headers=forged).status_code == 302
    export = client.get("/dashboard/export.csv", headers=forged)
    assert export.status_code == 200
    assert f"{PUBLIC}/organisaties/" in export.text and FORGED not in export.text


@pytest.mark.parametrize("known", [False, True], ids=["new address", "known address"])
def test_registration_and_no_account_mails_ignore_a_forged_host(portal, session, known):
    from tests.web.test_enumeration import REGISTRATION

    email = make_user(session).email if known else "nieuw@example.org"
    session.commit()
    client = portal.test_client()
    client.post("/registreren", data=REGISTRATION | {"email": email}, headers={"Host": FORGED})
    client.post("/wachtwoord-vergeten", data={"email": "niemand@example.org"},
                headers={"Host": FORGED})  # fmt: skip
    links = _mail_links(portal)
    assert links and all(link.startswith(PUBLIC) for link in links)
