"""Online geocoding against a local fake PDOK/Nominatim server (never the real services)."""

from __future__ import annotations

import functools
import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from geopy.adapters import RequestsAdapter, URLLibAdapter
from geopy.geocoders import Nominatim
from sqlalchemy import func, select

from portal.domain.places import geography
from portal.domain.places.geocoding import (
    NOMINATIM_MIN_DELAY,
    GeocodeHit,
    OnlineGeocoder,
    PdokLocatieserver,
    geocode_cached,
    make_online_geocoder,
    parse_wkt_point,
)
from portal.models import Listing
from portal.models.place import GeocodeCache
from tests.factories import make_theme

PDOK_PATH = "/bzk/locatieserver/search/v3_1/free"
ROGGEL_DOC = {
    "weergavenaam": "Dorpsstraat 1, 6088AA Roggel",
    "woonplaatsnaam": "Roggel",
    "gemeentenaam": "Leudal",
    "centroide_ll": "POINT(5.92 51.26)",
}
PDOK_FOUND = json.dumps({"response": {"numFound": 1, "docs": [ROGGEL_DOC]}})
PDOK_EMPTY = json.dumps({"response": {"numFound": 0, "docs": []}})
NOMINATIM_FOUND = json.dumps(
    [
        {
            "lat": "51.2630",
            "lon": "5.9240",
            "display_name": "Roggel, Leudal, Limburg, Nederland",
            "address": {"village": "Roggel", "municipality": "Leudal", "country_code": "nl"},
        }
    ]
)

ADAPTERS = [
    pytest.param(URLLibAdapter, id="urllib"),
    pytest.param(
        functools.partial(RequestsAdapter, max_retries=0),
        id="requests",
        marks=pytest.mark.skipif(not RequestsAdapter.is_available, reason="requests missing"),
    ),
]


class FakeService:
    """What the fake server answers next, and what it was asked."""

    def __init__(self) -> None:
        self.domain = ""
        self.reset()

    def reset(self) -> None:
        self.status = 200
        self.body = PDOK_FOUND
        self.delay = 0.0
        self.requests: list[tuple[str, dict[str, list[str]]]] = []


class _Handler(BaseHTTPRequestHandler):
    service: FakeService

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.service.requests.append((parts.path, parse_qs(parts.query)))
        if self.service.delay:
            time.sleep(self.service.delay)
        payload = self.service.body.encode()
        try:
            self.send_response(self.service.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:  # the client gave up (timeout test)
            pass

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def fake_server():
    service = FakeService()
    handler = type("Handler", (_Handler,), {"service": service})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    service.domain = f"127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, service
    server.shutdown()
    server.server_close()
    thread.join(timeout=2)


@pytest.fixture
def fake(fake_server, monkeypatch):
    """The fake service, reset; system proxies are ignored so 127.0.0.1 is reached directly."""
    _server, service = fake_server
    service.reset()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    return service


@pytest.fixture
def pdok(fake):
    with make_online_geocoder(
        "pdok", "naoberkaart-tests", timeout=1.0, domain=fake.domain, scheme="http"
    ) as geocoder:
        yield geocoder


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cache_rows(session) -> int:
    return session.scalar(select(func.count()).select_from(GeocodeCache))


def test_parse_wkt_point_reads_longitude_first():
    assert parse_wkt_point("POINT(5.92 51.26)") == (51.26, 5.92)
    assert parse_wkt_point(" point ( 4.8952 52.3702 ) ") == (52.3702, 4.8952)


def test_pdok_geocode_parses_lon_lat_order(fake):
    geocoder = PdokLocatieserver(domain=fake.domain, scheme="http", adapter_factory=URLLibAdapter)
    location = geocoder.geocode("Dorpsstraat 1 Roggel")
    assert (location.latitude, location.longitude) == (51.26, 5.92)
    assert location.address == "Dorpsstraat 1, 6088AA Roggel"
    assert location.raw["woonplaatsnaam"] == "Roggel"
    assert location.raw["gemeentenaam"] == "Leudal"


def test_pdok_geocode_sends_free_search_with_type_filter(pdok, fake):
    pdok.geocode("Dorpsstraat 1 Roggel")
    [(path, params)] = fake.requests
    assert path == PDOK_PATH
    assert params["q"] == ["Dorpsstraat 1 Roggel"]
    assert params["fq"] == ["type:(adres OR postcode OR woonplaats)"]
    assert params["rows"] == ["1"]
    assert "centroide_ll" in params["fl"][0].split(",")


def test_online_geocoder_maps_pdok_doc_to_hit(pdok):
    hit = pdok.geocode("Dorpsstraat 1 Roggel")
    assert hit == GeocodeHit(51.26, 5.92, "Roggel", "Leudal", "pdok")


def test_online_geocoder_no_result_returns_none(pdok, fake):
    fake.body = PDOK_EMPTY
    assert pdok.geocode("Nergensstraat 99") is None
    assert len(fake.requests) == 1


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_online_geocoder_server_error_returns_none(fake, adapter, caplog):
    fake.status = 500
    geocoder = OnlineGeocoder(
        PdokLocatieserver(domain=fake.domain, scheme="http", adapter_factory=adapter)
    )
    with caplog.at_level(logging.WARNING, logger="portal.domain.places.geocoding"):
        assert geocoder.geocode("Dorpsstraat 1 Roggel") is None
    assert "pdok" in caplog.text
    assert "Dorpsstraat" not in caplog.text  # addresses stay out of the logs
    assert len(fake.requests) == 1  # no retries


@pytest.mark.parametrize(
    "body",
    [
        "<html>kapot</html>",
        '{"response": "nope"}',
        '{"response": {"docs": [{"x": 1}]}}',
        json.dumps({"response": {"docs": [{**ROGGEL_DOC, "centroide_ll": "POINT(5.92)"}]}}),
    ],
    ids=["not-json", "wrong-shape", "no-centroid", "bad-wkt"],
)
def test_online_geocoder_bad_answer_returns_none(pdok, fake, body):
    fake.body = body
    assert pdok.geocode("Dorpsstraat 1 Roggel") is None


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_online_geocoder_server_down_returns_none(adapter):
    geocoder = OnlineGeocoder(
        PdokLocatieserver(
            domain=f"127.0.0.1:{_closed_port()}", scheme="http", timeout=1, adapter_factory=adapter
        )
    )
    assert geocoder.geocode("Dorpsstraat 1 Roggel") is None


def test_online_geocoder_slow_server_times_out_once(fake):
    fake.delay = 1.0
    geocoder = make_online_geocoder(
        "pdok", "naoberkaart-tests", timeout=0.2, domain=fake.domain, scheme="http"
    )
    assert geocoder.geocode("Dorpsstraat 1 Roggel") is None
    assert len(fake.requests) == 1  # one timeout, no transport retries


def test_online_geocoder_rate_limits_calls(fake):
    geocoder = OnlineGeocoder(
        PdokLocatieserver(domain=fake.domain, scheme="http"), min_delay_seconds=0.15
    )
    started = time.monotonic()
    assert geocoder.geocode("Roggel") is not None
    assert geocoder.geocode("Roggel") is not None
    assert time.monotonic() - started >= 0.15


def test_online_geocoder_nominatim_restricts_to_netherlands(fake):
    fake.body = NOMINATIM_FOUND
    geocoder = make_online_geocoder(
        "nominatim", "naoberkaart-tests", timeout=1.0, domain=fake.domain, scheme="http"
    )
    hit = geocoder.geocode("Roggel")
    assert hit == GeocodeHit(51.263, 5.924, "Roggel", "Leudal", "nominatim")
    [(path, params)] = fake.requests
    assert path == "/search"
    assert params["countrycodes"] == ["nl"]
    assert params["addressdetails"] == ["1"]
    assert geocoder.min_delay_seconds >= NOMINATIM_MIN_DELAY


def test_online_geocoder_nominatim_keeps_policy_delay():
    nominatim = Nominatim(user_agent="naoberkaart-tests", domain="127.0.0.1:9")
    assert OnlineGeocoder(nominatim, min_delay_seconds=0.1).min_delay_seconds == 1.0


@pytest.mark.parametrize("setting", ["offline", "", " Offline "])
def test_make_online_geocoder_offline_is_none(setting):
    assert make_online_geocoder(setting, "naoberkaart-tests") is None


def test_make_online_geocoder_rejects_unknown_name():
    with pytest.raises(ValueError, match="google"):
        make_online_geocoder("google", "naoberkaart-tests")


def test_make_online_geocoder_pdok_defaults_to_real_service():
    geocoder = make_online_geocoder("PDOK", "naoberkaart-tests")
    assert geocoder.source == "pdok"
    assert geocoder.geocoder.api == f"https://api.pdok.nl{PDOK_PATH}"


def test_geocode_cached_answers_repeat_from_cache(session, pdok, fake):
    first = geocode_cached(session, "ROGGEL ", pdok)
    second = geocode_cached(session, "roggel", pdok)
    assert first == GeocodeHit(51.26, 5.92, "Roggel", "Leudal", "pdok")
    assert second == GeocodeHit(51.26, 5.92, "Roggel", "Leudal", "cache:pdok")
    assert len(fake.requests) == 1
    row = session.scalar(select(GeocodeCache))
    assert (row.query, row.source) == ("roggel", "pdok")


def test_geocode_cached_does_not_cache_failures(session, pdok, fake):
    fake.status = 500
    assert geocode_cached(session, "Dorpsstraat 1 Roggel", pdok) is None
    fake.status, fake.body = 200, PDOK_EMPTY
    assert geocode_cached(session, "Dorpsstraat 1 Roggel", pdok) is None
    assert _cache_rows(session) == 0
    fake.body = PDOK_FOUND
    assert geocode_cached(session, "Dorpsstraat 1 Roggel", pdok).source == "pdok"
    assert len(fake.requests) == 3
    assert _cache_rows(session) == 1


def test_geocode_cached_keeps_row_stored_first_by_another_worker(session, pdok):
    class RacingGeocoder:
        """Another worker stores the same query while we are asking the service."""

        def geocode(self, query):
            session.add(GeocodeCache(query="roggel", lat=1.0, lon=2.0, source="nominatim"))
            session.flush()
            return pdok.geocode(query)

    hit = geocode_cached(session, "Roggel", RacingGeocoder())
    assert hit.source == "pdok"
    assert session.scalar(select(GeocodeCache.source)) == "nominatim"
    assert _cache_rows(session) == 1


def test_geocode_cached_blank_query_asks_nothing(session, pdok, fake):
    assert geocode_cached(session, " ,. ", pdok) is None
    assert fake.requests == []


def _pdok_answer(name: str, lon: float, lat: float) -> str:
    doc = {"weergavenaam": name, "woonplaatsnaam": "Nijmegen", "gemeentenaam": "Nijmegen",
           "centroide_ll": f"POINT({lon} {lat})"}  # fmt: skip
    return json.dumps({"response": {"numFound": 1, "docs": [doc]}})


def test_resolve_finds_a_street_address_online_and_files_it_under_its_district(session, pdok, fake):
    fake.body = _pdok_answer("Hatertseweg 500, 6535AB Nijmegen", 5.83100, 51.80500)
    location = geography.resolve(session, "Hatertseweg 500, Nijmegen", pdok).location
    assert location is not None and location.source == "pdok"
    assert (location.place_name, location.municipality) == ("Hatert", "Nijmegen")
    assert (location.lat, location.lon) == (51.805, 5.831)
    assert fake.requests[0][1]["q"] == ["Hatertseweg 500, Nijmegen"]


def test_resolve_asks_online_for_a_full_postcode_and_falls_back_on_its_area(session, pdok, fake):
    fake.body = _pdok_answer("6535AB Nijmegen", 5.83100, 51.80500)
    assert geography.resolve(session, "6535 AB", pdok).location.place_name == "Hatert"
    fake.status = 500
    fallback = geography.resolve(session, "6536 CD", pdok).location
    assert fallback is not None and fallback.source == "gazetteer"
    assert (fallback.place_name, fallback.municipality) == ("Nijmegen", "Nijmegen")


def test_resolve_answers_villages_and_districts_without_asking_online(session, pdok, fake):
    for query in ("Roggel", "6088", "Hatert Nijmegen"):
        assert geography.resolve(session, query, pdok).location is not None
    assert fake.requests == []


def test_listing_form_with_pdok_configured_files_an_address_in_its_district(
    app, client, login, session, fake, monkeypatch
):
    """GEOCODER=pdok pointed at the local fake through GEOCODER_DOMAIN/GEOCODER_SCHEME."""
    monkeypatch.setitem(app.config, "GEOCODER", "pdok")
    monkeypatch.setitem(app.config, "GEOCODER_DOMAIN", fake.domain)
    monkeypatch.setitem(app.config, "GEOCODER_SCHEME", "http")
    configured = make_online_geocoder(
        app.config["GEOCODER"],
        "naoberkaart-tests",
        domain=app.config["GEOCODER_DOMAIN"],
        scheme=app.config["GEOCODER_SCHEME"],
    )
    monkeypatch.setitem(app.extensions, "geocoder", configured)
    fake.body = _pdok_answer("Hatertseweg 500, 6535AB Nijmegen", 5.83100, 51.80500)
    make_theme(session, "naoberzorg")
    login()
    form = {"kind": "need", "title": "Hulp bij de tuin", "themes": ["naoberzorg"],
            "location_query": "Hatertseweg 500, Nijmegen", "area_kind": "radius",
            "radius_km": "3", "schedule_kind": "weekly", "weekly_slots": ["tue-morning"],
            "action": "publish"}  # fmt: skip
    assert client.post("/initiatieven/nieuw", data=form).status_code == 302
    listing = session.scalar(select(Listing))
    assert (listing.place_name, listing.municipality) == ("Hatert", "Nijmegen")
    assert (listing.public_lat, listing.public_lon) == (51.8064, 5.8306)  # Hatert's centre
