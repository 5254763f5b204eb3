"""Placing import rows with the offline gazetteer: a thousand rows must not wait on a geocoder."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ....models import Organisation
from ...errors import FieldError
from ...places.gazetteer import GazetteerEntry, default_gazetteer
from ...places.geography import Location, from_entry, from_point, in_netherlands
from .report import nl

_POSTCODE_RE = re.compile(r"\b([1-9][0-9]{3})\s?(?:[A-Za-z]{2})?\b")


@dataclass(frozen=True)
class PlaceQuery:
    """What a row says about where it is."""

    postcode: str = ""
    place: str = ""
    address: str = ""
    lat: str = ""
    lon: str = ""
    place_key: str = ""


@dataclass(frozen=True)
class Failure:
    """Why a row could not be placed, and at which column."""

    column: str
    reason: str


def parse_number(text: str) -> float | None:
    """A number with a decimal point or a Dutch comma; None when empty or not a number."""
    try:
        return float(text.replace(",", ".")) if text else None
    except ValueError:
        return None


def _named(query: PlaceQuery) -> GazetteerEntry | Failure:
    """The gazetteer entry for the postcode, place, or the postcode/place inside the address."""
    tries = [("postcode", query.postcode), ("plaats", query.place)]
    in_address = _POSTCODE_RE.search(query.address)
    if in_address:
        tries.append(("adres", in_address.group(1)))
    if query.address:
        last = _POSTCODE_RE.sub("", query.address.split(",")[-1]).strip()
        tries.append(("adres", last))
    failure = None
    for column, text in tries:
        if not text:
            continue
        lookup = default_gazetteer().lookup(text)
        if lookup.best is not None:
            return lookup.best
        failure = failure or _not_found(column, text, lookup.candidates)
    return failure or Failure("plaats", nl("Vul een plaats, postcode of lat en lon in."))


def _not_found(column: str, text: str, candidates: Iterable[GazetteerEntry]) -> Failure:
    names = "; ".join(entry.label for entry in list(candidates)[:5])
    if names:
        return Failure(column, nl(
            "‘%(text)s’ komt vaker voor: %(names)s. Zet de gemeente erachter, bijvoorbeeld "
            "‘Roggel, Leudal’, of vul de postcode in.", text=text, names=names,
        ))  # fmt: skip
    return Failure(column, nl("‘%(text)s’ staat niet in de lijst van Nederlandse plaatsen en "
                              "postcodes.", text=text))  # fmt: skip


def _at_point(lat: float, lon: float, place_key: str) -> Location:
    """The given point, filed under our exported village (a round trip keeps it), else under
    the village or district it lies in: the same rule as a click on the map."""
    entry = default_gazetteer().get(place_key) if place_key else None
    if entry is None:
        return from_point(lat, lon, source="import")
    village = default_gazetteer().village(entry)
    return Location(lat, lon, village.key, village.name, village.municipality, "import")


def locate(query: PlaceQuery, strict: bool) -> Location | Failure:
    """Coordinates (checked to lie in the Netherlands) or the gazetteer; ``strict`` refuses
    bad coordinates instead of falling back on the place name."""
    if query.lat or query.lon:
        lat, lon = parse_number(query.lat), parse_number(query.lon)
        if lat is not None and lon is not None and in_netherlands(lat, lon):
            return _at_point(lat, lon, query.place_key)
        if strict:
            return Failure("lat", nl("De coördinaten %(lat)s, %(lon)s liggen niet in Nederland.",
                                     lat=query.lat, lon=query.lon))  # fmt: skip
    named = _named(query)
    return from_entry(named) if isinstance(named, GazetteerEntry) else named


def default_location(default_place: str) -> Location | None:
    """Where unplaceable HSDS locations go; raises FieldError("default_place") when unknown."""
    if not default_place.strip():
        return None
    lookup = default_gazetteer().lookup(default_place)
    if lookup.best is None:
        reason = _not_found("default_place", default_place, lookup.candidates).reason
        raise FieldError("default_place", reason)
    return from_entry(lookup.best)


def organisation_location(organisation: Organisation) -> Location | None:
    """Where an organisation already in the portal is, for its listings without a place."""
    if organisation.lat is None or organisation.lon is None:
        return None
    return Location(organisation.lat, organisation.lon, organisation.place_key or "",
                    organisation.place_name or "", organisation.municipality or "", "import")  # fmt: skip
