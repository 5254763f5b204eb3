"""Hostile text through every text field comes back escaped everywhere it is shown.

The browser half (map popups, no dialog opens) is in tests/browser/test_map_browser.py and
tests/browser/test_hostile_input_browser.py.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from sqlalchemy import select

from portal.models import Listing, Organisation, Role
from tests.factories import make_listing, make_theme, newest_mail

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "javascript:alert(1)//<svg onload=alert(1)>",
    '=HYPERLINK("http://evil.example")',
    "+SUM(1,2)",
    "@cmd",
]
RAW_MARKERS = ("<img src=x", "<script>alert", "<svg onload")


def assert_escaped(html: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in html, marker


@pytest.fixture
def themes(session):
    make_theme(session, "naoberzorg")
    session.commit()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_listing_text_is_escaped_on_every_page_and_in_the_api(
    client, session, login, themes, payload
):
    user = login()
    data = {
        "kind": "need", "title": f"Hulp {payload}", "description": payload, "cost": payload,
        "themes": ["naoberzorg"], "location_query": "Roggel", "area_kind": "radius",
        "schedule_kind": "ongoing", "action": "publish",
    }  # fmt: skip
    assert client.post("/initiatieven/nieuw", data=data).status_code == 302
    listing = session.scalar(select(Listing))
    for path in [
        "/initiatieven",
        f"/initiatieven/{listing.id}",
        "/mijn",
        "/kaart",
        "/initiatieven?q=hulp",
    ]:
        assert_escaped(client.get(path).text)
    api = client.get(f"/api/v1/listings/{listing.id}")
    assert api.mimetype == "application/json" and api.json["title"] == f"Hulp {payload}"
    places = client.get(f"/kaart/data.json?place={listing.place_key}")
    assert places.mimetype == "application/json"
    assert user.display_name


@pytest.mark.parametrize("payload", PAYLOADS[:3])
def test_organisation_volunteer_wish_and_message_text_is_escaped(
    client, session, login, themes, payload
):
    login(Role.ORGANISATION)
    organisation = {
        "name": f"Club {payload}", "kind": "kulturhus", "description": payload, "address": payload,
        "location_query": "Olst", "themes": ["naoberzorg"],
    }  # fmt: skip
    response = client.post("/organisaties/nieuw", data=organisation)
    assert response.status_code == 302
    assert_escaped(client.get(response.headers["Location"]).text)
    assert_escaped(client.get("/organisaties").text)
    volunteer = {
        "display_name": payload[:60], "themes": ["naoberzorg"], "skills": payload,
        "location_query": "Roggel", "travel_radius_km": "5", "max_open_matches": "3",
    }  # fmt: skip
    assert client.post("/mijn/vrijwilliger", data=volunteer).status_code == 302
    assert_escaped(client.get("/mijn").text)
    assert_escaped(
        client.post(
            "/flessenpost", data={"body": f"Wens {payload}", "location_query": "Roggel"}
        ).text
    )


def test_messages_and_their_mails_keep_hostile_text_inert(app, client, session, login, themes):
    owner = login()
    listing = make_listing(session, owner=owner, title=PAYLOADS[0])
    helper = login()
    session.commit()
    response = client.post(f"/initiatieven/{listing.id}/contact", data={"body": PAYLOADS[1]})
    assert response.status_code == 302
    assert_escaped(client.get(response.headers["Location"]).text)
    mail = newest_mail(app.config["MAIL_OUTBOX_DIR"])
    assert mail.get_content_type() == "text/plain" and mail["To"] == owner.email
    assert helper.email != owner.email


def test_csv_exports_neutralise_formulas(client, session, login):
    make_listing(session, title='=HYPERLINK("http://evil.example")')
    from tests.factories import make_organisation

    make_organisation(session, name="+SUM(1,2)", description="@cmd")
    session.commit()
    login(Role.OFFICER)
    package = client.get("/dashboard/open-data/hsds.zip")
    assert package.status_code == 200
    with zipfile.ZipFile(io.BytesIO(package.data)) as archive:
        for name in archive.namelist():
            if name.endswith(".csv"):
                for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))):
                    assert not any(cell[:1] in "=+-@" and cell[1:2] for cell in row if cell), (
                        name,
                        row,
                    )
    document = json.loads(client.get("/dashboard/open-data/hsds.json").data)
    assert document


def test_hostile_organisation_name_in_json_is_data(client, session):
    from tests.factories import make_organisation

    organisation = make_organisation(session, name=PAYLOADS[0])
    session.commit()
    response = client.get(f"/api/v1/organisations/{organisation.id}")
    assert response.json["name"] == PAYLOADS[0]
    assert session.scalar(select(Organisation)).name == PAYLOADS[0]
