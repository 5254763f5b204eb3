"""Synthetic listings, volunteers and organisations placed the way people live.

For benchmarks and demo databases at scale: points are drawn per gazetteer place weighted by its
population (dense in cities, sparse in villages) and jittered a few kilometres around the centre,
so a query in Utrecht meets a crowd and one in Roggel a handful. Each row belongs to the place
it was drawn around (not geocoded again to the nearest village: near enough, and a million
look-ups cheaper). Rows go in with bulk Core inserts in batches; the same seed gives the same
data. Synthetic accounts have an unusable password and ``.invalid`` e-mail addresses.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from ..domain.catalogue.schedule import SLOTS, date_slots
from ..domain.catalogue.search import search_document
from ..domain.catalogue.themes import seed_themes
from ..domain.places.gazetteer import PLACE, GazetteerEntry, default_gazetteer
from ..models import (
    AreaKind,
    Listing,
    ListingKind,
    ListingStatus,
    Organisation,
    OrganisationKind,
    Role,
    ScheduleKind,
    Theme,
    User,
    VolunteerProfile,
)
from ..models.base import utcnow
from ..models.listing import listing_theme
from ..models.organisation import organisation_theme
from ..models.volunteer import volunteer_profile_theme

Progress = Callable[[int, int], None]

#: Places without a known population still get a few inhabitants (hamlets, new villages).
POPULATION_FLOOR = 300
KM_PER_DEGREE = 111.2
FIRST_NAMES = (
    "Anna", "Bram", "Daan", "Emma", "Fenna", "Gerrit", "Henk", "Ilse", "Jan", "Joke", "Kees",
    "Lotte", "Marij", "Noor", "Piet", "Riet", "Sanne", "Thijs", "Truus", "Wim", "Yara", "Zoë",
)  # fmt: skip
SKILLS = ("koken", "fietsen", "klussen", "computers", "tuinieren", "rijbewijs", "luisteren")
TITLES = {
    ListingKind.NEED: ("Wie helpt mee met {theme}?", "Gezocht: hulp bij {theme}"),
    ListingKind.OFFER: ("Wij bieden {theme}", "{theme}: ik help graag"),
    ListingKind.RESOURCE: ("Ruimte voor {theme}", "Spullen en geld voor {theme}"),
}
LISTING_RADII = (1, 2, 3, 5, 5, 5, 10, 10, 15, 20, 25, 40, 50, 100)
TRAVEL_RADII = (1, 2, 3, 5, 5, 5, 10, 10, 15, 25, 50)


@dataclass(frozen=True)
class SyntheticCounts:
    """How many rows of each kind were added."""

    users: int
    organisations: int
    volunteers: int
    listings: int


@dataclass(frozen=True)
class _Spot:
    """A drawn home or address: the exact point and the place it belongs to."""

    lat: float
    lon: float
    place: GazetteerEntry


class _World:
    """Random draws that follow the population, from one seeded generator."""

    def __init__(self, seed: int, theme_ids: list[int], now: datetime) -> None:
        self.rng = random.Random(seed)
        self.theme_ids = theme_ids
        self.now = now
        places = [entry for entry in default_gazetteer().places() if entry.kind == PLACE]
        self.places = places
        self._weights = _cumulative(places)
        self._by_municipality: dict[str, list[GazetteerEntry]] = defaultdict(list)
        for entry in places:
            self._by_municipality[entry.municipality].append(entry)

    def spot(self) -> _Spot:
        """A point near a place chosen by population, jittered by the place's size."""
        place = self.rng.choices(self.places, cum_weights=self._weights)[0]
        sigma = min(max(0.25 * math.sqrt(_population(place) / 1000), 0.4), 4.0)
        dlat = self.rng.gauss(0, sigma) / KM_PER_DEGREE
        dlon = self.rng.gauss(0, sigma) / (KM_PER_DEGREE * math.cos(math.radians(place.lat)))
        return _Spot(place.lat + dlat, place.lon + dlon, place)

    def themes(self) -> list[int]:
        """One to three themes, most often one."""
        count = self.rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
        return self.rng.sample(self.theme_ids, count)

    def slots(self, most: int) -> list[str]:
        """Up to `most` weekly day parts."""
        return sorted(self.rng.sample(SLOTS, self.rng.randint(0, most)), key=SLOTS.index)

    def moment(self, days_back: int) -> datetime:
        """A moment within the last `days_back` days."""
        return self.now - timedelta(days=self.rng.uniform(0, days_back))

    def neighbours(self, place: GazetteerEntry) -> list[str]:
        """The place and up to three others in its municipality (a chosen-villages area)."""
        others = [
            entry.key for entry in self._by_municipality[place.municipality] if entry != place
        ]
        return [place.key, *self.rng.sample(others, min(len(others), self.rng.randint(0, 3)))]


def _population(place: GazetteerEntry) -> int:
    """The place's inhabitants, or the floor for places without a known count."""
    return place.population or POPULATION_FLOOR


def _cumulative(places: list[GazetteerEntry]) -> list[int]:
    """Cumulative weights, so each draw is a bisection instead of a walk over all places."""
    total, weights = 0, []
    for place in places:
        total += _population(place)
        weights.append(total)
    return weights


def _located(spot: _Spot, exact_public: bool) -> dict[str, object]:
    """The location columns; residents' public point is their village centre."""
    place = spot.place
    public = (spot.lat, spot.lon) if exact_public else (round(place.lat, 4), round(place.lon, 4))
    return {
        "lat": spot.lat,
        "lon": spot.lon,
        "public_lat": public[0],
        "public_lon": public[1],
        "place_key": place.key,
        "place_name": place.name,
        "municipality": place.municipality,
    }


def _user_row(world: _World, number: int) -> dict[str, object]:
    """A resident who cannot log in (no usable password)."""
    return {
        "email": f"synthetisch-{number}@naoberkaart.invalid",
        "password_hash": "!",
        "display_name": world.rng.choice(FIRST_NAMES),
        "phone": "",
        "role": Role.RESIDENT,
        "session_version": 1,
        "locale": "nl",
        "active": True,
        "created_at": world.now,
        "updated_at": world.now,
    }


def _organisation_row(world: _World) -> dict[str, object]:
    """An organisation at a public address; four in ten are verified."""
    spot = world.spot()
    kind = world.rng.choice(list(OrganisationKind))
    verified = world.rng.random() < 0.4
    return {
        **_located(spot, exact_public=True),
        "kind": kind,
        "name": f"{kind.value.replace('_', ' ').capitalize()} {spot.place.name}",
        "description": "",
        "address": "",
        "website": "",
        "contact_email": "",
        "contact_phone": "",
        "verified": verified,
        "verified_at": world.now if verified else None,
        "confirmed_at": world.moment(365),
        "created_at": world.now,
        "updated_at": world.now,
    }


def _volunteer_row(world: _World, user_id: int, name: str) -> dict[str, object]:
    """A volunteer profile; one in twenty is paused."""
    rng = world.rng
    return {
        **_located(world.spot(), exact_public=False),
        "user_id": user_id,
        "display_name": name,
        "skills": rng.sample(SKILLS, rng.randint(0, 3)),
        "availability": world.slots(6),
        "travel_radius_km": float(rng.choice(TRAVEL_RADII)),
        "max_open_matches": rng.randint(1, 5),
        "paused": rng.random() < 0.05,
        "created_at": world.now,
        "updated_at": world.moment(365),
    }


def _schedule(world: _World) -> dict[str, object]:
    """Ongoing, weekly on a few day parts, or once on a date in the coming three months."""
    rng = world.rng
    kind = rng.choices(list(ScheduleKind), weights=(15, 45, 40))[0]
    if kind is ScheduleKind.ONCE:
        day = world.now.date() + timedelta(days=rng.randint(1, 90))
        parts = list(date_slots(day)) if rng.random() < 0.3 else [rng.choice(date_slots(day))]
        return {"schedule_kind": kind, "event_date": day, "weekly_slots": parts}
    slots = world.slots(4) if kind is ScheduleKind.WEEKLY else world.slots(2)
    return {"schedule_kind": kind, "event_date": None, "weekly_slots": slots}


def _area(world: _World, spot: _Spot) -> dict[str, object]:
    """Mostly a radius; sometimes the whole municipality or a few chosen villages."""
    kind = world.rng.choices(list(AreaKind), weights=(85, 5, 10))[0]
    places = world.neighbours(spot.place) if kind is AreaKind.VILLAGES else []
    return {
        "area_kind": kind,
        "area_places": places,
        "radius_km": float(world.rng.choice(LISTING_RADII)),
    }


def _capacity(world: _World, kind: ListingKind) -> dict[str, object]:
    """A third of the activities have a number of places; some are full."""
    if kind is not ListingKind.OFFER or world.rng.random() > 0.3:
        return {"capacity": None, "spots_taken": 0}
    capacity = world.rng.randint(3, 30)
    return {"capacity": capacity, "spots_taken": world.rng.randint(0, capacity)}


def _status(world: _World) -> dict[str, object]:
    """Mostly published; some drafts, closed, expired or hidden listings to filter out."""
    status = world.rng.choices(list(ListingStatus), weights=(4, 86, 7, 3))[0]
    confirmed = world.moment(200)
    return {
        "status": status,
        "hidden": world.rng.random() < 0.01,
        "published_at": None if status is ListingStatus.DRAFT else confirmed,
        "confirmed_at": confirmed,
        "expires_at": confirmed + timedelta(days=180),
        "closed_at": world.now if status is ListingStatus.CLOSED else None,
    }


def _listing_row(world: _World, owner_id: int | None, themes: list[int], labels: dict[int, str]):
    """A need, offer or resource with every column given (one executemany shape per batch)."""
    rng = world.rng
    kind = rng.choices(list(ListingKind), weights=(40, 40, 20))[0]
    spot = world.spot()
    title = rng.choice(TITLES[kind]).format(theme=labels[themes[0]].lower())
    return {
        **_located(spot, exact_public=False),
        **_status(world),
        **_schedule(world),
        **_area(world, spot),
        **_capacity(world, kind),
        "kind": kind,
        "title": title[0].upper() + title[1:],
        "description": "",
        "owner_id": owner_id,
        "organisation_id": None,
        "verified": rng.random() < 0.1,
        "exact_location_public": False,
        "contributions": [],
        "hours_per_week": None,
        "involvement": None,
        "access_route": None,
        "reach": [],
        "cost": "",
        "age_min": None,
        "age_max": None,
        "on_behalf": False,
        "reminded_at": None,
        "fulfilled": False,
        "search_text": search_document(title, spot.place.name),
        "created_at": world.now,
        "updated_at": world.now,
    }


def _batches(total: int, size: int) -> Iterator[range]:
    """Row numbers in batches: memory stays flat however many rows are asked for."""
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


def _link(session: Session, table: Table, owner_column: str, pairs: list[tuple[int, list[int]]]):
    """The theme link rows for a batch, in one executemany."""
    rows = [{owner_column: owner, "theme_id": theme} for owner, themes in pairs for theme in themes]
    if rows:
        session.execute(insert(table), rows)


class _Seeder:
    """Writes the batches and reports progress over all rows.

    Ids are handed out here, after the highest existing one, so a batch is one executemany
    without RETURNING (SQLite would otherwise insert row by row); PostgreSQL's sequences are
    moved past them afterwards (`_advance_sequences`).
    """

    def __init__(self, session: Session, world: _World, total: int, progress: Progress | None):
        self.session, self.world, self.total = session, world, total
        self.done = 0
        self.progress = progress
        self.users: list[int] = []
        self.labels = dict(session.execute(select(Theme.id, Theme.label_nl)).all())
        self._next = {table: _highest_id(session, table) + 1 for table in _TABLES}

    def _insert(self, table: Table, rows: list[dict]) -> list[int]:
        start = self._next[table]
        ids = list(range(start, start + len(rows)))
        for row, row_id in zip(rows, ids, strict=True):
            row["id"] = row_id
        if rows:
            self.session.execute(insert(table), rows)
        self._next[table] = start + len(rows)
        return ids

    def _advance(self, count: int) -> None:
        self.done += count
        if self.progress is not None:
            self.progress(self.done, self.total)

    def organisations(self, batch: range) -> None:
        ids = self._insert(_ORGANISATION, [_organisation_row(self.world) for _ in batch])
        pairs = [(org_id, self.world.themes()) for org_id in ids]
        _link(self.session, organisation_theme, "organisation_id", pairs)
        self._advance(len(batch))

    def volunteers(self, batch: range) -> None:
        world = self.world
        users = [_user_row(world, self._next[_USER] + i) for i in range(len(batch))]
        user_ids = self._insert(_USER, users)
        self.users.extend(user_ids)
        rows = [
            _volunteer_row(world, uid, u["display_name"])
            for uid, u in zip(user_ids, users, strict=True)
        ]
        ids = self._insert(_VOLUNTEER, rows)
        pairs = [(profile_id, world.themes()) for profile_id in ids]
        _link(self.session, volunteer_profile_theme, "volunteer_profile_id", pairs)
        self._advance(len(batch))

    def listings(self, batch: range) -> None:
        world = self.world
        themes = [world.themes() for _ in batch]
        owners = [world.rng.choice(self.users) if self.users else None for _ in batch]
        rows = [
            _listing_row(world, owner, chosen, self.labels)
            for owner, chosen in zip(owners, themes, strict=True)
        ]
        ids = self._insert(_LISTING, rows)
        _link(self.session, listing_theme, "listing_id", list(zip(ids, themes, strict=True)))
        self._advance(len(batch))


_USER: Table = User.__table__
_ORGANISATION: Table = Organisation.__table__
_VOLUNTEER: Table = VolunteerProfile.__table__
_LISTING: Table = Listing.__table__
_TABLES = (_USER, _ORGANISATION, _VOLUNTEER, _LISTING)


def _highest_id(session: Session, table: Table) -> int:
    """The highest id in use (an index look-up), so new ids follow existing rows."""
    return session.scalar(select(func.max(table.c.id))) or 0


def _advance_sequences(session: Session) -> None:
    """PostgreSQL hands out ids from sequences; move them past the ids given here."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in _TABLES:
        session.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :value)"),
            {"table": f'"{table.name}"', "value": max(_highest_id(session, table), 1)},
        )


def generate(
    session: Session,
    listings: int,
    volunteers: int | None = None,
    organisations: int | None = None,
    seed: int = 1,
    now: datetime | None = None,
    batch_size: int = 5000,
    progress: Progress | None = None,
) -> SyntheticCounts:
    """Add `listings` listings, as many volunteers (one user each) and 1 % organisations.

    Listings are owned by the new volunteers' accounts. Writes in batches and never commits:
    the caller decides.
    """
    seed_themes(session)
    volunteers = listings if volunteers is None else volunteers
    organisations = max(listings // 100, 1) if organisations is None else organisations
    theme_ids = sorted(session.scalars(select(Theme.id)))
    world = _World(seed, theme_ids, now or utcnow())
    seeder = _Seeder(session, world, organisations + volunteers + listings, progress)
    for batch in _batches(organisations, batch_size):
        seeder.organisations(batch)
    for batch in _batches(volunteers, batch_size):
        seeder.volunteers(batch)
    for batch in _batches(listings, batch_size):
        seeder.listings(batch)
    _advance_sequences(session)
    return SyntheticCounts(len(seeder.users), organisations, volunteers, listings)
