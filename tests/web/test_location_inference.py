"""Attacks on a resident's home: what a registered stranger can infer, channel by channel.

A resident's exact point is never shown, but matching used to compute reach and distances
from it, so moving one's own listing and watching who appears gave the home to the metre. The
rule now (``portal.domain.matching``): everything another person can observe is computed from
the resident's public point, the centre of their village or district. Each attack here is run
as a determined stranger would run it, with probes at exact points of their choosing (as an
organisation with a public address could), and recovers at best that village centre.
"""

from __future__ import annotations

import math
import re

import pytest
from sqlalchemy import select

from portal.domain.places.gazetteer import haversine_km
from portal.models import Listing, ListingKind, ListingStatus, Role

from ..factories import make_listing, make_organisation, make_theme, make_volunteer

API = "/api/v1"
KM_PER_DEGREE = 111.195
#: A home 0.8 km north-east of its village centre: far enough to tell the two apart.
HOME_OFFSET = (0.005, 0.007)
#: Three probe points around Roggel, each a few kilometres away.
PROBES = ((51.30, 5.95), (51.24, 5.98), (51.27, 5.88))


def _home_in(row) -> tuple[float, float]:
    """Move a resident's exact point within their village (their public point stays)."""
    row.lat, row.lon = row.public_lat + HOME_OFFSET[0], row.public_lon + HOME_OFFSET[1]
    return row.lat, row.lon


def _place_probe(probe, point: tuple[float, float]) -> None:
    """The attacker's own listing at an exact, public point of their choosing."""
    probe.lat, probe.lon = point
    probe.public_lat, probe.public_lon = point
    probe.exact_location_public = True


def _visible(client, listing_id: int, wanted) -> bool:
    items = client.get(f"{API}/listings/{listing_id}/matches?limit=50").get_json()["items"]
    return any(wanted(item) for item in items)


def _threshold(session, probe, set_value, appears, low: float, high: float) -> float:
    """Binary search for the value at which the victim starts to appear (to 1 m)."""
    while high - low > 0.001:
        middle = (low + high) / 2
        set_value(probe, middle)
        session.commit()
        if appears():
            high = middle
        else:
            low = middle
    return high


def _to_km(origin, point) -> tuple[float, float]:
    scale = math.cos(math.radians(origin[0]))
    return (
        (point[1] - origin[1]) * KM_PER_DEGREE * scale,
        (point[0] - origin[0]) * KM_PER_DEGREE,
    )


def _from_km(origin, xy) -> tuple[float, float]:
    scale = math.cos(math.radians(origin[0]))
    return origin[0] + xy[1] / KM_PER_DEGREE, origin[1] + xy[0] / (KM_PER_DEGREE * scale)


def _trilaterate(origin, circles) -> tuple[float, float]:
    """The point at the given distances from three centres (plane geometry, km)."""
    (x1, y1, r1), (x2, y2, r2), (x3, y3, r3) = (
        (*_to_km(origin, centre), radius) for centre, radius in circles
    )
    a, b = 2 * (x2 - x1), 2 * (y2 - y1)
    c = r1**2 - r2**2 - x1**2 + x2**2 - y1**2 + y2**2
    d, e = 2 * (x3 - x1), 2 * (y3 - y1)
    f = r1**2 - r3**2 - x1**2 + x3**2 - y1**2 + y3**2
    det = a * e - b * d
    return _from_km(origin, ((c * e - b * f) / det, (a * f - c * d) / det))


def _circumcentre(origin, points) -> tuple[float, float]:
    """The centre of the circle through three points."""
    (ax, ay), (bx, by), (cx, cy) = (_to_km(origin, point) for point in points)
    d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by))
    ux = (ax**2 + ay**2) * (by - cy) + (bx**2 + by**2) * (cy - ay) + (cx**2 + cy**2) * (ay - by)
    uy = (ax**2 + ay**2) * (cx - bx) + (bx**2 + by**2) * (ax - cx) + (cx**2 + cy**2) * (bx - ax)
    return _from_km(origin, (ux / d, uy / d))


def _assert_only_the_village_centre(recovered, home, centre) -> None:
    assert haversine_km(*recovered, *centre) < 0.02, "the attack recovers the village centre"
    assert haversine_km(*recovered, *home) >= haversine_km(*centre, *home) - 0.02


def _set_radius(probe, radius_km: float) -> None:
    probe.radius_km = radius_km


def test_trilateration_through_an_offers_matches_finds_only_the_village_centre(
    client, session, login
):
    victim = make_listing(session, kind=ListingKind.NEED, title="Boodschappen voor mij")
    home, centre = _home_in(victim), (victim.public_lat, victim.public_lon)
    attacker = login(Role.RESIDENT)
    probe = make_listing(
        session, owner=attacker, kind=ListingKind.OFFER, status=ListingStatus.DRAFT
    )
    circles = []
    for point in PROBES:
        _place_probe(probe, point)
        distance = _threshold(
            session, probe, _set_radius,
            lambda: _visible(client, probe.id, lambda item: item["id"] == victim.id), 0.0, 30.0,
        )  # fmt: skip
        circles.append((point, distance))
    _assert_only_the_village_centre(_trilaterate(centre, circles), home, centre)


def _offer_page_shows(client, probe_id: int, victim_id: int) -> bool:
    return f'/initiatieven/{victim_id}"' in client.get(f"/initiatieven/{probe_id}").text


def test_trilateration_through_the_offer_page_finds_only_the_village_centre(client, session, login):
    victim = make_listing(session, kind=ListingKind.NEED, title="Hulp bij de tuin")
    home, centre = _home_in(victim), (victim.public_lat, victim.public_lon)
    attacker = login(Role.RESIDENT)
    probe = make_listing(session, owner=attacker, kind=ListingKind.OFFER)
    circles = []
    for point in PROBES:
        _place_probe(probe, point)
        distance = _threshold(
            session, probe, _set_radius,
            lambda: _offer_page_shows(client, probe.id, victim.id), 0.0, 30.0,
        )  # fmt: skip
        circles.append((point, distance))
    _assert_only_the_village_centre(_trilaterate(centre, circles), home, centre)


def _along(start, bearing_deg: float, km: float) -> tuple[float, float]:
    """The point `km` from `start` in the direction `bearing_deg` (0 = north)."""
    dx, dy = km * math.sin(math.radians(bearing_deg)), km * math.cos(math.radians(bearing_deg))
    return _from_km(start, (dx, dy))


def test_walking_a_need_across_a_volunteers_reach_finds_only_the_village_centre(
    client, session, login
):
    volunteer = make_volunteer(session, display_name="Mieke", travel_radius_km=3.0)
    home, centre = _home_in(volunteer), (volunteer.public_lat, volunteer.public_lon)
    attacker = login(Role.RESIDENT)
    probe = make_listing(session, owner=attacker, kind=ListingKind.NEED, status=ListingStatus.DRAFT)
    edge = []
    for bearing in (0.0, 120.0, 240.0):
        distance = _threshold(
            session, probe,
            lambda row, km, bearing=bearing: _place_probe(row, _along(home, bearing, km)),
            lambda: not _visible(client, probe.id, lambda item: item["name"] == "Mieke"),
            0.0, 10.0,
        )  # fmt: skip
        edge.append(_along(home, bearing, distance))
    _assert_only_the_village_centre(_circumcentre(centre, edge), home, centre)


def _distance_words(text: str) -> list[str]:
    return re.findall(r"(?:&lt;\s*)?\d+(?:,\d)?\s*km|zelfde dorp|zelfde wijk", text)


def test_distances_on_anonymous_and_organisation_pages_do_not_depend_on_the_home(client, session):
    need = make_listing(session, kind=ListingKind.NEED, themes=("dagbesteding",))
    volunteer = make_volunteer(session, themes=("dagbesteding",), travel_radius_km=20.0)
    near = make_organisation(session, place="Heythuysen", themes=("dagbesteding",))
    session.commit()
    pages = (f"/initiatieven/{need.id}", f"/organisaties/{near.id}")
    before = {page: _distance_words(client.get(page).text) for page in pages}
    assert before[pages[0]] and before[pages[1]], "the pages show distances to compare"
    _home_in(need)
    _home_in(volunteer)
    session.commit()
    after = {page: _distance_words(client.get(page).text) for page in pages}
    assert after == before


def test_a_residents_matches_read_the_same_wherever_their_home_is_in_the_village(
    client, session, login
):
    owner = login(Role.RESIDENT)
    need = make_listing(session, owner=owner, kind=ListingKind.NEED)
    make_volunteer(session, display_name="Mieke", travel_radius_km=4.0)
    make_listing(session, kind=ListingKind.OFFER, place="Heythuysen", radius_km=6.0)
    make_organisation(session, place="Haelen", themes=("naoberzorg",))
    session.commit()

    def seen():
        items = client.get(f"{API}/listings/{need.id}/matches?limit=50").get_json()["items"]
        return sorted((item["kind"], item["name"], item["distance_km"]) for item in items)

    before = seen()
    assert len(before) == 3
    _home_in(need)
    session.commit()
    assert seen() == before


# --- the second line: few moves an hour, and no form with someone else's point ------------

POINT_FORM = {
    "kind": "offer",
    "title": "Ik maai uw gras",
    "themes": ["naoberzorg"],
    "location_query": "",
    "area_kind": "radius",
    "radius_km": "2",
    "schedule_kind": "ongoing",
}


def test_an_account_moves_its_points_only_a_few_times_an_hour(app, client, session, login):
    login(Role.RESIDENT)
    make_theme(session, "naoberzorg")
    session.commit()
    start = (51.2429, 5.9278)

    def save(url: str, step: int):
        point = {"lat": f"{start[0] + step * 0.001:.4f}", "lon": f"{start[1]:.4f}"}
        return client.post(url, data={**POINT_FORM, **point})

    created = save("/initiatieven/nieuw", 0)
    listing = session.scalar(select(Listing))
    edit = f"/initiatieven/{listing.id}/bewerken"
    moves_left = app.config["LOCATION_MOVES_PER_HOUR"] - 1
    answers = [created.status_code] + [save(edit, step).status_code for step in range(1, 7)]
    assert answers == [302] * (1 + moves_left) + [400] * (6 - moves_left)
    refused = save(edit, 7)
    assert "vaak verplaatst" in refused.text and "Ik maai uw gras" in refused.text
    assert save(edit, moves_left).status_code == 302, "saving without moving is no move"
    session.refresh(listing)
    assert listing.lat == pytest.approx(start[0] + moves_left * 0.001)


def test_an_admin_editing_a_residents_listing_never_sees_or_moves_the_home(client, session, login):
    listing = make_listing(session, kind=ListingKind.OFFER, title="Ik maai uw gras")
    home = _home_in(listing)
    session.commit()
    login(Role.ADMIN)
    page = client.get(f"/initiatieven/{listing.id}/bewerken").text
    assert f"{home[0]:.4f}"[:6] not in page and f"{home[1]:.4f}"[:5] not in page
    data = {**POINT_FORM, "location_query": listing.place_name, "title": "Ik maai uw gazon"}
    assert client.post(f"/initiatieven/{listing.id}/bewerken", data=data).status_code == 302
    session.refresh(listing)
    assert listing.title == "Ik maai uw gazon" and (listing.lat, listing.lon) == home
