"""A keyboard-only journey in headless Chromium: register, post a listing, find it in the list and on the map, log out.

No mouse: fields are focused with Tab or `locator.focus()`, then typed into; radios, checkboxes and
buttons are operated with Space and Enter.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import make_theme, newest_mail

pytestmark = pytest.mark.browser

TITLE = "Samen wandelen op zondag"


def type_into(page: Page, selector: str, text: str) -> None:
    page.locator(selector).focus()
    page.keyboard.type(text)


def press_on(page: Page, selector: str, key: str) -> None:
    page.locator(selector).focus()
    page.keyboard.press(key)


def test_keyboard_only_journey(app, page, watch, session):
    make_theme(session, "naoberzorg")
    session.commit()

    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Direct naar de inhoud")

    # Register.
    page.goto("/registreren")
    press_on(page, "#account_type-0", "Space")
    type_into(page, "#display_name", "Toetsenbord Tineke")
    type_into(page, "#email", "tineke@example.org")
    type_into(page, "#password", "een lange zin om te onthouden")
    press_on(page, "#consent", "Space")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("Kijk in uw e-mail")

    # Follow the link in the confirmation mail.
    body = newest_mail(app.config["MAIL_OUTBOX_DIR"]).get_content()
    page.goto(re.search(r"http://[^/\s]+(/registreren/bevestigen/\S+)", body).group(1))
    press_on(page, "main form[method=post] [type=submit]", "Enter")
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("Welkom bij Naoberkaart")

    # Create a listing.
    page.goto("/initiatieven/nieuw")
    press_on(page, "#kind-0", "Space")
    type_into(page, "#title", TITLE)
    type_into(page, "#description", "Elke zondag een rondje door het dorp.")
    press_on(page, "#themes-0", "Space")
    type_into(page, "#location_query", "Roggel")
    press_on(page, "form.listing-form button[value=publish]", "Enter")
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("Uw vraag of aanbod staat nu op de kaart.")

    # Find it in the list.
    page.goto("/initiatieven")
    link = page.get_by_role("link", name=TITLE)
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # Find it on the map: the marker is a button; Enter opens its popup.
    page.goto("/kaart")
    marker = page.get_by_role("button", name="1 initiatief in Roggel")
    marker.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup .nk-popup")).to_contain_text(TITLE)

    # Log out.
    page.get_by_role("button", name="Uitloggen").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("U bent uitgelogd.")
    expect(page.locator(".site-account")).to_contain_text("Inloggen")
    assert watch.foreign_requests() == []
    assert watch.page_errors == []
