"""Links that leave the portal: only http(s), one rule for the form, the importer and the API."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.domain.catalogue.themes import seed_themes
from portal.domain.exchange import importing as importer
from portal.domain.web_addresses import is_web_address
from portal.models import Organisation, Role
from portal.models.base import utcnow
from tests.factories import make_organisation, make_theme, make_user

from .test_forms import field_error

HOSTILE = [
    "javascript://example.com/%0Aalert(document.cookie)",
    "javascript:alert(1)",
    "JaVaScRiPt://example.com/%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/login",
    "https://gemeente.nl@evil.example/login",
    "https:\\\\evil.example",
    "https://evil.example/\nLocation: x",
    "https://",
    "www.example.nl",
    "ftp://example.nl/bestand",
]
GOOD = ["https://depol.nl", "http://www.dorpshuis-roggel.nl/agenda?week=3#vandaag",
        "https://kulturhus-olst.example:8443/", "https://gemeente.nl/wmo-loket/"]  # fmt: skip


@pytest.mark.parametrize("address", HOSTILE)
def test_hostile_addresses_are_no_web_address(address):
    assert not is_web_address(address)


@pytest.mark.parametrize("address", GOOD)
def test_ordinary_addresses_are_web_addresses(address):
    assert is_web_address(address)


@pytest.mark.parametrize("address", HOSTILE[:3])
def test_organisation_form_refuses_javascript_links(client, login, session, address):
    login(Role.ORGANISATION)
    make_theme(session, "dagbesteding")
    session.commit()
    data = {"name": "Dorpshuis De Pol", "kind": "kulturhus", "location_query": "Haarle",
            "website": address, "themes": ["dagbesteding"]}  # fmt: skip
    response = client.post("/organisaties/nieuw", data=data)
    assert response.status_code == 400
    assert "volledig webadres" in field_error(response.text, "website")
    assert session.scalar(select(func.count()).select_from(Organisation)) == 0


@pytest.mark.parametrize("address", HOSTILE[:3])
def test_importer_refuses_javascript_links(session, address):
    seed_themes(session)
    officer = make_user(session, role=Role.OFFICER)
    csv = f'naam,soort,plaats,website\nDorpshuis,dorpshuis,Olst,"{address}"\n'.encode()
    report = importer.run_import(
        session, importer.read_upload(csv, "bestand.csv"), officer, utcnow()
    )
    assert [(error.row, error.column) for error in report.errors] == [(2, "website")]
    assert session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_api_and_page_never_hand_out_a_stored_javascript_link(client, session):
    """A link stored before the rule (or written by hand) is not passed on as a link."""
    organisation = make_organisation(session, website=HOSTILE[0])
    good = make_organisation(session, place="Roggel", website="https://depol.nl")
    session.commit()
    body = client.get(f"/api/v1/organisations/{organisation.id}").get_json()
    assert body["website"] == ""
    assert client.get(f"/api/v1/organisations/{good.id}").get_json()["website"] == GOOD[0]
    page = client.get(f"/organisaties/{organisation.id}").text
    assert "javascript:" not in page.lower()
    assert 'href="https://depol.nl"' in client.get(f"/organisaties/{good.id}").text
