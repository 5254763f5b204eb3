"""The API's access rules: owner-only matches, personal tokens and rate limits."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select

from config import TestConfig
from portal import create_app
from portal.extensions import db, limiter
from portal.models import ListingKind, Role
from portal.models.api_token import ApiToken
from tests.factories import (
    make_listing,
    make_organisation,
    make_user,
    make_volunteer,
    newest_mail,
)

API = "/api/v1"
#: A volunteer's exact home, with digits no village centre has.
HOME = (51.2512345, 5.9312345)


def error_of(response) -> dict:
    assert response.is_json, response.text
    return response.get_json()["error"]


# --- owner-only matches ---------------------------------------------------------------------


@pytest.fixture
def need_with_candidates(session):
    """A need in Roggel with an offer, a volunteer (at home) and an organisation nearby."""
    owner = make_user(session)
    need = make_listing(session, owner=owner, title="Wie helpt met boodschappen?")
    make_listing(session, kind=ListingKind.OFFER, title="Boodschappendienst Roggel")
    volunteer_user = make_user(session, display_name="Anna Vrijwilliger", phone="06 99887766")
    make_volunteer(session, user=volunteer_user, point=HOME, travel_radius_km=10)
    make_organisation(session, place="Roggel", themes=("naoberzorg",), name="Zorg Roggel")
    session.commit()
    return {"need": need, "owner": owner, "volunteer_user": volunteer_user}


def test_matches_need_credentials(client, need_with_candidates):
    response = client.get(f"{API}/listings/{need_with_candidates['need'].id}/matches")
    assert response.status_code == 401 and error_of(response)["status"] == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_matches_are_refused_to_someone_elses_account(client, login, need_with_candidates):
    login()
    response = client.get(f"{API}/listings/{need_with_candidates['need'].id}/matches")
    assert response.status_code == 403 and error_of(response)["status"] == 403


def test_matches_of_a_missing_listing_are_404_for_a_logged_in_user(client, login, session):
    login()
    assert client.get(f"{API}/listings/999999/matches").status_code == 404


def test_matches_for_the_owner_explain_and_keep_volunteers_private(client, need_with_candidates):
    owner = need_with_candidates["owner"]
    client.post("/inloggen", data={"email": owner.email, "password": "correct horse battery"})
    response = client.get(f"{API}/listings/{need_with_candidates['need'].id}/matches")
    assert response.status_code == 200, response.text
    items = response.get_json()["items"]
    assert {item["kind"] for item in items} == {"listing", "volunteer", "organisation"}
    volunteer = next(item for item in items if item["kind"] == "volunteer")
    assert volunteer["id"] is None and volunteer["url"] is None and volunteer["name"] == "Anna"
    assert volunteer["place_name"] and volunteer["explanation"]
    assert set(volunteer["score_parts"]) >= {"distance", "themes"}
    volunteer_user = need_with_candidates["volunteer_user"]
    for private in (volunteer_user.email, "99887766", "51.25123", "5.93123", "Vrijwilliger"):
        assert private not in response.text


@pytest.mark.parametrize(
    ("role", "status"), [(Role.ADMIN, 200), (Role.OFFICER, 403), (Role.ORGANISATION, 403)]
)
def test_matches_are_for_admins_but_not_other_roles(
    client, login, need_with_candidates, role, status
):
    login(role)
    response = client.get(f"{API}/listings/{need_with_candidates['need'].id}/matches?limit=1")
    assert response.status_code == status
    if status == 200:
        kinds = [item["kind"] for item in response.get_json()["items"]]
        assert sorted(kinds) == ["listing", "organisation", "volunteer"]


def test_matches_are_open_to_members_of_the_owning_organisation(client, login, session):
    member = login()
    organisation = make_organisation(session, members=(member,), themes=("naoberzorg",))
    need = make_listing(session, organisation_id=organisation.id)
    session.commit()
    assert client.get(f"{API}/listings/{need.id}/matches").status_code == 200


def test_matches_limit_is_checked(client, login, need_with_candidates):
    owner = need_with_candidates["owner"]
    client.post("/inloggen", data={"email": owner.email, "password": "correct horse battery"})
    response = client.get(f"{API}/listings/{need_with_candidates['need'].id}/matches?limit=51")
    assert response.status_code == 400 and error_of(response)["parameter"] == "limit"


# --- personal API tokens --------------------------------------------------------------------


def _new_token(client, name: str = "Dorpswebsite") -> str:
    response = client.post("/mijn/api-sleutels", data={"name": name})
    assert response.status_code == 201, response.text
    assert response.headers["Cache-Control"] == "no-store"
    return re.search(r'id="new-token">(nk_[^<]+)<', response.text).group(1)


def test_token_life_cycle_create_use_revoke(app, client, login, session, need_with_candidates):
    owner = need_with_candidates["owner"]
    client.post("/inloggen", data={"email": owner.email, "password": "correct horse battery"})
    secret = _new_token(client)
    stored = session.scalar(select(ApiToken).where(ApiToken.user_id == owner.id))
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.last_used_at is None and secret not in client.get("/mijn/api-sleutels").text

    url = f"{API}/listings/{need_with_candidates['need'].id}/matches"
    bearer = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get(url, headers=bearer).status_code == 200
    session.refresh(stored)
    assert stored.last_used_at is not None

    revoked = client.post(f"/mijn/api-sleutels/{stored.id}/intrekken")
    assert revoked.status_code == 302
    response = app.test_client().get(url, headers=bearer)
    assert (
        response.status_code == 401
        and 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    )


def test_a_bad_token_is_refused_even_in_a_logged_in_browser(client, need_with_candidates):
    owner = need_with_candidates["owner"]
    client.post("/inloggen", data={"email": owner.email, "password": "correct horse battery"})
    url = f"{API}/listings/{need_with_candidates['need'].id}/matches"
    assert client.get(url).status_code == 200
    for header in ("Bearer nk_verzonnen", "Bearer", "Basic dXNlcjpwdw=="):
        assert client.get(url, headers={"Authorization": header}).status_code == 401


def test_a_token_of_another_user_gives_403(app, client, login, need_with_candidates):
    login()
    secret = _new_token(client)
    url = f"{API}/listings/{need_with_candidates['need'].id}/matches"
    response = app.test_client().get(url, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 403


def test_token_page_needs_login(client, session):
    response = client.get("/mijn/api-sleutels")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_token_needs_a_name_and_keeps_the_limit(client, login, session):
    login()
    response = client.post("/mijn/api-sleutels", data={"name": ""})
    assert response.status_code == 400 and 'id="name-error"' in response.text
    for number in range(10):
        _new_token(client, f"sleutel {number}")
    response = client.post("/mijn/api-sleutels", data={"name": "nog een"})
    assert response.status_code == 400 and "Trek er eerst één in" in response.text


def test_nobody_revokes_someone_elses_token(app, client, login, session):
    login()
    _new_token(client)
    token = session.scalar(select(ApiToken))
    other = app.test_client()
    user = make_user(session)
    session.commit()
    other.post("/inloggen", data={"email": user.email, "password": "correct horse battery"})
    assert other.post(f"/mijn/api-sleutels/{token.id}/intrekken").status_code == 404
    session.refresh(token)
    assert token.revoked_at is None


def test_tokens_go_with_the_account(client, login, session):
    user = login()
    _new_token(client)
    session.delete(user)
    session.commit()
    assert session.scalar(select(ApiToken)) is None


def _token_works(app, need_with_candidates, secret: str) -> bool:
    url = f"{API}/listings/{need_with_candidates['need'].id}/matches"
    response = app.test_client().get(url, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code in (200, 401), response.text
    return response.status_code == 200


def test_tokens_stop_working_after_a_password_reset(app, client, need_with_candidates):
    owner = need_with_candidates["owner"]
    client.post("/inloggen", data={"email": owner.email, "password": "correct horse battery"})
    secrets = [_new_token(client, "Dorpswebsite"), _new_token(client, "Agenda")]
    assert all(_token_works(app, need_with_candidates, secret) for secret in secrets)
    stranger = app.test_client()
    stranger.post("/wachtwoord-vergeten", data={"email": owner.email})
    body = newest_mail(app.config["MAIL_OUTBOX_DIR"]).get_content()
    assert "werken uw API-sleutels niet meer" in body  # the mail says what a reset does
    base = re.escape(app.config["PUBLIC_BASE_URL"])
    link = re.search(base + r"(/wachtwoord-herstellen/\S+)", body).group(1)
    new = {"password": "nieuw geheim wachtwoord", "confirm": "nieuw geheim wachtwoord"}
    done = stranger.post(link, data=new, follow_redirects=True)
    assert "Uw 2 API-sleutels werken niet meer" in done.text
    assert not any(_token_works(app, need_with_candidates, secret) for secret in secrets)


def test_tokens_stop_working_after_logging_out_everywhere(app, client, need_with_candidates):
    owner = need_with_candidates["owner"]
    client.post("/inloggen", data={"email": owner.email, "password": "correct horse battery"})
    secret = _new_token(client)
    assert _token_works(app, need_with_candidates, secret)
    logged_out = client.post("/uitloggen", follow_redirects=True)
    assert "Uw API-sleutel werkt niet meer" in logged_out.text
    assert not _token_works(app, need_with_candidates, secret)


# --- rate limits ----------------------------------------------------------------------------


def test_rate_limit_answers_429_with_retry_after(tmp_path):
    """One budget for the whole API, on a separate app with limits on (then put back)."""
    config = TestConfig(tmp_path)
    config.RATELIMIT_ENABLED = True
    was_enabled = limiter.enabled
    limited_app = create_app(config)
    try:
        limited = limited_app.test_client()
        paths = [f"{API}/places?per_page=1", f"{API}/openapi.json"] * 60
        statuses = [limited.get(path).status_code for path in paths]
        response = limited.get(f"{API}/places?per_page=1")
    finally:
        limiter.enabled = was_enabled
        with limited_app.app_context():
            db.engine.dispose()  # its own pool: a connection left to the garbage collector warns
    assert statuses == [200] * 120
    assert response.status_code == 429 and error_of(response)["status"] == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
