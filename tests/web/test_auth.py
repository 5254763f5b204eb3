"""Accounts: registration, login, logout, password reset, role checks."""

from __future__ import annotations

import re
import time

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from portal.domain.identity import accounts
from portal.models import Membership, Organisation, Role, User
from tests.factories import DEFAULT_PASSWORD, make_user, newest_mail

GOOD = {
    "account_type": "resident",
    "display_name": "Truus",
    "email": "truus@example.org",
    "password": "een lange zin als wachtwoord",
    "consent": "y",
}


def _confirmation_link(app) -> str:
    body = newest_mail(app.config["MAIL_OUTBOX_DIR"]).get_content()
    base = re.escape(app.config["PUBLIC_BASE_URL"])
    return re.search(base + r"(/registreren/bevestigen/\S+)", body).group(1)


def test_register_resident_confirms_the_address_then_logs_in(app, client, session):
    response = client.post("/registreren", data=GOOD, follow_redirects=True)
    assert "Kijk in uw e-mail" in response.text
    user = session.scalar(select(User).where(User.email == "truus@example.org"))
    assert user.role is Role.RESIDENT and user.privacy_consent_at is not None
    assert not user.email_confirmed
    login = {"email": GOOD["email"], "password": GOOD["password"]}
    assert client.post("/inloggen", data=login).status_code == 400  # not before the link
    link = _confirmation_link(app)
    assert "Bevestigen" in client.get(link).text  # a page with a button: scanners change nothing
    session.refresh(user)
    assert not user.email_confirmed
    assert client.post(link).status_code == 302
    assert "Truus" in client.get("/").text
    session.refresh(user)
    assert user.email_confirmed
    assert client.post(link).status_code == 400  # the link works once


def test_register_organisation_creates_organisation_with_manager(client, session):
    data = GOOD | {
        "account_type": "organisation",
        "organisation_name": "Plaatselijk Belang Lierderholthuis",
        "organisation_kind": "village_council",
    }
    assert client.post("/registreren", data=data).status_code == 302
    organisation = session.scalar(select(Organisation))
    assert organisation.name == "Plaatselijk Belang Lierderholthuis"
    membership = session.scalar(select(Membership))
    assert membership.manager and membership.user.email == "truus@example.org"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "geen-adres"}, "email", "geen geldig e-mailadres"),
        ({"password": "kort"}, "password", "minstens 10 tekens"),
        ({"password": "wachtwoord123"}, "password", "te bekend"),
        ({"display_name": ""}, "display_name", "Vul uw naam in"),
        ({"consent": ""}, "consent", "akkoord gaat"),
        ({"account_type": "organisation"}, "organisation_name", "naam van de organisatie"),
    ],
)
def test_register_bad_input_shows_dutch_message_at_field_and_keeps_input(
    client, session, change, field, message
):
    response = client.post("/registreren", data=GOOD | change)
    assert response.status_code == 400
    error = re.search(rf'id="{field}-error">(.*?)</p>', response.text, re.S)
    assert error and message in error.group(1)
    assert 'aria-describedby="' in response.text and f"{field}-error" in response.text
    if field != "display_name":
        assert 'value="Truus"' in response.text


def test_login_and_logout(client, session):
    user = make_user(session)
    session.commit()
    response = client.post("/inloggen", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert user.display_name in client.get("/").text
    assert client.post("/uitloggen").status_code == 302
    assert user.display_name not in client.get("/").text


def test_login_upgrades_a_hash_made_with_other_argon2_parameters(session):
    old_hash = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(DEFAULT_PASSWORD)
    user = make_user(session, password_hash=old_hash)
    assert accounts.authenticate(session, user.email, DEFAULT_PASSWORD) is user
    assert user.password_hash != old_hash and "m=19456,t=2,p=1" in user.password_hash
    assert accounts.authenticate(session, user.email, DEFAULT_PASSWORD) is user


def test_login_wrong_password_and_unknown_email_give_same_answer(client, session):
    user = make_user(session)
    session.commit()
    wrong = client.post("/inloggen", data={"email": user.email, "password": "verkeerd!!!!"})
    unknown = client.post(
        "/inloggen", data={"email": "nobody@example.org", "password": "verkeerd!!!!"}
    )
    assert wrong.status_code == unknown.status_code == 400
    assert "kennen we niet" in wrong.text and "kennen we niet" in unknown.text
    assert f'value="{user.email}"' in wrong.text


def test_logout_invalidates_a_copied_session_cookie(app, client, session):
    user = make_user(session)
    session.commit()
    client.post("/inloggen", data={"email": user.email, "password": DEFAULT_PASSWORD})
    stolen = client.get_cookie("session").value
    client.post("/uitloggen")
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert user.display_name not in thief.get("/").text


def _reset_link(app) -> str:
    body = newest_mail(app.config["MAIL_OUTBOX_DIR"]).get_content()
    base = re.escape(app.config["PUBLIC_BASE_URL"].rstrip("/"))
    return re.search(base + r"(/wachtwoord-herstellen/\S+)", body).group(1)


def test_password_reset_works_once(app, client, session):
    user = make_user(session)
    session.commit()
    response = client.post("/wachtwoord-vergeten", data={"email": user.email})
    assert response.status_code == 302
    link = _reset_link(app)
    new = {"password": "nieuw geheim wachtwoord", "confirm": "nieuw geheim wachtwoord"}
    assert client.post(link, data=new).status_code == 302
    assert (
        client.post(
            "/inloggen", data={"email": user.email, "password": new["password"]}
        ).status_code
        == 302
    )
    assert client.get(link).status_code == 400


def test_password_reset_same_answer_for_unknown_address(app, client, session):
    known = make_user(session)
    session.commit()
    answers = [
        client.post("/wachtwoord-vergeten", data={"email": email}, follow_redirects=True).text
        for email in (known.email, "onbekend@example.org")
    ]
    assert "Als dit e-mailadres bij ons bekend is" in answers[0]
    assert "Als dit e-mailadres bij ons bekend is" in answers[1]


def test_password_reset_token_expires(app, session):
    user = make_user(session)
    token = accounts.reset_token(user, "secret")
    assert accounts.user_for_reset_token(session, token, "secret", max_age=60) is user
    time.sleep(1.1)
    assert accounts.user_for_reset_token(session, token, "secret", max_age=0) is None
    assert accounts.user_for_reset_token(session, token, "other-secret", max_age=60) is None


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 302),
        (Role.RESIDENT, 403),
        (Role.ORGANISATION, 403),
        (Role.OFFICER, 403),
        (Role.ADMIN, 200),
    ],
)
def test_admin_pages_only_for_admins(client, login, role, status):
    if role is not None:
        login(role)
    assert client.get("/beheer/gebruikers").status_code == status


def test_admin_grants_officer_role_and_user_sessions_restart(app, client, session, login):
    login(Role.ADMIN)
    resident = make_user(session)
    session.commit()
    response = client.post(f"/beheer/gebruikers/{resident.id}/rol", data={"role": "officer"})
    assert response.status_code == 302
    session.refresh(resident)
    assert resident.role is Role.OFFICER and resident.session_version == 2
