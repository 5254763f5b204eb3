"""axe-core WCAG 2.1 AA checks in headless Chromium: no serious or critical violations."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from portal.domain.places.gazetteer import default_gazetteer
from portal.models import ListingKind
from tests.factories import DEFAULT_PASSWORD, make_listing, make_organisation, make_user

pytestmark = pytest.mark.browser

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
BLOCKING = {"serious", "critical"}


def serious_violations(page: Page) -> list[str]:
    """Run axe on the current page: a readable list of its serious or critical violations."""
    results = Axe().run(page, options=AXE_OPTIONS)
    found = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]
    return [f"{page.url}: {line}" for line in found]


def log_in(page: Page, email: str) -> None:
    page.goto("/inloggen")
    page.fill("#email", email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    page.wait_for_load_state()


@pytest.fixture
def seeded(session):
    owner = make_user(session)
    listing = make_listing(session, owner=owner, kind=ListingKind.OFFER, title="Boodschappen doen")
    make_listing(session, kind=ListingKind.NEED, place="Olst")
    organisation = make_organisation(session, place="Olst")
    session.commit()
    return {"owner": owner, "listing": listing, "organisation": organisation}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/kaart",
        "/initiatieven",
        "/inloggen",
        "/registreren",
        "/flessenpost",
        f"/prikbord/{default_gazetteer().lookup('Roggel').best.key}",  # Roggel's notice board
    ],
)
def test_public_pages_are_accessible(page, seeded, path):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    assert serious_violations(page) == []


def test_listing_detail_is_accessible(page, seeded):
    page.goto(f"/initiatieven/{seeded['listing'].id}")
    assert serious_violations(page) == []


def test_organisation_page_is_accessible(page, seeded):
    page.goto(f"/organisaties/{seeded['organisation'].id}")
    assert serious_violations(page) == []


def test_registration_with_errors_is_accessible(page, seeded):
    page.goto("/registreren")
    page.locator("main form[method=post] [type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary, [role=alert]").count() > 0
    assert serious_violations(page) == []


def test_login_with_errors_is_accessible(page, seeded):
    page.goto("/inloggen")
    page.locator("main form[method=post] [type=submit]").last.click()
    page.wait_for_load_state()
    assert serious_violations(page) == []


def test_listing_form_with_errors_is_accessible(page, seeded):
    log_in(page, seeded["owner"].email)
    page.goto("/initiatieven/nieuw")
    page.wait_for_load_state("networkidle")
    page.locator("form.listing-form [type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".error-summary, [role=alert]").count() > 0
    assert serious_violations(page) == []


def test_my_page_is_accessible(page, seeded):
    log_in(page, seeded["owner"].email)
    page.goto("/mijn")
    assert serious_violations(page) == []


def test_dashboard_is_accessible(page, app, seeded):
    if "/dashboard" not in {rule.rule for rule in app.url_map.iter_rules()}:
        pytest.skip("there is no /dashboard endpoint yet")
    log_in(page, seeded["owner"].email)
    page.goto("/dashboard")
    assert serious_violations(page) == []


def test_moderation_queue_is_accessible(page, session, seeded):
    """The officer's queue with something in every section, and with a decision's error."""
    from dataclasses import replace
    from datetime import timedelta

    from portal.domain.catalogue import listings
    from portal.domain.officer import moderation
    from portal.models import Role, Wish
    from portal.models.base import utcnow

    listing, officer = seeded["listing"], make_user(session, Role.OFFICER)
    listing.confirmed_at = utcnow() - timedelta(days=400)
    moderation.report_listing(session, listing, "Klopt niet", None)
    changed = replace(listings.input_of(listing), title="Boodschappen op vrijdag")
    moderation.submit_revision(session, listing, seeded["owner"], changed, utcnow())
    session.add(Wish(body="Een bankje", place_key="x", place_name="Roggel", municipality="Leudal"))
    session.commit()
    log_in(page, officer.email)
    page.goto("/dashboard/aandacht")
    assert serious_violations(page) == []
    page.locator("#meldingen ~ ul button[value=hide]").first.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert serious_violations(page) == []
