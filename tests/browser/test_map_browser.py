"""The map in real headless Chromium: markers, popups, layers, filters, escaping, privacy."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from playwright.sync_api import Page, expect

from portal.models import ListingKind, ListingStatus
from tests.factories import make_listing, make_organisation

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"
MARKERS = ".leaflet-marker-pane [data-count]"


def seed(session):
    """Three offers in Roggel (one with a hostile title), two needs in Olst, one organisation."""
    offers = [
        make_listing(session, kind=ListingKind.OFFER, place="Roggel", title=title)
        for title in (XSS, "Boodschappen doen", "Klussen in huis")
    ]
    needs = [make_listing(session, kind=ListingKind.NEED, place="Olst") for _ in range(2)]
    make_listing(session, kind=ListingKind.OFFER, place="Roggel", status=ListingStatus.DRAFT)
    make_listing(session, kind=ListingKind.NEED, place="Hatert", status=ListingStatus.CLOSED)
    organisation = make_organisation(session, place="Olst")
    session.commit()
    return offers, needs, organisation


def shown_total(page: Page) -> int:
    """The sum of the counts on every marker and cluster on the map."""
    return page.eval_on_selector_all(
        MARKERS, "nodes => nodes.reduce((sum, node) => sum + Number(node.dataset.count), 0)"
    )


def wait_for_total(page: Page, total: int) -> None:
    page.wait_for_function(
        """([selector, total]) => Array.from(document.querySelectorAll(selector))
             .reduce((sum, node) => sum + Number(node.dataset.count), 0) === total""",
        arg=[MARKERS, total],
    )


def assert_clean(watch) -> None:
    """Nothing left the app, nothing broke, nothing popped up."""
    assert watch.foreign_requests() == []
    assert watch.console_errors == []
    assert watch.page_errors == []
    assert watch.dialogs == []


def open_village(page: Page, name: str):
    marker = page.locator(".leaflet-marker-icon.nk-marker", has_text=name)
    marker.click()
    popup = page.locator(".leaflet-popup .nk-popup")
    expect(popup.locator(".nk-popup__item").first).to_be_visible()
    return popup


def test_map_markers_add_up_to_the_published_items(page, watch, session):
    seed(session)
    page.goto("/kaart")
    wait_for_total(page, 6)
    assert shown_total(page) == 6
    expect(page.locator("#nk-map-summary")).to_have_text("6 initiatieven op de kaart")
    expect(page.get_by_role("button", name="3 initiatieven in Roggel")).to_be_visible()
    assert_clean(watch)


def test_map_popup_lists_items_and_links_to_them(page, watch, session):
    offers, _, organisation = seed(session)
    page.goto("/kaart")
    wait_for_total(page, 6)
    popup = open_village(page, "in Roggel")
    expect(popup.locator(".nk-popup__title")).to_have_text("3 initiatieven in Roggel")
    expect(popup.locator(".nk-popup__item")).to_have_count(3)
    link = popup.get_by_role("link", name="Boodschappen doen")
    expect(link).to_have_attribute("href", f"/initiatieven/{offers[1].id}")
    expect(popup.locator(".nk-popup__item", has_text="Boodschappen doen")).to_contain_text("Aanbod")
    expect(popup.locator(".nk-popup__item", has_text="Boodschappen doen")).to_contain_text(
        "Naoberzorg"
    )
    page.reload()
    wait_for_total(page, 6)
    popup = open_village(page, "in Olst")
    expect(popup.get_by_role("link", name=organisation.name)).to_have_attribute(
        "href", f"/organisaties/{organisation.id}"
    )
    with page.expect_navigation():
        popup.get_by_role("link", name=organisation.name).click()
    assert page.url.endswith(f"/organisaties/{organisation.id}")
    assert watch.foreign_requests() == [] and watch.dialogs == []


def test_map_hostile_title_stays_text(page, watch, session):
    seed(session)
    page.goto("/kaart")
    wait_for_total(page, 6)
    popup = open_village(page, "in Roggel")
    expect(popup.get_by_role("link", name=XSS)).to_have_text(XSS)
    assert popup.locator("img").count() == 0
    page.wait_for_timeout(300)
    assert not any(url.endswith("/x") for url in watch.requests)
    assert_clean(watch)


def test_map_switching_a_layer_changes_the_markers(page, watch, session):
    seed(session)
    page.goto("/kaart")
    wait_for_total(page, 6)
    page.get_by_role("checkbox", name="Vraag (2)").uncheck()
    wait_for_total(page, 4)
    expect(page.locator("#nk-map-summary")).to_have_text("4 initiatieven op de kaart")
    popup = open_village(page, "in Olst")
    expect(popup.locator(".nk-popup__title")).to_have_text("1 initiatief in Olst")
    expect(popup.locator(".nk-popup__item")).to_have_count(1)
    page.keyboard.press("Escape")
    page.get_by_role("checkbox", name="Vraag (2)").check()
    wait_for_total(page, 6)
    assert_clean(watch)


def test_map_filter_form_changes_the_markers(page, watch, session):
    seed(session)
    page.goto("/kaart")
    wait_for_total(page, 6)
    page.get_by_role("checkbox", name="Aanbod", exact=True).check()
    page.get_by_role("button", name="Toon op de kaart").click()
    page.wait_for_url(re.compile(r"/kaart\?.*kind=offer"))
    wait_for_total(page, 3)
    expect(page.get_by_role("checkbox", name="Aanbod (3)")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Vraag (2)")).to_have_count(0)
    assert_clean(watch)


def test_map_near_a_place_draws_the_radius(page, watch, session):
    seed(session)
    page.goto("/kaart?near=Olst&radius_km=5")
    wait_for_total(page, 3)
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(1)
    assert_clean(watch)


def test_map_markers_work_by_keyboard(page, watch, session):
    seed(session)
    page.goto("/kaart")
    wait_for_total(page, 6)
    marker = page.get_by_role("button", name="3 initiatieven in Roggel")
    marker.focus()
    page.keyboard.press("Enter")
    heading = page.locator(".nk-popup__title")
    expect(heading).to_be_focused()
    expect(page.locator(".nk-popup__item")).to_have_count(3)
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(marker).to_be_focused()
    assert_clean(watch)


def test_map_clusters_count_what_they_hold(page, watch, session):
    seed(session)
    make_listing(session, kind=ListingKind.OFFER, place="Wijhe")
    session.commit()
    page.goto("/kaart")
    wait_for_total(page, 7)
    page.get_by_role("button", name="Uitzoomen").click()
    cluster = page.locator(".nk-marker--cluster").first
    expect(cluster).to_be_visible()
    expect(cluster).to_have_attribute("role", "button")
    expect(cluster).to_contain_text("plaatsen")
    wait_for_total(page, 7)
    assert_clean(watch)


def test_embed_shows_the_map_without_portal_chrome(page, watch, session):
    seed(session)
    page.goto("/kaart/embed?kind=need")
    wait_for_total(page, 2)
    expect(page.locator(".site-header")).to_have_count(0)
    popup = open_village(page, "in Olst")
    expect(popup.locator(".nk-popup__link").first).to_have_attribute("target", "_blank")
    assert_clean(watch)


SMALL_MAP_PAGE = """<!doctype html>
<html lang="nl"><head><title>Kleine kaart</title>
<link rel="stylesheet" href="/static/css/portal.css">
{{ small_map_assets() }}</head>
<body><form>{{ small_map(editable=True) }}</form>
<div>{{ small_map(51.2429, 5.9278, label="Roggel", id="punt") }}</div></body></html>"""


def test_small_map_click_places_the_point(app, page, watch, live_server):
    template = '{% from "map/_small_map.html" import small_map, small_map_assets %}'
    with app.test_request_context("/"):
        html = render_template_string(template + SMALL_MAP_PAGE)
    page.route(
        f"{live_server}/kleine-kaart-test",
        lambda route: route.fulfill(body=html, content_type="text/html"),
    )
    page.goto("/kleine-kaart-test")
    expect(page.locator("#punt .leaflet-marker-icon")).to_have_attribute("alt", "Roggel")
    field = page.locator("#kleine-kaart")
    box = field.bounding_box()
    field.click(position={"x": box["width"] / 2 + 40, "y": box["height"] / 2 - 30})
    lat = page.locator("#kleine-kaart-lat").input_value()
    lon = page.locator("#kleine-kaart-lon").input_value()
    assert 50 < float(lat) < 54 and 3 < float(lon) < 8
    expect(page.locator("#kleine-kaart-status")).to_have_text(f"Gekozen plek: {lat}, {lon}")
    expect(page.locator("#kleine-kaart .leaflet-marker-icon")).to_have_count(1)
    field.focus()
    page.keyboard.press("Enter")
    assert page.locator("#kleine-kaart-lat").input_value() != lat
    assert_clean(watch)
