"""The officer's dashboard: access, partners and their filters, gaps, figures and exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest

from portal.domain.officer import insight, partners
from portal.domain.officer.partners import DashboardFilter
from portal.models import Conversation, Match, Message, OrganisationKind, Role
from portal.models.base import utcnow
from portal.models.listing import Involvement, ListingKind
from tests.factories import make_listing, make_organisation, make_user, make_volunteer

URLS = (
    "/dashboard",
    "/dashboard/export.csv",
    "/dashboard/export.geojson",
    "/dashboard/monitor.csv",
)


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
    assert client.get(url).status_code == 302


# --- gaps --------------------------------------------------------------------------------------


def test_gap_list_on_hand_made_data(session):
    covered = make_listing(session, place="Roggel", themes=("naoberzorg",))
    make_volunteer(session, place="Roggel", themes=("naoberzorg",), travel_radius_km=5.0)
    lonely = make_listing(session, place="Olst", themes=("vervoer",))
    session.commit()
    gaps = insight.gaps(session)
    assert lonely in gaps
    assert covered not in gaps


def test_gaps_follow_the_selection_and_group_per_village(session):
    make_listing(session, place="Olst", themes=("vervoer",))
    make_listing(session, place="Olst", themes=("vervoer", "maaltijden"))
    make_listing(session, place="Roggel", themes=("vervoer",))
    session.commit()
    olst = insight.gap_places(insight.gaps(session, DashboardFilter(municipality="Olst-Wijhe")))
    assert [(place.place, place.per_theme) for place in olst] == [
        ("Olst", {"vervoer": 2, "maaltijden": 1})
    ]
    everywhere = insight.gap_places(insight.gaps(session), theme="vervoer")
    assert insight.gaps_per_theme(everywhere) == [("vervoer", 3)]


def test_gap_page_shows_the_needs_and_the_nearest_offer_out_of_reach(client, login, session):
    need = make_listing(session, place="Olst", themes=("vervoer",), title="Rit naar Deventer")
    far = make_listing(
        session, kind=ListingKind.OFFER, place="Deventer", themes=("vervoer",), radius_km=2.0,
        title="Buurtbus Deventer",
    )  # fmt: skip
    session.commit()
    assert need in insight.gaps(session)
    login(Role.OFFICER)
    page = client.get(f"/dashboard/gaten/{need.place_key}?theme=vervoer")
    assert page.status_code == 200
    assert "Rit naar Deventer" in page.text
    assert "Buurtbus Deventer" in page.text and far.place_name in page.text
    assert client.get(f"/dashboard/gaten/{need.place_key}?theme=bestaat-niet").status_code == 404
    assert client.get("/dashboard/gaten/geen-plaats?theme=vervoer").status_code == 404


# --- partners ------------------------------------------------------------------------------------


def _names(session, **selection) -> set[str]:
    page = partners.partner_page(session, DashboardFilter(**selection))
    assert page.total == len(page.partners)
    return {partner.name for partner in page.partners}


def test_partner_filters(session):
    make_organisation(session, place="Olst", name="Kulturhus Olst", verified=True)
    make_organisation(
        session, kind=OrganisationKind.VILLAGE_COUNCIL, place="Roggel", themes=("vervoer",),
        name="Dorpsraad Roggel",
    )  # fmt: skip
    make_listing(
        session, kind=ListingKind.OFFER, place="Roggel", themes=("vervoer",),
        title="Rijdende buren", involvement=Involvement.CO_DECIDING,
    )  # fmt: skip
    make_listing(session, place="Roggel", themes=("vervoer",), title="Een hulpvraag")
    session.commit()
    assert _names(session) == {"Kulturhus Olst", "Dorpsraad Roggel", "Rijdende buren"}
    assert _names(session, theme="vervoer") == {"Dorpsraad Roggel", "Rijdende buren"}
    assert _names(session, municipality="Leudal") == {"Dorpsraad Roggel", "Rijdende buren"}
    assert _names(session, kind="village_council") == {"Dorpsraad Roggel"}
    assert _names(session, kind="resident") == {"Rijdende buren"}
    assert _names(session, verified="ja") == {"Kulturhus Olst"}
    assert _names(session, verified="nee") == {"Dorpsraad Roggel", "Rijdende buren"}
    assert _names(session, involvement="co_deciding") == {"Rijdende buren"}


def test_unknown_filter_values_are_ignored():
    selection = DashboardFilter.from_args({"kind": "spion", "verified": "misschien", "theme": "x"})
    assert selection == DashboardFilter(theme="x")


def test_partner_table_shows_public_contacts_and_never_residents(client, login, session):
    make_organisation(
        session, place="Olst", name="Kulturhus Olst", contact_phone="0570 123456",
        contact_email="info@kulturhus.example",
    )  # fmt: skip
    resident_offer = make_listing(
        session, kind=ListingKind.OFFER, place="Roggel", title="Boodschappen samen"
    )
    session.commit()
    login(Role.OFFICER)
    page = client.get("/dashboard?municipality=Olst-Wijhe").text
    assert "0570 123456" in page and "info@kulturhus.example" in page
    assert "Boodschappen samen" not in page
    everything = client.get("/dashboard").text
    assert "Boodschappen samen" in everything
    assert resident_offer.owner.email not in everything
    assert resident_offer.owner.display_name not in everything


# --- figures -------------------------------------------------------------------------------------


def _conversation(session, listing, reply_after_hours: float) -> None:
    started = utcnow() - timedelta(days=3)
    initiator, recipient = make_user(session), listing.owner
    conversation = Conversation(
        listing=listing, initiator=initiator, recipient=recipient, created_at=started
    )
    conversation.messages = [
        Message(sender=initiator, body="Kan ik helpen?", created_at=started),
        Message(
            sender=recipient, body="Graag!", created_at=started + timedelta(hours=reply_after_hours)
        ),
    ]
    session.add(conversation)


def test_village_figures_reply_time_matches_and_volunteers(session):
    need = make_listing(session, place="Roggel", themes=("vervoer",))
    for hours in (1, 2, 3, 4, 30):
        _conversation(session, need, hours)
    session.add(Match(listing=need, score=1.0, distance_km=1.0, explanation="", helped=True))
    make_volunteer(session, place="Roggel", themes=("vervoer",))
    session.commit()
    figures = insight.village_figures(session, DashboardFilter())
    row = figures[("Leudal", "Roggel", "vervoer")]
    assert (row.needs, row.matches_made, row.volunteers) == (1, 1, 1)
    assert row.median_reply == "3"


def test_reply_time_needs_five_conversations(session):
    need = make_listing(session, place="Roggel", themes=("vervoer",))
    for hours in (1, 2):
        _conversation(session, need, hours)
    session.commit()
    row = insight.village_figures(session, DashboardFilter())[("Leudal", "Roggel", "vervoer")]
    assert row.median_reply == ""


def test_small_numbers_suppressed(client, login, session):
    make_listing(session, place="Roggel", themes=("vervoer",))
    make_volunteer(session, place="Roggel", themes=("vervoer",))
    session.commit()
    assert (insight.suppress(0), insight.suppress(3), insight.suppress(7)) == ("0", "<5", "7")
    login(Role.OFFICER)
    monitor = list(csv.DictReader(io.StringIO(client.get(URLS[3]).data.decode("utf-8-sig"))))
    assert monitor == [
        {
            "municipality": "Leudal",
            "place": "Roggel",
            "theme": "vervoer",
            "open_needs": "<5",
            "offers": "0",
            "matches_made": "0",
            "active_volunteers": "<5",
            "median_hours_to_first_reply": "",
        }
    ]


def test_dashboard_shows_every_section_with_labels(client, login, session):
    make_listing(
        session, kind=ListingKind.OFFER, place="Olst", themes=("vervoer",),
        involvement=Involvement.CONSULTED,
    )  # fmt: skip
    make_listing(session, place="Roggel", themes=("maaltijden",))
    session.commit()
    login(Role.OFFICER)
    page = client.get("/dashboard").text
    for heading in ("Partners", "Gaten", "Vraag en aanbod", "Cijfers per dorp", "Flessenpost"):
        assert heading in page
    assert "Wordt geraadpleegd / denkt mee" in page  # the ladder's label, not its slug
    assert "&lt;5" in page
    assert "/dashboard/open-data" in page


# --- exports -----------------------------------------------------------------------------------


def _exports(client, login, session):
    resident = make_listing(
        session, kind=ListingKind.OFFER, place="Roggel", title='=HYPERLINK("x") Één'
    )
    make_organisation(session, place="Olst", contact_email="info@kulturhus.example")
    make_listing(session, place="Olst", title="Een hulpvraag, geen partner")
    session.commit()
    login(Role.OFFICER)
    return resident, client.get(URLS[1]), client.get(URLS[2])


def test_csv_and_geojson_round_trip(client, login, session):
    _resident, csv_response, geo_response = _exports(client, login, session)
    raw = csv_response.data
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    expected = [partner.name for partner in partners.all_partners(session, DashboardFilter())]
    assert len(rows) == 2
    assert [row["name"].removeprefix("'") for row in rows] == expected
    assert any(row["name"].startswith("'=") and "Één" in row["name"] for row in rows)
    collection = json.loads(geo_response.data)
    assert collection["type"] == "FeatureCollection"
    assert [f["properties"]["id"] for f in collection["features"]] == [row["id"] for row in rows]
    for feature, row in zip(collection["features"], rows, strict=True):
        assert feature["geometry"]["coordinates"] == [float(row["lon"]), float(row["lat"])]


def test_exports_follow_the_filters(client, login, session):
    _exports(client, login, session)
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(URLS[1] + "?kind=kulturhus").data.decode("utf-8-sig"))
        )
    )
    assert [row["email"] for row in rows] == ["info@kulturhus.example"]


def test_exports_hold_no_private_details(client, login, session):
    resident, csv_response, geo_response = _exports(client, login, session)
    owner = resident.owner
    bodies = (
        csv_response.data.decode("utf-8-sig"),
        geo_response.data.decode(),
        client.get(URLS[3]).data.decode("utf-8-sig"),
    )
    for body in bodies:
        assert owner.email not in body
        assert owner.display_name not in body
        assert f"{resident.lat}" not in body and f"{resident.lon}" not in body
