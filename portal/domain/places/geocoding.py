"""Online geocoding (PDOK Locatieserver or Nominatim), rate-limited and cached.

The offline gazetteer (``gazetteer.py``) answers place names and postcodes; this module is the
optional second step for full addresses, used only when ``GEOCODER`` is configured:

- ``"pdok"``: PDOK Locatieserver v3.1, the Dutch government's free address service (no key).
  geopy ships no geocoder for it, so :class:`PdokLocatieserver` is a small geopy ``Geocoder``.
- ``"nominatim"``: OpenStreetMap's Nominatim, limited to the Netherlands.

Privacy: Nominatim's usage policy asks for no personal data, and a resident's home address is
personal data (and next to a Wmo need it may reveal health information). This module cannot
tell whose address a query is: **the caller decides** what to send, and must never send
residents' addresses to Nominatim. For the same reason the warnings logged here name the
service and the error, never the query. Note that the cache keeps the (normalised) query.

Rate limits: geopy's ``RateLimiter`` counts calls of one :class:`OnlineGeocoder` instance, so it
is per process at best. Create one instance per process (not per request); with several gunicorn
workers the real rate is ``workers x`` the configured one, so keep Nominatim to one worker's
worth of traffic (share the limit through Redis, or geocode in one place). The limiter sleeps
in the calling thread.

Failures never propagate: a geocoder that is down, slow or answers nonsense yields ``None`` and a
logged warning, and the form falls back to "click the spot on the map". Nothing here reads the
Flask request.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from geopy.adapters import BaseAdapter, RequestsAdapter, URLLibAdapter
from geopy.exc import GeocoderParseError, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ...models.place import GeocodeCache
from .gazetteer import normalise

log = logging.getLogger(__name__)

OFFLINE = "offline"
PDOK = "pdok"
NOMINATIM = "nominatim"

#: Seconds between calls. PDOK publishes no hard limit; be polite. Nominatim's policy: <= 1/s.
PDOK_MIN_DELAY = 0.2
NOMINATIM_MIN_DELAY = 1.0

_QUERY_MAX = 200  # GeocodeCache.query
_NAME_MAX = 120  # GeocodeCache.place_name / municipality

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_WKT_POINT_RE = re.compile(rf"^\s*POINT\s*\(\s*({_NUMBER})\s+({_NUMBER})\s*\)\s*$", re.IGNORECASE)

#: What a broken service can make a geocoder raise: geopy's own errors, socket errors, and
#: the errors of parsing an answer of the wrong shape.
_FAILURES = (GeopyError, OSError, ValueError, LookupError, TypeError, AttributeError)


def parse_wkt_point(wkt: str) -> tuple[float, float]:
    """``"POINT(5.92 51.26)"`` -> ``(51.26, 5.92)``: WKT has longitude first; we return lat, lon."""
    match = _WKT_POINT_RE.match(wkt or "")
    if match is None:
        raise GeocoderParseError(f"Not a WKT point: {wkt!r}")
    lon, lat = float(match.group(1)), float(match.group(2))
    return lat, lon


class PdokLocatieserver(Geocoder):
    """geopy geocoder for PDOK Locatieserver v3.1 (``free`` search), Dutch addresses only.

    Each result's ``raw`` is the Solr document: ``weergavenaam``, ``woonplaatsnaam``,
    ``gemeentenaam`` and ``centroide_ll``. ``domain`` and ``scheme`` are configurable so tests
    can point it at a local fake server.
    """

    api_path = "/bzk/locatieserver/search/v3_1/free"
    #: Addresses, 6-character postcodes and places; not streets, municipalities or parcels.
    type_filter = "type:(adres OR postcode OR woonplaats)"
    fields = "weergavenaam,woonplaatsnaam,gemeentenaam,postcode,centroide_ll"

    def __init__(
        self,
        *,
        domain: str = "api.pdok.nl",
        scheme: str | None = None,
        timeout: Any = DEFAULT_SENTINEL,
        proxies: Any = DEFAULT_SENTINEL,
        user_agent: str | None = None,
        ssl_context: Any = DEFAULT_SENTINEL,
        adapter_factory: Callable[..., BaseAdapter] | None = None,
    ) -> None:
        super().__init__(
            scheme=scheme,
            timeout=timeout,
            proxies=proxies,
            user_agent=user_agent,
            ssl_context=ssl_context,
            adapter_factory=adapter_factory,
        )
        self.domain = domain.strip("/")
        self.api = f"{self.scheme}://{self.domain}{self.api_path}"

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        limit: int | None = None,
    ) -> Location | list[Location] | None:
        """The best match (or up to ``limit`` matches), None when there is none."""
        rows = 1 if exactly_one else (limit or 10)
        params = {"q": query, "fq": self.type_filter, "rows": rows, "fl": self.fields}
        url = f"{self.api}?{urlencode(params)}"
        callback = functools.partial(self._parse_json, exactly_one=exactly_one)
        return self._call_geocoder(url, callback, timeout=timeout)

    def _parse_json(self, page: Any, exactly_one: bool = True) -> Location | list[Location] | None:
        try:
            docs = page["response"]["docs"]
            locations = [self._parse_doc(doc) for doc in docs]
        except (KeyError, TypeError, ValueError) as error:
            raise GeocoderParseError(f"Unexpected PDOK answer: {error!r}") from error
        if not locations:
            return None
        return locations[0] if exactly_one else locations

    @staticmethod
    def _parse_doc(doc: Mapping[str, Any]) -> Location:
        lat, lon = parse_wkt_point(doc["centroide_ll"])
        return Location(doc.get("weergavenaam") or "", (lat, lon), dict(doc))


@dataclass(frozen=True)
class GeocodeHit:
    """One geocoder answer: where, in which village and municipality, and who said so."""

    lat: float
    lon: float
    place_name: str
    municipality: str
    source: str  # "pdok", "nominatim", "cache:pdok", ...


def _first_part(address: str) -> str:
    return address.split(",", 1)[0].strip()


def _hit_from_pdok(location: Location) -> GeocodeHit:
    raw = location.raw
    return GeocodeHit(
        lat=location.latitude,
        lon=location.longitude,
        place_name=raw.get("woonplaatsnaam") or _first_part(location.address),
        municipality=raw.get("gemeentenaam") or "",
        source=PDOK,
    )


def _hit_from_nominatim(location: Location) -> GeocodeHit:
    address = location.raw.get("address") or {}
    place = next(
        (address[key] for key in ("village", "town", "city", "hamlet") if address.get(key)),
        None,
    )
    municipality = next(
        (address[key] for key in ("municipality", "city", "town") if address.get(key)), ""
    )
    return GeocodeHit(
        lat=location.latitude,
        lon=location.longitude,
        place_name=place or municipality or _first_part(location.address),
        municipality=municipality,
        source=NOMINATIM,
    )


class OnlineGeocoder:
    """A geopy geocoder behind geopy's ``RateLimiter``, answering :class:`GeocodeHit` or None.

    The limiter belongs to this instance (so: per process, see the module docstring). It does
    not retry by default: a dead service must fail fast, and the user's next try asks again.
    """

    def __init__(
        self,
        geocoder: Geocoder,
        *,
        min_delay_seconds: float | None = None,
        max_retries: int = 0,
    ) -> None:
        if isinstance(geocoder, PdokLocatieserver):
            self.source = PDOK
            self._to_hit: Callable[[Location], GeocodeHit] = _hit_from_pdok
            self._options: dict[str, Any] = {}
            default_delay = PDOK_MIN_DELAY
        elif isinstance(geocoder, Nominatim):
            self.source = NOMINATIM
            self._to_hit = _hit_from_nominatim
            self._options = {"country_codes": "nl", "addressdetails": True}
            default_delay = NOMINATIM_MIN_DELAY
        else:
            raise TypeError(f"Unsupported geocoder: {type(geocoder).__name__}")
        self.geocoder = geocoder
        delay = default_delay if min_delay_seconds is None else float(min_delay_seconds)
        if self.source == NOMINATIM:
            delay = max(delay, NOMINATIM_MIN_DELAY)  # the usage policy, not a tuning knob
        self.min_delay_seconds = delay
        self._limited = RateLimiter(
            geocoder.geocode,
            min_delay_seconds=self.min_delay_seconds,
            max_retries=max_retries,
            error_wait_seconds=max(self.min_delay_seconds, 1.0),
            swallow_exceptions=False,
        )

    def geocode(self, query: str) -> GeocodeHit | None:
        """The best match in the Netherlands; None when there is none or the service fails."""
        if not query or not query.strip():
            return None
        try:
            location = self._limited(query, exactly_one=True, **self._options)
            return None if location is None else self._to_hit(location)
        except _FAILURES as error:
            # Name the service and the error, never the query: it may be someone's address.
            log.warning("Geocoder %s failed: %s: %s", self.source, type(error).__name__, error)
            return None

    def close(self) -> None:
        """Close the adapter's pooled connections (it also happens on garbage collection)."""
        self.geocoder.__exit__(None, None, None)

    def __enter__(self) -> OnlineGeocoder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _adapter_factory() -> Callable[..., BaseAdapter]:
    """geopy's HTTP adapter without transport retries: requests if installed, else urllib.

    geopy's ``RequestsAdapter`` retries twice by default, so a hanging server would cost three
    timeouts; ``URLLibAdapter`` never retries.
    """
    if RequestsAdapter.is_available:
        return functools.partial(RequestsAdapter, max_retries=0)
    return URLLibAdapter


def make_online_geocoder(
    setting: str,
    user_agent: str,
    timeout: float = 3.0,
    domain: str | None = None,
    scheme: str = "https",
) -> OnlineGeocoder | None:
    """The geocoder for the ``GEOCODER`` setting: ``offline`` (or empty), ``pdok``, ``nominatim``.

    Call it once per process and keep the result (the rate limiter lives in it).
    ``domain``/``scheme`` point it elsewhere (a local mirror, or a fake server in tests).
    Raises ValueError for any other setting, so a typo fails at start-up, not at first use.
    """
    name = (setting or "").strip().lower()
    if name in ("", OFFLINE):
        return None
    common: dict[str, Any] = {
        "scheme": scheme,
        "timeout": timeout,
        "user_agent": user_agent,
        "adapter_factory": _adapter_factory(),
    }
    if domain:
        common["domain"] = domain
    if name == PDOK:
        return OnlineGeocoder(PdokLocatieserver(**common))
    if name == NOMINATIM:
        return OnlineGeocoder(Nominatim(**common))
    raise ValueError(f"Unknown GEOCODER {setting!r}: use offline, pdok or nominatim")


def _hit_from_row(row: GeocodeCache) -> GeocodeHit:
    return GeocodeHit(
        lat=row.lat,
        lon=row.lon,
        place_name=row.place_name,
        municipality=row.municipality,
        source=f"cache:{row.source}",
    )


def _cached_row(session: Session, key: str) -> GeocodeCache | None:
    return session.scalar(select(GeocodeCache).where(GeocodeCache.query == key))


#: INSERT ... ON CONFLICT DO NOTHING, per dialect.
_UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _store(session: Session, values: dict[str, Any]) -> None:
    """Insert a cache row in the caller's transaction; a row another worker stored first wins.

    ON CONFLICT DO NOTHING rather than a SAVEPOINT: with pysqlite's default transaction
    handling, releasing a savepoint opened outside a write transaction commits it.
    """
    upsert = _UPSERTS.get(session.get_bind(GeocodeCache.__mapper__).dialect.name)
    if upsert is None:
        session.add(GeocodeCache(**values))
        session.flush()
        return
    statement = (
        upsert(GeocodeCache)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[GeocodeCache.query])
    )
    session.execute(statement)


def geocode_cached(session: Session, query: str, geocoder: OnlineGeocoder) -> GeocodeHit | None:
    """Answer from ``geocode_cache`` (keyed on the normalised query), else ask and remember.

    Only hits are stored (flushed, not committed: the caller owns the transaction); failures
    and empty answers are not, so the next try asks again. Never raises when the geocoder
    fails. When another worker stored the same query first, its row stays.
    """
    key = normalise(query)
    if not key:
        return None
    row = _cached_row(session, key)
    if row is not None:
        return _hit_from_row(row)
    hit = geocoder.geocode(query)
    if hit is None or len(key) > _QUERY_MAX:
        return hit
    _store(
        session,
        {
            "query": key,
            "lat": hit.lat,
            "lon": hit.lon,
            "place_name": hit.place_name[:_NAME_MAX],
            "municipality": hit.municipality[:_NAME_MAX],
            "source": hit.source,
        },
    )
    return hit
