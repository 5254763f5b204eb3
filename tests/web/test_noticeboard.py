"""The prikbord: a printable sheet per village with offers, needs, QR codes and who to call."""

from __future__ import annotations

import re

import pytest
import qrcode
import qrcode.constants

from portal.domain.community import noticeboard
from portal.domain.places.gazetteer import default_gazetteer
from portal.models import ListingKind, ListingStatus, OrganisationKind, Role
from tests.factories import make_listing, make_organisation, make_user

ROGGEL = default_gazetteer().lookup("Roggel").best.key


@pytest.fixture
def village(session):
    """Roggel with a resident's offer, an organisation's need, a hidden and a draft listing."""
    resident = make_user(
        session,
        display_name="Truus Geheimnaam",
        email="truus.geheim@example.org",
        phone="06-12345678",
    )
    council = make_organisation(
        session,
        kind=OrganisationKind.VILLAGE_COUNCIL,
        place="Roggel",
        name="Dorpsraad Roggel",
        contact_phone="0475-123456",
        contact_email="dorpsraad@roggel.example.org",
        address="Markt 1, Roggel",
    )
    organiser = make_user(session, Role.ORGANISATION, display_name="Harrie Verborgen")
    offer = make_listing(
        session,
        owner=resident,
        kind=ListingKind.OFFER,
        title="Boodschappen voor de buren",
        description="Ik doe op dinsdag boodschappen bij de Jumbo en neem graag iets mee.",
    )
    need = make_listing(
        session,
        owner=organiser,
        kind=ListingKind.NEED,
        title="Chauffeurs voor de belbus",
        organisation_id=council.id,
    )
    hidden = make_listing(session, kind=ListingKind.OFFER, title="Verborgen aanbod")
    hidden.hidden = True
    draft = make_listing(
        session, kind=ListingKind.NEED, title="Conceptvraag", status=ListingStatus.DRAFT
    )
    far = make_listing(session, kind=ListingKind.OFFER, place="Olst", title="Ver weg in Olst")
    session.commit()
    return {
        "resident": resident,
        "organiser": organiser,
        "offer": offer,
        "need": need,
        "hidden": hidden,
        "draft": draft,
        "far": far,
    }


def sheet_html(client) -> str:
    response = client.get(f"/prikbord/{ROGGEL}")
    assert response.status_code == 200
    return response.text


def test_sheet_lists_the_villages_offers_and_needs(client, village):
    html = sheet_html(client)
    assert "Prikbord van Roggel" in html
    assert re.search(r"Gemeente Leudal · \d{1,2} [a-z]+ \d{4}<", html)  # "23 november 2026"
    offered, asked = html.split('id="gevraagd"')
    assert "Boodschappen voor de buren" in offered
    assert "Ik doe op dinsdag boodschappen" in offered
    assert "Chauffeurs voor de belbus" in asked
    assert "Ver weg in Olst" not in html


def public(client) -> str:
    """The address that printed links start with (never the Host of the request)."""
    return client.application.config["PUBLIC_BASE_URL"].rstrip("/")


def test_each_card_has_a_qr_code_of_its_absolute_url(client, village):
    html = sheet_html(client)
    for listing in (village["offer"], village["need"]):
        url = f"{public(client)}/initiatieven/{listing.id}"
        assert f'href="{url}"' in html
        assert str(noticeboard.qr_svg.__wrapped__(url)) in html  # freshly made, not cached
        code = re.search(
            rf'<svg[^>]*>(?:(?!</svg>).)*</svg>(?=\s*<a class="prikbord-url" href="{url}")',
            html,
            re.S,
        )
        assert svg_modules(code.group(0)) == qr_modules(url)
    assert html.count('class="qr"') == 3  # two cards and the link to the whole list


def svg_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules an SVG draws (rectangles over runs of modules, after the quiet zone)."""
    border = noticeboard.QR_BORDER
    return {
        (x - border, int(y) - border)
        for start, y, end in re.findall(r"M(\d+),(\d+)H(\d+)", svg)
        for x in range(int(start), int(end))
    }


def qr_modules(url: str) -> set[tuple[int, int]]:
    """The dark modules of the QR code for a URL, straight from the encoder."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=0,
        mask_pattern=noticeboard.QR_MASK,
    )
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    return {(x, y) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}


def test_qr_svg_draws_exactly_the_code_of_the_url(app):
    url = "https://example.org/initiatieven/12345"
    svg = str(noticeboard.qr_svg(url))
    assert svg_modules(svg) == qr_modules(url)
    assert svg_modules(svg) != qr_modules("https://example.org/initiatieven/12346")


def test_qr_svg_is_built_from_the_url_only(app):
    make = noticeboard.qr_svg.__wrapped__  # uncached
    svg = str(make("https://example.org/initiatieven/1"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg == str(make("https://example.org/initiatieven/1"))
    assert svg != str(make("https://example.org/initiatieven/2"))
    assert "example.org" not in svg  # the URL is encoded as modules, not as text
    assert " id=" not in svg  # several codes share one page


def test_no_residents_name_email_or_phone_on_the_sheet(client, village):
    html = sheet_html(client)
    for secret in (
        "Truus Geheimnaam",
        "Geheimnaam",
        "truus.geheim@example.org",
        "06-12345678",
        "Harrie Verborgen",
        village["organiser"].email,
    ):
        assert secret not in html


def test_hidden_and_draft_listings_stay_off(client, village):
    html = sheet_html(client)
    assert "Verborgen aanbod" not in html
    assert "Conceptvraag" not in html
    assert f'/initiatieven/{village["hidden"].id}"' not in html
    assert f'/initiatieven/{village["draft"].id}"' not in html


def test_who_to_call_shows_organisations_public_contact_details(client, village):
    html = sheet_html(client)
    contacts = html.split('id="bellen"')[1]
    assert "Dorpsraad Roggel" in contacts
    assert "0475-123456" in contacts
    assert "dorpsraad@roggel.example.org" in contacts
    assert "Markt 1, Roggel" in contacts


def test_sheet_keeps_to_two_pages_and_says_how_much_more_there_is(client, session):
    for number in range(noticeboard.MAX_PER_SIDE + 3):
        make_listing(session, kind=ListingKind.OFFER, title=f"Aanbod nummer {number}")
    session.commit()
    html = sheet_html(client)
    offered = html.split('id="gevraagd"')[0]
    assert len(re.findall(r"Aanbod nummer \d", offered)) == noticeboard.MAX_PER_SIDE
    assert "En nog 3 ander aanbod op de website." in offered


def test_empty_village_says_so(client, session):
    html = sheet_html(client)
    assert "Er wordt nu niets aangeboden in de buurt." in html
    assert "Er wordt nu niets gevraagd in de buurt." in html


def test_sheet_links_to_the_list_of_the_village(client, village):
    html = sheet_html(client)
    assert f"{public(client)}/initiatieven?near=Roggel+(Leudal)&amp;radius_km=5" in html


def test_unknown_place_is_a_dutch_404(client, session):
    response = client.get("/prikbord/gn:0")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.text


def test_village_pages_link_to_the_sheet(client, village):
    assert f'href="/prikbord/{ROGGEL}"' in client.get(f"/flessenpost/{ROGGEL}").text
    listed = client.get("/initiatieven?near=Roggel").text
    assert f'href="/prikbord/{ROGGEL}"' in listed
    assert "/prikbord/" not in client.get("/initiatieven").text


def test_listing_page_prints_with_a_qr_code_to_itself(client, village):
    listing = village["need"]
    html = client.get(f"/initiatieven/{listing.id}").text
    assert str(noticeboard.qr_svg(f"{public(client)}/initiatieven/{listing.id}")) in html
    assert 'media="print"' in html and "css/print.css" in html


def test_summary_cuts_at_a_word():
    text = "woord " * 60
    cut = noticeboard.summary(text, limit=40)
    assert len(cut) <= 40 and cut.endswith("woord…")
    assert noticeboard.summary("Kort.\n\nTweede alinea.") == "Kort."
