"""Where things are: resolve what a user typed or clicked into a location, and coarsen it.

Residents' exact points never leave the server: what is shown publicly is the centre of their
village (the nearest gazetteer place). Organisations' public addresses may be shown exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from .gazetteer import GazetteerEntry, default_gazetteer
from .geocoding import OnlineGeocoder, geocode_cached


@dataclass(frozen=True)
class Location:
    """A resolved point with the village it belongs to."""

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
    """A gazetteer entry as a location; postcodes and municipalities belong to their village."""
    village = (
        entry if entry.kind == "place" else default_gazetteer().nearest_place(entry.lat, entry.lon)
    )
    return Location(
        lat=entry.lat,
        lon=entry.lon,
        place_key=village.key,
        place_name=village.name,
        municipality=entry.municipality,
        source="gazetteer",
        approximate=entry.approximate,
    )


def from_point(lat: float, lon: float, source: str = "map") -> Location:
    """A point clicked on the map (or found online), tied to its nearest village."""
    village = default_gazetteer().nearest_place(lat, lon)
    return Location(lat, lon, village.key, village.name, village.municipality, source)


def resolve(session: Session, query: str, online: OnlineGeocoder | None = None) -> Resolution:
    """Place names and postcodes from the gazetteer; addresses from the online geocoder if any.

    Never raises when a geocoder is down: the result is then empty and the form asks the user
    to click the spot on the map.
    """
    lookup = default_gazetteer().lookup(query)
    if lookup.best is not None:
        return Resolution(from_entry(lookup.best))
    if lookup.candidates:
        return Resolution(None, lookup.candidates)
    if online is not None:
        hit = geocode_cached(session, query, online)
        if hit is not None:
            return Resolution(from_point(hit.lat, hit.lon, source=hit.source))
    return Resolution(None)


def in_netherlands(lat: float, lon: float) -> bool:
    """A loose bounding box around the Netherlands (for clicked points)."""
    return 50.6 <= lat <= 53.7 and 3.2 <= lon <= 7.3


def public_point(location: Location, exact_is_public: bool) -> tuple[float, float]:
    """What may be shown: the exact point for public addresses, else the village centre."""
    if exact_is_public:
        return location.lat, location.lon
    village = default_gazetteer().get(location.place_key)
    if village is None:
        village = default_gazetteer().nearest_place(location.lat, location.lon)
    return round(village.lat, 4), round(village.lon, 4)
