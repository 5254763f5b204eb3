"""Re-file what the database holds under the current gazetteer (after a rebuild).

Rows keep ``place_key`` / ``place_name`` / ``municipality`` and a public point from the
gazetteer they were saved under. ``gn:<geonameid>`` keys stay valid across rebuilds, but a
row's village may now be another one (the old build filed points under the nearest place of
a thinned list), and ``pp:`` / ``rg:`` keys of the old build are gone.

The rule is the one every form uses (``geography``):

- a row whose key still exists is filed from its stored exact point (``from_point``);
- a row whose key is gone was typed as a name the old build only estimated: its stored point
  is that estimate, so the row is resolved again from its stored name and municipality
  (``resolve_offline``) and moves to that place's centre;
- a resident's public point is the centre of the (new) village or district; an
  organisation's address stays public as it is.

Wishes store no point: a wish whose key is gone is resolved from its name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Listing, Organisation, VolunteerProfile, Wish
from ..catalogue.listings import place_listing
from .gazetteer import default_gazetteer
from .geography import Location, from_point, public_point, resolve_offline

REFILED = "opnieuw ingedeeld"
UNCHANGED = "ongewijzigd"
UNKNOWN = "onbekend"


def refile_places(session: Session) -> dict[str, Counter[str]]:
    """Re-file every listing, volunteer profile, organisation and wish; per kind of row, how
    many moved (``REFILED``), stayed (``UNCHANGED``) or could not be placed (``UNKNOWN``).
    Flushes; the caller commits."""
    report = {
        "vraag en aanbod": _refile_located(session, Listing, place_listing),
        "vrijwilligers": _refile_located(session, VolunteerProfile, _place_resident),
        "organisaties": _refile_located(session, Organisation, _place_public),
        "wensen": _refile_wishes(session),
    }
    session.flush()
    return report


def _refile_located(session: Session, model, place) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    for row in _all(session, model):
        location = _new_location(row)
        if location is None:
            outcomes[UNKNOWN] += 1
            continue
        before = _filed_as(row)
        place(row, location)
        outcomes[REFILED if _filed_as(row) != before else UNCHANGED] += 1
    return outcomes


def _new_location(row) -> Location | None:
    """Where a located row belongs now (see the module doc)."""
    still_known = row.place_key and default_gazetteer().get(row.place_key) is not None
    if row.lat is not None and row.lon is not None and still_known:
        return from_point(row.lat, row.lon, source="refile")
    return _by_name(row.place_name, row.municipality)


def _by_name(place_name: str | None, municipality: str | None) -> Location | None:
    """The place a stored name stands for: "name, municipality", else the name alone."""
    tries = [f"{place_name}, {municipality}", place_name] if municipality else [place_name]
    for text in tries:
        location = resolve_offline(text or "").location
        if location is not None:
            return location
    return None


def _filed_as(row) -> tuple:
    return (row.place_key, row.place_name, row.municipality, row.public_lat, row.public_lon)


def _place_resident(profile: VolunteerProfile, location: Location) -> None:
    _file(profile, location)
    profile.public_lat, profile.public_lon = public_point(location, exact_is_public=False)


def _place_public(organisation: Organisation, location: Location) -> None:
    _file(organisation, location)
    organisation.public_lat, organisation.public_lon = location.lat, location.lon


def _file(row, location: Location) -> None:
    row.lat, row.lon = location.lat, location.lon
    row.place_key = location.place_key
    row.place_name = location.place_name
    row.municipality = location.municipality


def _refile_wishes(session: Session) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    for wish in _all(session, Wish):
        entry = default_gazetteer().get(wish.place_key)
        location = None if entry is not None else _by_name(wish.place_name, wish.municipality)
        if entry is None and location is None:
            outcomes[UNKNOWN] += 1
            continue
        before = (wish.place_key, wish.place_name, wish.municipality)
        if location is not None:
            wish.place_key = location.place_key
        filed = default_gazetteer().get(wish.place_key)
        wish.place_name, wish.municipality = filed.name, filed.municipality
        changed = (wish.place_key, wish.place_name, wish.municipality) != before
        outcomes[REFILED if changed else UNCHANGED] += 1
    return outcomes


def _all(session: Session, model) -> Iterable:
    return session.scalars(select(model).order_by(model.id))
