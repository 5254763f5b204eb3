"""Backup and restore round trips between databases, and mail that waits for its commit and SMTP.

With TEST_DATABASE_URL on PostgreSQL the round trip goes PostgreSQL → SQLite → PostgreSQL;
otherwise SQLite → SQLite. Either way every table holds rows, so every column type travels.
"""

from __future__ import annotations

import json
import socket
import zipfile
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from config import TestConfig
from portal import create_app
from portal.domain.mailing import outbox
from portal.domain.mailing.delivery import Mail
from portal.extensions import db
from portal.models import (
    AuditEntry,
    Consent,
    Conversation,
    GeocodeCache,
    Listing,
    Match,
    Message,
    Place,
    User,
)
from portal.models.api_token import ApiToken
from portal.models.base import utcnow
from portal.models.outbox import OutboxMail
from portal.ops import synthetic
from portal.ops.seed import seed_demo

from ..factories import make_user

SEARCH_WORD = "Pannenkoekenmiddag"
#: Tables `_fill` puts rows in: between them every column type (JSON, enum, date, moments with
#: time zone, floats, booleans, non-ASCII text) makes the trip. Tables added later round-trip too.
FILLED = {
    "theme", "user", "organisation", "membership", "organisation_theme", "listing",
    "listing_theme", "volunteer_profile", "volunteer_profile_theme", "wish", "wish_theme",
    "match", "conversation", "message", "consent", "audit_entry", "geocode_cache", "place",
    "api_token", "mail_outbox",
}  # fmt: skip


def _counts(session) -> dict[str, int]:
    return {
        table.name: session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def _fill(session) -> None:
    """The demo, some synthetic volume, and a row in every table the demo leaves empty."""
    seed_demo(session)
    synthetic.generate(session, listings=150, volunteers=60, organisations=5, seed=7)
    user = make_user(session, display_name="Zoë Ëlberg")  # non-ASCII survives the trip
    first, second = session.scalars(select(Listing).order_by(Listing.id).limit(2))
    first.title = f"{SEARCH_WORD} in het kulturhus"
    first.search_text = SEARCH_WORD.lower()
    match = Match(listing=first, candidate_listing=second, score=0.87, distance_km=3.25,
                  shared_themes=["naoberzorg"], score_parts={"afstand": 0.5}, explanation="Dichtbij")  # fmt: skip
    conversation = Conversation(listing=first, initiator=user, recipient=first.owner)
    conversation.messages.append(Message(sender=user, body="Zullen we bellen?"))
    session.add_all([match, conversation])
    session.add(Consent(listing=second, resident_reference="R-1", given_by="dochter",
                        given_on=date(2024, 2, 29), purpose="hulp", recorded_at=utcnow()))  # fmt: skip
    session.add(AuditEntry(actor_name="wmo", action="export", subject_type="listing",
                           detail={"aantal": 3, "ok": True}))  # fmt: skip
    session.add(GeocodeCache(query="roggel", lat=51.26, lon=5.99, source="pdok"))
    session.add(Place(key="gm-test", kind="place", name="Test", municipality="Test", lat=52.0, lon=5.1))  # fmt: skip
    session.add(ApiToken(user=user, name="test", token_hash="a" * 64, prefix="nk_aaaa"))
    outbox.enqueue(session, Mail(to=user.email, subject="Welkom", body="Hallo"))
    session.commit()


def _dump(path: Path) -> tuple[dict, dict[str, bytes]]:
    """A backup's tables and revision, for comparing two backups row by row."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        tables = {
            name: archive.read(name) for name in archive.namelist() if name.endswith(".jsonl")
        }
    return {"revision": manifest["revision"], "tables": manifest["tables"]}, tables


def _migrated_app(url: str, instance: Path) -> Flask:
    """A second portal on an empty database, built by the real migrations."""
    config = TestConfig(instance)
    config.SQLALCHEMY_DATABASE_URI = url
    target = create_app(config)
    with target.app_context():
        upgrade()
    return target


def _run(app: Flask, *args: str) -> str:
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _postgres_database(source_url: str, name: str) -> str:
    """A new, empty PostgreSQL database on the same server as the test database."""
    url = make_url(source_url)
    server = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(url: str, target: Flask) -> None:
    with target.app_context():
        db.engine.dispose()
    parsed = make_url(url)
    server = parsed.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parsed.database}"')


def _assert_usable(target: Flask) -> None:
    """Search finds restored text, and new rows get fresh ids (sequences moved on)."""
    with target.app_context():
        page = target.test_client().get(f"/initiatieven?q={SEARCH_WORD}")
        assert f"{SEARCH_WORD} in het kulturhus" in page.text
        highest = db.session.scalar(select(func.max(User.id)))
        assert make_user(db.session).id > highest
        db.session.rollback()


def test_backup_restore_round_trip_keeps_every_row(app, session, tmp_path):
    _fill(session)
    filled = {name for name, count in _counts(session).items() if count}
    assert filled >= FILLED, FILLED - filled
    first = tmp_path / "eerste.zip"
    assert "rijen" in _run(app, "backup", str(first))
    sqlite_app = _migrated_app(f"sqlite:///{tmp_path / 'kopie.sqlite'}", tmp_path / "kopie")
    assert "Teruggezet" in _run(sqlite_app, "restore", str(first))
    _assert_usable(sqlite_app)
    second = tmp_path / "tweede.zip"
    _run(sqlite_app, "backup", str(second))
    assert _dump(second) == _dump(first)
    if db.engine.dialect.name == "postgresql":
        _round_trip_back_to_postgres(second, tmp_path)


def _round_trip_back_to_postgres(backup: Path, tmp_path: Path) -> None:
    url = _postgres_database(
        str(db.engine.url.render_as_string(hide_password=False)), f"{db.engine.url.database}_terug"
    )
    postgres_app = _migrated_app(url, tmp_path / "terug")
    try:
        _run(postgres_app, "restore", str(backup))
        _assert_usable(postgres_app)
        third = tmp_path / "derde.zip"
        _run(postgres_app, "backup", str(third))
        assert _dump(third) == _dump(backup)
    finally:
        _drop_postgres_database(url, postgres_app)


def test_restore_refuses_a_database_that_is_not_empty(app, session, tmp_path):
    make_user(session)
    session.commit()
    path = tmp_path / "backup.zip"
    _run(app, "backup", str(path))
    result = app.test_cli_runner().invoke(args=["restore", str(path)])
    assert result.exit_code == 1
    assert "niet leeg" in result.output
    assert session.scalar(select(func.count()).select_from(User)) == 1


def test_restore_refuses_a_backup_of_another_schema_version(app, session, tmp_path):
    path = tmp_path / "backup.zip"
    _run(app, "backup", str(path))
    changed = tmp_path / "oud.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(changed, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "manifest.json":
                data = json.dumps({**json.loads(data), "revision": "0001"}).encode()
            target.writestr(name, data)
    result = app.test_cli_runner().invoke(args=["restore", str(changed)])
    assert result.exit_code == 1 and "schemaversie 0001" in result.output


def _outbox_rows(session) -> list[OutboxMail]:
    session.expire_all()
    return list(session.scalars(select(OutboxMail)))


def test_outbox_rolled_back_request_queues_no_mail(app, client, session, monkeypatch):
    user = make_user(session)
    session.commit()
    from portal.auth import views

    queued = []
    original = views._send_reset_mail

    def send_then_fail(target):
        original(target)
        queued.append(target.email)
        raise RuntimeError("de pagina faalt na het klaarzetten van de mail")

    monkeypatch.setattr(views, "_send_reset_mail", send_then_fail)
    response = client.post("/wachtwoord-vergeten", data={"email": user.email})
    assert response.status_code == 500 and queued == [user.email]
    assert _outbox_rows(session) == []


def _closed_port() -> int:
    """A loopback port nobody listens on: connecting to it is an SMTP server that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_outbox_mail_waits_for_smtp_and_goes_out_later(app, client, session, monkeypatch):
    user = make_user(session)
    session.commit()
    assert client.post("/wachtwoord-vergeten", data={"email": user.email}).status_code == 302
    [queued] = _outbox_rows(session)
    assert queued.to == user.email and queued.sent_at is None
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", _closed_port())
    assert "Mislukt (volgt opnieuw): 1" in _run(app, "send-mail")
    [waiting] = _outbox_rows(session)
    assert waiting.attempts == 1 and waiting.sent_at is None and waiting.last_error
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")  # back up: the development outbox folder
    session.execute(update(OutboxMail).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    assert "Verzonden: 1" in _run(app, "send-mail")
    [sent] = _outbox_rows(session)
    assert sent.sent_at is not None and sent.attempts == 2


@pytest.mark.parametrize("option", ["--loop", ""])
def test_send_mail_command_ends_by_itself(app, session, option):
    arguments = ["send-mail", "--max-seconds", "0", "--sleep", "0"]
    output = _run(app, *[*arguments, option] if option else arguments)
    assert output.count("Verzonden: 0") == 1
