"""The officer's dashboard: access, gaps, suppression and exports."""

from __future__ import annotations

import csv
import io
import json

import pytest

from portal.domain import insight
from portal.models import Role
from portal.models.listing import ListingKind
from tests.factories import make_listing, make_volunteer

URLS = ("/dashboard", "/dashboard/export.csv", "/dashboard/export.geojson")


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.RESIDENT, 403), (Role.ORGANISATION, 403), (Role.OFFICER, 200), (Role.ADMIN, 200)],
)
@pytest.mark.parametrize("url", URLS)
def test_only_officers_and_admins(client, login, role, status, url):
    login(role)
    assert client.get(url).status_code == status


@pytest.mark.parametrize("url", URLS)
def test_anonymous_is_sent_to_login(client, session, url):
    assert client.get(url).status_code in (302, 401)


def test_gap_list_on_hand_made_data(session):
    covered = make_listing(session, place="Roggel", themes=("naoberzorg",))
    make_volunteer(session, place="Roggel", themes=("naoberzorg",), travel_radius_km=5.0)
    lonely = make_listing(session, place="Olst", themes=("vervoer",))
    session.commit()
    gaps = insight.gaps(session)
    assert lonely in gaps
    assert covered not in gaps


def test_small_numbers_suppressed(session):
    for _ in range(2):
        make_listing(session, place="Roggel", themes=("naoberzorg",))
    rows = insight.village_theme_counts([*insight.gaps(session)])
    assert rows and all(row[2] == "<5" for row in rows)
    assert insight.suppress(7) == "7"
    assert insight.suppress(0) == "0"


def _exports(client, login, session):
    resident = make_listing(session, place="Roggel", title='=HYPERLINK("x") Één')
    make_listing(session, kind=ListingKind.OFFER, place="Olst")
    session.commit()
    login(Role.OFFICER)
    return resident, client.get(URLS[1]), client.get(URLS[2])


def test_csv_and_geojson_round_trip(client, login, session):
    _resident, csv_response, geo_response = _exports(client, login, session)
    raw = csv_response.data
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert any(row["title"].startswith("'=") and "Één" in row["title"] for row in rows)
    collection = json.loads(geo_response.data)
    assert collection["type"] == "FeatureCollection"
    assert sorted(f["properties"]["id"] for f in collection["features"]) == sorted(
        row["id"] for row in rows
    )
    for feature in collection["features"]:
        assert feature["geometry"]["type"] == "Point"
        assert len(feature["geometry"]["coordinates"]) == 2


def test_exports_hold_no_private_details(client, login, session):
    resident, csv_response, geo_response = _exports(client, login, session)
    owner = resident.owner
    for body in (csv_response.data.decode("utf-8-sig"), geo_response.data.decode()):
        assert owner.email not in body
        assert owner.display_name not in body
        if resident.lat is not None and resident.lat != resident.public_lat:
            assert f"{resident.lat}" not in body


def test_dashboard_shows_gaps_and_ladder(client, login, session):
    from portal.models.listing import Involvement

    make_listing(session, place="Olst", themes=("vervoer",), involvement=Involvement.CONSULTED)
    session.commit()
    login(Role.OFFICER)
    page = client.get("/dashboard").text
    assert "vervoer" in page
    assert "&lt;5" in page
    assert "consulted" in page
