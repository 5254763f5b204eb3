"""One rule for where something is: every way in files the same text or click under the same
place (the listing, volunteer, organisation and flessenpost forms, the list filter, the API,
the importer and the notice board)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.domain.catalogue.filters import ListingFilter
from portal.domain.community import noticeboard
from portal.domain.exchange import importing as importer
from portal.domain.places.gazetteer import default_gazetteer
from portal.models import Listing, Organisation, Role, VolunteerProfile, Wish
from portal.models.base import utcnow
from tests.factories import make_theme, make_user

ROGGEL = ("Roggel", "Leudal")
HATERT = ("Hatert", "Nijmegen")
#: What a user types or clicks, and where it must be filed. The points are real: the market
#: square of Roggel, and a street in Hatert (Nijmegen), 600 m from the district's point.
CASES = [
    ("6088", None, ROGGEL),
    ("Roggel", None, ROGGEL),
    ("roggel, leudal", None, ROGGEL),
    ("Hatert Nijmegen", None, HATERT),
    ("Hatert, Nijmegen", None, HATERT),
    ("", (51.26340, 5.92410), ROGGEL),
    ("", (51.80260, 5.82440), HATERT),
]
IDS = ["postcode", "village", "qualified", "district", "district-comma", "click", "click-city"]


@pytest.fixture
def themes(session):
    make_theme(session, "naoberzorg")
    session.commit()


def _typed_and_clicked(query: str, point: tuple[float, float] | None) -> dict[str, str]:
    lat, lon = point or ("", "")
    return {"location_query": query, "lat": str(lat), "lon": str(lon)}


def _filed(row) -> tuple[str, str]:
    return row.place_name, row.municipality


@pytest.mark.parametrize(("query", "point", "expected"), CASES, ids=IDS)
def test_listing_form(client, session, login, themes, query, point, expected):
    login()
    form = {
        "kind": "need",
        "title": "Boodschappen op dinsdag",
        "themes": ["naoberzorg"],
        "area_kind": "radius",
        "radius_km": "5",
        "schedule_kind": "weekly",
        "weekly_slots": ["tue-morning"],
        "action": "publish",
    }
    response = client.post("/initiatieven/nieuw", data=form | _typed_and_clicked(query, point))
    assert response.status_code == 302, response.text
    assert _filed(session.scalar(select(Listing))) == expected


@pytest.mark.parametrize(("query", "point", "expected"), CASES, ids=IDS)
def test_volunteer_form(client, session, login, themes, query, point, expected):
    login()
    form = {
        "display_name": "Jan",
        "themes": ["naoberzorg"],
        "travel_radius_km": "5",
        "max_open_matches": "3",
    }
    response = client.post("/mijn/vrijwilliger", data=form | _typed_and_clicked(query, point))
    assert response.status_code == 302, response.text
    assert _filed(session.scalar(select(VolunteerProfile))) == expected


@pytest.mark.parametrize(("query", "point", "expected"), CASES, ids=IDS)
def test_organisation_form(client, session, login, themes, query, point, expected):
    login(Role.ORGANISATION)
    form = {"name": "Dorpshuis", "kind": "kulturhus", "themes": ["naoberzorg"]}
    response = client.post("/organisaties/nieuw", data=form | _typed_and_clicked(query, point))
    assert response.status_code == 302, response.text
    assert _filed(session.scalar(select(Organisation))) == expected


@pytest.mark.parametrize(("query", "point", "expected"), CASES[:5], ids=IDS[:5])
def test_flessenpost_form(client, session, themes, query, point, expected):
    data = {"body": "Een koffieochtend in het dorpshuis", "location_query": query}
    assert client.post("/flessenpost", data=data).status_code == 302
    assert _filed(session.scalar(select(Wish))) == expected


@pytest.mark.parametrize(("query", "point", "expected"), CASES[:5], ids=IDS[:5])
def test_list_filter_and_its_page(client, session, query, point, expected):
    centre = ListingFilter.from_args(MultiDict({"near": query}), session).centre
    assert centre is not None and (centre.place_name, centre.municipality) == expected
    page = client.get("/initiatieven", query_string={"near": query}).text
    assert f"binnen 10 km van {expected[0]}" in page


@pytest.mark.parametrize(("query", "point", "expected"), CASES[:5], ids=IDS[:5])
def test_api_geocode(client, session, query, point, expected):
    best = client.get("/api/v1/geocode", query_string={"q": query}).get_json()["best"]
    assert (best["place"], best["municipality"]) == expected


@pytest.mark.parametrize(("query", "point", "expected"), CASES, ids=IDS)
def test_importer(session, query, point, expected):
    seed_officer = make_user(session, role=Role.OFFICER)
    lat, lon = point or ("", "")
    postcode, place = (query, "") if query.isdigit() else ("", query)
    csv = f'naam,soort,postcode,plaats,lat,lon\nDorpshuis,dorpshuis,{postcode},"{place}",{lat},{lon}\n'
    report = importer.run_import(
        session, importer.read_upload(csv.encode(), "o.csv"), seed_officer, utcnow()
    )
    assert report.errors == [], report.lines()
    assert _filed(session.scalar(select(Organisation))) == expected


@pytest.mark.parametrize(("query", "point", "expected"), CASES[:5], ids=IDS[:5])
def test_notice_board_of_the_place(session, query, point, expected):
    entry = default_gazetteer().lookup(query).best
    sheet = noticeboard.build_sheet(session, entry, lambda listing_id: f"/l/{listing_id}")
    assert (sheet.place_name, sheet.municipality) == expected
