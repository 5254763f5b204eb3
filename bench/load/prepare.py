"""Get a seeded database ready for the load test and write what the simulated users need.

Adds MEMBERS accounts that can log in (synthetic residents cannot), gives each a few published
listings of their own (so /mijn and the owner-only matches API have something to show), and
writes a JSON file with listing ids, places, themes and search words for bench/load/locustfile.py,
and beside it one file of request paths per capacity run (paths-<route>.txt, for paths.lua).

Usage (DATABASE_URL set): python bench/load/prepare.py OUT.json [MEMBERS]
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import func, select, update

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from portal import create_app
from portal.domain.identity.passwords import hash_password
from portal.domain.places.gazetteer import default_gazetteer
from portal.extensions import db
from portal.models import Listing, ListingStatus, Role, Theme, User

PASSWORD = "lasttest-naoberkaart-2024"  # noqa: S105  (a benchmark account on a throwaway database)
LISTINGS_PER_MEMBER = 3
SAMPLE = 5000
SEARCH_WORDS = ("hulp", "vervoer", "maaltijden", "klussen", "ontmoeting", "dagbesteding")


def _published_ids(session) -> list[int]:
    visible = (Listing.status == ListingStatus.PUBLISHED) & Listing.hidden.is_(False)
    ids = list(session.scalars(select(Listing.id).where(visible).order_by(Listing.id)))
    return random.Random(1).sample(ids, min(SAMPLE, len(ids)))


def _members(session, count: int, listing_ids: list[int]) -> list[dict]:
    password_hash = hash_password(PASSWORD)
    members = []
    for number in range(count):
        email = f"lasttest-{number}@lasttest.naoberkaart.nl"
        user = session.scalar(select(User).where(User.email == email))  # a reused database
        if user is None:
            user = User(
                email=email,
                display_name=f"Lasttest {number}",
                password_hash=password_hash,
                role=Role.RESIDENT,
            )
            session.add(user)
            session.flush()
        owned = listing_ids[number * LISTINGS_PER_MEMBER : (number + 1) * LISTINGS_PER_MEMBER]
        session.execute(update(Listing).where(Listing.id.in_(owned)).values(owner_id=user.id))
        members.append({"email": user.email, "listings": owned})
    return members


def _busy_places(session) -> list[dict]:
    """The places with most published listings (what people would look for), with their names."""
    rows = session.execute(
        select(Listing.place_key, Listing.place_name, func.count())
        .where(Listing.status == ListingStatus.PUBLISHED)
        .group_by(Listing.place_key, Listing.place_name)
        .order_by(func.count().desc())
        .limit(200)
    ).all()
    gazetteer = default_gazetteer()
    return [
        {"key": key, "name": name, "listings": count}
        for key, name, count in rows
        if gazetteer.lookup(name).best is not None  # `near` takes names that are unambiguous
    ]


def _filters(rng: random.Random, data: dict) -> str:
    """The same kind of filter the locust visitors use: a theme near a busy place."""
    theme = rng.choice(data["themes"])
    place = rng.choice(data["places"][:100])["name"]
    return urlencode({"theme": theme, "near": place, "radius_km": rng.choice((5, 10, 25))})


def _write_paths(folder: Path, data: dict, count: int = 5000) -> None:
    rng = random.Random(2)
    routes = {
        "hello": lambda: "/",
        "page": lambda: "/page",
        "list": lambda: f"/initiatieven?{_filters(rng, data)}",
        "detail": lambda: f"/initiatieven/{rng.choice(data['listing_ids'])}",
        "mapdata": lambda: f"/kaart/data.json?{_filters(rng, data)}",
        "search": lambda: f"/initiatieven?q={rng.choice(data['words'])}",
    }
    for route, make in routes.items():
        (folder / f"paths-{route}.txt").write_text("\n".join(make() for _ in range(count)) + "\n")


def main(out: Path, count: int) -> None:
    app = create_app()
    with app.app_context():
        session = db.session
        ids = _published_ids(session)
        members = _members(session, count, ids)
        session.commit()
        data = {
            "password": PASSWORD,
            "members": members,
            "listing_ids": ids[count * LISTINGS_PER_MEMBER :],
            "places": _busy_places(session),
            "themes": list(session.scalars(select(Theme.slug).order_by(Theme.slug))),
            "words": list(SEARCH_WORDS),
        }
    out.write_text(json.dumps(data))
    _write_paths(out.parent, data)
    print(
        f"{len(members)} accounts, {len(data['listing_ids'])} listings, {len(data['places'])} places -> {out}"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 50)
