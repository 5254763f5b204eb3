"""The domain writes its messages in Dutch (N_); the views show them in the reader's language."""

from __future__ import annotations

import json

from tests.web.test_auth import GOOD


def test_a_filter_error_from_the_domain_is_shown_in_english_to_an_english_reader(client, session):
    client.set_cookie("taal", "en")
    page = client.get("/initiatieven", query_string={"near": "Nergenshuizen-aan-Zee"})
    data = client.get("/kaart/data.json", query_string={"kind": "spaceship"})
    assert "We do not know this place or postcode" in page.text
    assert json.loads(data.text)["errors"]["kind"] == (
        "Choose offer, request, resources or organisation."
    )


def test_a_field_error_with_a_value_is_translated_with_its_value(client, session):
    client.set_cookie("taal", "en")
    response = client.post("/registreren", data=GOOD | {"password": "kort"})
    assert response.status_code == 400
    assert "Choose a password of at least 10 characters." in response.text


def test_dutch_stays_the_default(client, session):
    response = client.get("/kaart/data.json", query_string={"kind": "spaceship"})
    assert json.loads(response.text)["errors"]["kind"] == (
        "Kies aanbod, vraag, middelen of organisatie."
    )
