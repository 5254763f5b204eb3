"""Every form: bad input gets a Dutch message at the field, and what was typed stays."""

from __future__ import annotations

import re

import pytest

from portal.models import Role
from tests.factories import make_organisation, make_theme


def field_error(html: str, field: str) -> str:
    """The error message shown next to a field (empty when there is none)."""
    found = re.search(rf'id="{field}-error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


@pytest.mark.parametrize("path", ["/inloggen", "/registreren", "/wachtwoord-vergeten"])
def test_form_fields_render_their_real_type(client, path):
    html = client.get(path).text
    assert '="None"' not in html
    if path != "/wachtwoord-vergeten":
        assert 'type="password"' in html


@pytest.fixture
def themes(session):
    make_theme(session, "dagbesteding")
    make_theme(session, "naoberzorg")
    session.commit()


ORGANISATION = {
    "name": "Dorpshuis De Pol",
    "kind": "kulturhus",
    "description": "Ons dorpshuis",
    "location_query": "Haarle, Hellendoorn",
    "website": "geen-adres",
    "contact_email": "info@",
}


def test_organisation_form_errors_in_dutch_keep_input(client, login, themes):
    login(Role.ORGANISATION)
    response = client.post("/organisaties/nieuw", data=ORGANISATION)
    assert response.status_code == 400
    assert "volledig webadres" in field_error(response.text, "website")
    assert "geen geldig e-mailadres" in field_error(response.text, "contact_email")
    assert 'value="Dorpshuis De Pol"' in response.text and "Ons dorpshuis" in response.text


def test_organisation_form_unknown_place(client, login, themes):
    login(Role.ORGANISATION)
    data = ORGANISATION | {"website": "", "contact_email": "", "location_query": "Nergenshuizen"}
    response = client.post("/organisaties/nieuw", data=data)
    assert "geen dorp, wijk of postcode" in field_error(response.text, "location_query")
    assert 'value="Nergenshuizen"' in response.text


def test_organisation_form_saves_with_good_input(client, login, themes):
    login(Role.ORGANISATION)
    data = ORGANISATION | {"website": "https://depol.nl", "contact_email": "info@depol.nl"}
    response = client.post("/organisaties/nieuw", data=data | {"themes": ["dagbesteding"]})
    assert response.status_code == 302
    assert "Dorpshuis De Pol" in client.get(response.headers["Location"]).text


def test_member_form_bad_email_in_dutch(client, session, login):
    manager = login(Role.ORGANISATION)
    organisation = make_organisation(session, members=(manager,))
    session.commit()
    response = client.post(f"/organisaties/{organisation.id}/leden", data={"email": "nieuw@"})
    assert response.status_code == 400
    assert "geen geldig e-mailadres" in field_error(response.text, "email")
    assert 'value="nieuw@"' in response.text


VOLUNTEER = {
    "display_name": "Jan",
    "themes": ["naoberzorg"],
    "skills": "klussen, koken",
    "availability": ["tue-morning"],
    "location_query": "Roggel",
    "travel_radius_km": "5",
    "max_open_matches": "3",
}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"themes": []}, "themes", "minstens één thema"),
        ({"travel_radius_km": "ver"}, "travel_radius_km", "Vul een getal in"),
        ({"max_open_matches": "2,5"}, "max_open_matches", "heel getal"),
        ({"location_query": "Atlantis"}, "location_query", "geen dorp, wijk of postcode"),
    ],
)
def test_volunteer_form_errors_in_dutch_keep_input(client, login, themes, change, field, message):
    login()
    response = client.post("/mijn/vrijwilliger", data=VOLUNTEER | change)
    assert response.status_code == 400
    assert message in field_error(response.text, field)
    assert 'value="klussen, koken"' in response.text


def test_volunteer_form_saves_and_shows_on_my_page(client, login, themes):
    login()
    assert client.post("/mijn/vrijwilliger", data=VOLUNTEER).status_code == 302
    assert "Tot 5 km rond Roggel" in client.get("/mijn").text


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"body": "kort"}, "body", "tussen de 10 en 1000"),
        ({"location_query": "Atlantis"}, "location_query", "geen dorp, wijk of postcode"),
        ({"location_query": ""}, "location_query", "Vul uw dorp"),
    ],
)
def test_wish_form_errors_in_dutch_keep_input(client, themes, change, field, message):
    data = {"body": "Een koffieochtend in het dorpshuis", "location_query": "Roggel"} | change
    response = client.post("/flessenpost", data=data)
    assert response.status_code == 400
    assert message in field_error(response.text, field)
    if field != "body":
        assert "Een koffieochtend in het dorpshuis" in response.text


def test_reset_form_errors_in_dutch(app, client, session):
    from portal.domain.identity import accounts
    from tests.factories import make_user

    user = make_user(session)
    session.commit()
    token = accounts.reset_token(user, app.config["SECRET_KEY"])
    response = client.post(
        f"/wachtwoord-herstellen/{token}", data={"password": "kort", "confirm": "anders"}
    )
    assert response.status_code == 400
    assert "minstens 10 tekens" in field_error(response.text, "password")
    assert "niet hetzelfde" in field_error(response.text, "confirm")
