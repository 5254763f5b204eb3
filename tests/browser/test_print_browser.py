"""On paper: the prikbord and a listing page as Chromium prints them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from portal.domain.community import noticeboard
from portal.domain.places.gazetteer import default_gazetteer
from portal.models import ListingKind, OrganisationKind
from portal.ops.seed import seed_demo
from tests.factories import make_listing, make_organisation

pytestmark = pytest.mark.browser

ROGGEL = default_gazetteer().lookup("Roggel").best.key
LONG_TEXT = (
    "Wij zoeken iemand die een paar uur per week wil helpen. Het gaat om gewone dingen in en om "
    "het huis, samen koffie drinken en een praatje maken. Ervaring is niet nodig."
)
A4_POINTS = (595, 842)


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def pdf_page_sizes(pdf: bytes) -> set[tuple[int, int]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return {(round(float(width)), round(float(height))) for width, height in boxes}


@pytest.fixture
def demo(session):
    seed_demo(session)
    session.commit()


@pytest.fixture
def full_village(session):
    """Roggel with more than fits: every card full, and the most contacts the sheet shows."""
    for number in range(noticeboard.MAX_PER_SIDE + 2):
        make_listing(
            session,
            kind=ListingKind.OFFER,
            title=f"Aanbod {number} met een titel die best wat langer is dan normaal",
            description=LONG_TEXT,
        )
        make_listing(
            session,
            kind=ListingKind.NEED,
            title=f"Vraag {number}: wie helpt er met de tuin en de boodschappen",
            description=LONG_TEXT,
        )
    for number in range(noticeboard.MAX_CONTACTS + 1):
        make_organisation(
            session,
            kind=OrganisationKind.VILLAGE_COUNCIL,
            place="Roggel",
            name=f"Dorpsraad Roggel {number}",
            contact_phone="0475-123456",
            contact_email=f"info{number}@dorpsraad-roggel.example.org",
            address="Markt 1, 6088 AA Roggel",
            website="https://dorpsraad-roggel.example.org",
        )
    session.commit()


def test_prikbord_prints_cards_without_menus(page: Page, demo, watch):
    page.goto(f"/prikbord/{ROGGEL}")
    assert page.locator("[data-print]").is_visible()  # the print button, on screen
    page.emulate_media(media="print")
    for chrome in (".site-header", ".site-nav", ".site-footer", "[data-print]", ".skip-link"):
        assert not page.locator(chrome).first.is_visible(), chrome
    cards = page.locator(".prikbord-card")
    assert cards.count() >= 3
    for index in range(cards.count()):
        card = cards.nth(index)
        assert card.is_visible()
        assert card.evaluate("el => getComputedStyle(el).breakInside") == "avoid"
    assert page.locator(".prikbord-card svg.qr").first.is_visible()
    assert watch.foreign_requests() == []
    assert watch.page_errors == []


def test_prikbord_of_the_demo_village_is_at_most_two_a4_pages(page: Page, demo):
    page.goto(f"/prikbord/{ROGGEL}")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert 1 <= pdf_pages(pdf) <= 2
    assert pdf_page_sizes(pdf) == {A4_POINTS}


def test_a_full_prikbord_still_fits_on_two_a4_pages(page: Page, full_village):
    page.goto(f"/prikbord/{ROGGEL}")
    assert page.locator(".prikbord-card").count() == (
        2 * noticeboard.MAX_PER_SIDE + noticeboard.MAX_CONTACTS
    )
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf_pages(pdf) <= 2


def test_listing_prints_without_menus_or_map_and_with_a_qr_code(app, page: Page, demo):
    page.goto(f"/initiatieven?near={ROGGEL.removeprefix('pp:')}")
    page.locator(".results a[href^='/initiatieven/']").first.click()
    page.wait_for_load_state()
    assert page.locator(".print-qr").is_hidden()  # paper only
    page.emulate_media(media="print")
    assert page.locator("h1").is_visible()
    for hidden in (".site-header", ".site-footer", ".nk-small-map", "main form", ".matches"):
        assert page.locator(hidden).count() == 0 or not page.locator(hidden).first.is_visible()
    assert page.locator(".print-qr svg.qr").is_visible()
    own_link = page.locator(".print-qr a")
    public = app.config["PUBLIC_BASE_URL"].rstrip(
        "/"
    )  # printed links never name the request's host
    assert own_link.get_attribute("href") == public + urlsplit(page.url).path
    after = own_link.evaluate("el => getComputedStyle(el, '::after').content")
    assert after in ("none", "normal")  # the URL is already the link text: not twice
