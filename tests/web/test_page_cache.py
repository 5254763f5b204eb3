"""Whole pages for anonymous visitors: shared only when that is safe, fresh after every write."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re

import redis
from flask import Flask
from sqlalchemy import create_engine
from werkzeug.test import Client

from portal.caching.pages import GENERATION_CHECK_SECONDS, PageCache, shareable
from portal.caching.results import GENERATION_KEY, make_cache
from portal.extensions import db
from tests.factories import make_listing

HTML = ("Content-Type", "text/html; charset=utf-8")


def sha256_source(script: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"


def test_an_anonymous_page_is_stored_then_served_whole(client, session):
    make_listing(session, title="Boodschappen samen")
    session.commit()
    first, second = client.get("/initiatieven"), client.get("/initiatieven")
    assert first.headers["X-Page-Cache"] == "stored" and second.headers["X-Page-Cache"] == "hit"
    assert second.data == first.data and "Boodschappen samen" in second.text
    assert "Set-Cookie" not in first.headers and "Set-Cookie" not in second.headers


def test_every_shared_view_is_shareable_with_form_tokens_on(app, client, session, monkeypatch):
    """A form token on a page would set a session cookie and keep the page from being shared."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    listing = make_listing(session)
    session.commit()
    shared = sorted(
        rule.rule.replace("<int:listing_id>", str(listing.id))
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions[rule.endpoint], "shared_page", False)
    )
    assert len(shared) >= 8
    for path in shared:
        response = client.get(path)
        assert response.headers.get("X-Page-Cache") == "stored", path
        assert "Set-Cookie" not in response.headers, path


def test_a_write_makes_every_stored_page_stale(client, session):
    client.get("/initiatieven")
    make_listing(session, title="Nieuw in Roggel")
    session.commit()
    response = client.get("/initiatieven")
    assert response.headers["X-Page-Cache"] == "stored" and "Nieuw in Roggel" in response.text


def test_the_last_page_is_sent_while_the_database_is_down(app, client, session, monkeypatch):
    make_listing(session, title="Eerste aanbod")
    session.commit()
    assert client.get("/initiatieven").headers["X-Page-Cache"] == "stored"
    make_listing(session, title="Tweede aanbod")  # a write: the stored page is now stale
    session.commit()
    dead = create_engine(
        "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1}
    )
    monkeypatch.setitem(db.engines, None, dead)
    response = client.get("/initiatieven")
    assert response.status_code == 200 and response.headers["X-Page-Cache"] == "stale"
    assert "Eerste aanbod" in response.text and "Tweede aanbod" not in response.text
    never_stored = client.get("/initiatieven?q=nooit-eerder-gevraagd")
    assert never_stored.status_code == 503 and "X-Page-Cache" not in never_stored.headers


def test_logged_in_visitors_neither_get_nor_leave_a_shared_page(app, client, login, session):
    owner = login()
    listing = make_listing(session, owner=owner, title="Tuinhulp")
    session.commit()
    own = client.get(f"/initiatieven/{listing.id}")
    assert "X-Page-Cache" not in own.headers and "Beheren" in own.text
    anonymous = app.test_client().get(f"/initiatieven/{listing.id}")
    assert anonymous.headers["X-Page-Cache"] == "stored"
    assert "Beheren" not in anonymous.text and owner.display_name not in anonymous.text


def test_each_language_has_its_own_page(app, session):
    dutch = app.test_client().get("/initiatieven")
    visitor = app.test_client()
    visitor.set_cookie("taal", "en")
    english = visitor.get("/initiatieven")
    assert '<html lang="nl">' in dutch.text and '<html lang="en">' in english.text
    assert english.headers["X-Page-Cache"] == "stored"


def test_only_shared_views_and_successful_answers_are_stored(client, session):
    for path in ("/initiatieven/999999", "/inloggen"):  # a 404, a page with a form token
        client.get(path)
        assert "X-Page-Cache" not in client.get(path).headers
    listing = make_listing(session)
    session.commit()
    assert "X-Page-Cache" not in client.head(f"/initiatieven/{listing.id}").headers


def test_a_response_that_sets_a_cookie_or_fails_is_never_shared():
    assert shareable("200 OK", [HTML], b"<p>hoi</p>") is not None
    assert shareable("200 OK", [HTML, ("Set-Cookie", "session=abc")], b"<p>hoi</p>") is None
    assert shareable("404 NOT FOUND", [HTML], b"<p>weg</p>") is None
    assert shareable("200 OK", [("Content-Type", "text/csv")], b"a,b") is None


def test_own_scripts_are_allowed_by_hash_and_injected_ones_stay_blocked():
    policy = "default-src 'self'; script-src 'self' 'nonce-abc123'; object-src 'none'"
    body = (
        b'<script src="/static/js/portal.js" nonce="abc123" defer></script>'
        b'<script nonce="abc123">drawMap();</script>'
        b"<p><script>steal();</script></p>"  # not carrying the nonce: never hashed
    )
    page = shareable("200 OK", [HTML, ("Content-Security-Policy", policy)], body)
    assert dict(page.headers)["Content-Security-Policy"] == (
        f"default-src 'self'; script-src 'self' {sha256_source(b'drawMap();')}; object-src 'none'"
    )
    html = gzip.decompress(page.gzipped)
    assert b"abc123" not in html and sha256_source(b"steal();") not in str(page.headers)


def test_the_map_page_script_is_allowed_by_its_hash(client, session):
    make_listing(session)
    session.commit()
    for response in (client.get("/kaart"), client.get("/kaart")):  # stored, then a hit
        policy = response.headers["Content-Security-Policy"]
        inline = re.findall(rb"<script>(.*?)</script>", response.data, re.S)
        assert inline and all(sha256_source(script) in policy for script in inline)
        assert "nonce" not in policy and b"nonce=" not in response.data


def test_compressed_for_clients_that_accept_gzip(client, session):
    plain = client.get("/initiatieven")
    packed = client.get("/initiatieven", headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert gzip.decompress(packed.data) == plain.data
    assert "Accept-Encoding" in packed.headers["Vary"]


def _worker(
    app: Flask, redis_url: str, generation_check: float = GENERATION_CHECK_SECONDS
) -> Client:
    """One gunicorn worker's view of the portal: Flask behind a page cache on `redis_url`."""
    flask_only = Flask.wsgi_app.__get__(app)
    cache = make_cache(redis_url, 60)
    return Client(PageCache(app, flask_only, cache, 60, generation_check))


def _get(app: Flask, worker: Client, path: str):
    with app.app_context():  # each request its own `g`, as in production
        return worker.get(path)


def test_workers_share_pages_through_redis(app, session, redis_url):
    redis.Redis.from_url(redis_url).flushdb()
    make_listing(session, title="Koffie-ochtend")
    session.commit()
    one, two = _worker(app, redis_url), _worker(app, redis_url)
    stored, hit = _get(app, one, "/initiatieven"), _get(app, two, "/initiatieven")
    assert stored.headers["X-Page-Cache"] == "stored" and hit.headers["X-Page-Cache"] == "hit"
    assert hit.data == stored.data and "Koffie-ochtend" in hit.text


def test_flask_serves_the_page_when_redis_is_down(app, session):
    response = _get(app, _worker(app, "redis://127.0.0.1:1/0"), "/initiatieven")
    assert response.status_code == 200 and "X-Page-Cache" not in response.headers


def test_a_worker_sends_the_pages_it_keeps_without_asking_redis(app, session, redis_url):
    shared = redis.Redis.from_url(redis_url)
    shared.flushdb()
    make_listing(session, title="Koffie-ochtend")
    session.commit()
    worker = _worker(app, redis_url, generation_check=60)
    stored = _get(app, worker, "/initiatieven")
    shared.flushdb()  # the shared copy is gone; the worker's own is still current
    kept = _get(app, worker, "/initiatieven")
    assert stored.headers["X-Page-Cache"] == "stored" and kept.headers["X-Page-Cache"] == "hit"
    assert kept.data == stored.data and not shared.keys("*page:*")


def test_a_kept_page_is_sent_again_only_after_checking_the_shared_generation(
    app, session, redis_url
):
    shared = redis.Redis.from_url(redis_url)
    shared.flushdb()
    worker = _worker(app, redis_url, generation_check=0)
    assert _get(app, worker, "/initiatieven").headers["X-Page-Cache"] == "stored"
    make_listing(session, title="Nieuw via een andere worker")
    session.commit()
    shared.incr(GENERATION_KEY)  # what that other worker's commit does
    fresh = _get(app, worker, "/initiatieven")
    assert fresh.headers["X-Page-Cache"] == "stored" and "Nieuw via een andere worker" in fresh.text


def test_a_write_of_its_own_makes_the_worker_drop_its_kept_pages_at_once(app, session, redis_url):
    redis.Redis.from_url(redis_url).flushdb()
    worker = _worker(app, redis_url, generation_check=60)
    assert _get(app, worker, "/initiatieven").headers["X-Page-Cache"] == "stored"
    make_listing(session, title="Zelf net opgeslagen")
    session.commit()
    worker.application.results.bump()  # what the commit hook does in this worker
    fresh = _get(app, worker, "/initiatieven")
    assert fresh.headers["X-Page-Cache"] == "stored" and "Zelf net opgeslagen" in fresh.text
