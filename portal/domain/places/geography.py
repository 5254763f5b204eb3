"""Where things are: resolve what a user typed or clicked into a location, and coarsen it.

One rule for every way in (the forms, the list and map filter, the API, the importer, the
notice board, the seed): text goes through :func:`resolve` (the offline gazetteer first, then
the online geocoder if one is configured), a point through :func:`from_point` (the village or
district it lies in, ``Gazetteer.place_at``), and a gazetteer entry through :func:`from_entry`
(a postcode area belongs to the place its postcode table names: 6088 is Roggel).
:func:`locate` combines them for a form with a text field and a map click.

Residents' exact points never leave the server: what is shown publicly is the centre of their
village or district (:func:`public_point`). Organisations' public addresses may be shown
exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from .gazetteer import GazetteerEntry, default_gazetteer, normalise
from .geocoding import OnlineGeocoder, geocode_cached


@dataclass(frozen=True)
class Location:
    """A resolved point with the village (or district) it belongs to."""

    lat: float
    lon: float
    place_key: str
    place_name: str
    municipality: str
    source: str
    approximate: bool = False

    @property
    def label(self) -> str:
        if self.place_name == self.municipality:
            return self.place_name
        return f"{self.place_name} ({self.municipality})"


@dataclass(frozen=True)
class Resolution:
    """A location, or candidates to choose from when a name is ambiguous, or neither."""

    location: Location | None
    candidates: tuple[GazetteerEntry, ...] = ()


def from_entry(entry: GazetteerEntry) -> Location:
    """A gazetteer entry as a location, filed under the place it stands for: a place itself,
    a postcode area's own place (6088 -> Roggel), a municipality's seat."""
    village = default_gazetteer().village(entry)
    return Location(
        lat=entry.lat,
        lon=entry.lon,
        place_key=village.key,
        place_name=village.name,
        municipality=village.municipality,
        source="gazetteer",
        approximate=entry.approximate,
    )


def from_point(lat: float, lon: float, source: str = "map") -> Location:
    """A point clicked on the map (or found online, or imported), filed under the village or
    district it lies in."""
    village = default_gazetteer().place_at(lat, lon)
    return Location(lat, lon, village.key, village.name, village.municipality, source)


def resolve(session: Session, query: str, online: OnlineGeocoder | None = None) -> Resolution:
    """Place names and postcodes from the gazetteer; addresses from the online geocoder if any.

    A full postcode ("6535 AB") goes to the online geocoder first when there is one (it knows
    the street); its 4-digit area is the fallback. Never raises when a geocoder is down: the
    result is then the gazetteer's answer, or empty and the form asks for a map click.
    """
    offline = resolve_offline(query)
    if online is not None and (offline.location is None or _is_full_postcode(query)):
        hit = geocode_cached(session, query, online)
        if hit is not None:
            return Resolution(from_point(hit.lat, hit.lon, source=hit.source))
    return offline


def resolve_offline(query: str) -> Resolution:
    """A village, district, municipality or postcode from the gazetteer alone (the importer,
    the seed and the list filter need no address and must not wait on a geocoder)."""
    lookup = default_gazetteer().lookup(query)
    if lookup.best is not None:
        return Resolution(from_entry(lookup.best))
    return Resolution(None, lookup.candidates)


def _is_full_postcode(query: str) -> bool:
    """``6535 AB``: a postcode with its letters (a few streets, not the whole 4-digit area)."""
    compact = (query or "").replace(" ", "")
    return len(compact) == 6 and compact[:4].isdigit() and compact[4:].isalpha()


def locate(
    session: Session,
    query: str,
    point: tuple[float, float] | None = None,
    online: OnlineGeocoder | None = None,
) -> Resolution:
    """What a location field and a map click say together: the clicked point (unless another
    place was typed since the click), else the typed text."""
    query = (query or "").strip()
    if point is not None and in_netherlands(*point):
        clicked = from_point(*point)
        if not query or normalise(query) in {
            normalise(clicked.place_name),
            normalise(clicked.label),
        }:
            return Resolution(clicked)
    if not query:
        return Resolution(None)
    return resolve(session, query, online)


def in_netherlands(lat: float, lon: float) -> bool:
    """A loose bounding box around the Netherlands (for clicked points)."""
    return 50.6 <= lat <= 53.7 and 3.2 <= lon <= 7.3


def public_point(location: Location, exact_is_public: bool) -> tuple[float, float]:
    """What may be shown: the exact point for public addresses, else the centre of the
    village or district the location is filed under."""
    if exact_is_public:
        return location.lat, location.lon
    village = default_gazetteer().get(location.place_key)
    if village is None:
        village = default_gazetteer().place_at(location.lat, location.lon)
    return round(village.lat, 4), round(village.lon, 4)
