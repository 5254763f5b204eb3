"""The officer's journey in headless Chromium: log in, filter the partners, open a gap, export."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from portal.models import OrganisationKind, Role
from portal.models.listing import ListingKind
from tests.factories import DEFAULT_PASSWORD, make_listing, make_organisation, make_user

pytestmark = pytest.mark.browser


def _leudal_and_olst(session):
    """In Leudal a village council's bus reaches only Haelen, so the need in Roggel is a gap."""
    council = make_organisation(
        session, kind=OrganisationKind.VILLAGE_COUNCIL, place="Haelen", themes=("maaltijden",),
        name="Dorpsraad Haelen", contact_phone="0475 123456",
    )  # fmt: skip
    make_listing(
        session, kind=ListingKind.OFFER, place="Haelen", themes=("vervoer",), radius_km=0.5,
        organisation_id=council.id, title="Buurtbus Haelen",
    )  # fmt: skip
    make_organisation(session, place="Olst", themes=("vervoer",), name="Kulturhus Olst")
    make_organisation(session, place="Roggel", themes=("maaltijden",), name="Eetpunt Roggel")
    make_listing(
        session, kind=ListingKind.NEED, place="Roggel", themes=("vervoer",),
        title="Vervoer naar de dagbesteding",
    )  # fmt: skip
    officer = make_user(session, Role.OFFICER)
    session.commit()
    return officer


def test_officer_journey(page, watch, session):
    officer = _leudal_and_olst(session)

    page.goto("/dashboard")  # sent to the login page first
    page.fill("#email", officer.email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url("**/dashboard")

    page.select_option("#dash-theme", "vervoer")
    page.select_option("#dash-municipality", "Leudal")
    page.get_by_role("button", name="Filters toepassen").click()
    page.wait_for_load_state()
    partners = page.locator("#partners table tbody")
    expect(partners).to_contain_text("Buurtbus Haelen")
    expect(partners).to_contain_text("0475 123456")  # the council's public number
    expect(partners).not_to_contain_text("Kulturhus Olst")
    expect(partners).not_to_contain_text("Eetpunt Roggel")
    expect(partners).not_to_contain_text("Dorpsraad Haelen")
    expect(page.locator(".nk-dash-marker--partner")).to_have_count(1)
    expect(page.locator(".nk-dash-marker--gap")).to_have_count(1)

    # The gap on the map opens a popup that leads to the gap page.
    page.locator(".nk-dash-marker--gap").click()
    gap_link = page.locator(".leaflet-popup a", has_text="Vervoer")
    expect(gap_link).to_be_visible()
    gap_link.click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text("Roggel")
    expect(page.locator("main")).to_contain_text("Vervoer naar de dagbesteding")
    expect(page.locator("main")).to_contain_text("Buurtbus Haelen")  # nearest, out of reach
    page.go_back()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download als CSV (Excel)").click()
    body = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["name"] for row in rows] == ["Buurtbus Haelen"]

    assert watch.foreign_requests() == []
    assert watch.console_errors == [] and watch.page_errors == []
