"""Nobody learns whether an address has an account: not from login, the reset form,
registration or a membership invitation; not from the answer and not from the work done."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.domain.identity import passwords
from portal.models import Membership, MembershipInvitation, Organisation, Role, User
from portal.models.outbox import OutboxMail
from tests.factories import DEFAULT_PASSWORD, make_organisation, make_user, newest_mail

UNKNOWN = "niemand@example.org"
REGISTRATION = {
    "account_type": "resident", "display_name": "Truus", "password": "een lange zin als wachtwoord",
    "consent": "y",
}  # fmt: skip


class CountingHasher:
    """The real Argon2 hasher, counting its verifications (the work a login does)."""

    def __init__(self, hasher) -> None:
        self.hasher, self.verifications, self.hashes = hasher, 0, 0

    def verify(self, password_hash: str, password: str) -> bool:
        self.verifications += 1
        return self.hasher.verify(password_hash, password)

    def hash(self, password: str) -> str:
        self.hashes += 1
        return self.hasher.hash(password)

    def check_needs_rehash(self, password_hash: str) -> bool:
        return self.hasher.check_needs_rehash(password_hash)


@pytest.fixture
def hasher(monkeypatch):
    passwords.dummy_hash()  # made once per process, like the real one, before counting starts
    counting = CountingHasher(passwords._hasher)
    monkeypatch.setattr(passwords, "_hasher", counting)
    return counting


def _outbox(session) -> list[OutboxMail]:
    session.expire_all()
    return list(session.scalars(select(OutboxMail).order_by(OutboxMail.id)))


def _without_address(html: str, *addresses: str) -> str:
    """The page with the typed address taken out (the form keeps what was typed)."""
    html = re.sub(r'name="csrf_token" value="[^"]*"', "", html)
    html = re.sub(r'nonce="[^"]*"', "", html)  # a new one on every page
    for address in addresses:
        html = html.replace(address, "ADRES")
    return html


# --- login ------------------------------------------------------------------------------------


def test_login_does_the_same_work_for_an_unknown_address(client, session, hasher):
    user = make_user(session)
    inactive = make_user(session, active=False)
    session.commit()
    answers = []
    for email in (user.email, UNKNOWN, inactive.email):
        before = hasher.verifications
        answers.append(client.post("/inloggen", data={"email": email, "password": "verkeerd!!!"}))
        assert hasher.verifications - before == 1, email  # one Argon2 check, account or not
    assert {answer.status_code for answer in answers} == {400}
    emails = (user.email, UNKNOWN, inactive.email)
    assert len({_without_address(answer.text, *emails) for answer in answers}) == 1


def test_dummy_hash_has_todays_parameters():
    assert not passwords.needs_rehash(passwords.dummy_hash())
    assert not passwords.verify_password(passwords.dummy_hash(), "")


# --- forgotten password -------------------------------------------------------------------------


def test_forgot_password_does_the_same_work_for_an_unknown_address(app, client, session):
    user = make_user(session)
    session.commit()
    answers, mails = [], []
    for email in (user.email, UNKNOWN):
        before = len(_outbox(session))
        answers.append(client.post("/wachtwoord-vergeten", data={"email": email}))
        queued = _outbox(session)[before:]
        assert [mail.to for mail in queued] == [email]  # one mail through the outbox, either way
        mails.append(newest_mail(app.config["MAIL_OUTBOX_DIR"]).get_content())
    assert [answer.status_code for answer in answers] == [302, 302]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert "/wachtwoord-herstellen/" in mails[0]
    assert "/wachtwoord-herstellen/" not in mails[1] and "geen account" in mails[1]


# --- registration -------------------------------------------------------------------------------


def test_registration_answers_the_same_for_a_known_address(app, client, session, hasher):
    owner = make_user(session, email="truus@example.org", display_name="Truus Eigenaar")
    session.commit()
    answers = []
    for email in ("TRUUS@example.org", "nieuw@example.org"):
        before = hasher.hashes
        answers.append(client.post("/registreren", data=REGISTRATION | {"email": email}))
        assert hasher.hashes - before == 1, email  # the same work either way
    assert [answer.status_code for answer in answers] == [302, 302]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    mails = [mail for mail in _outbox(session)]
    assert [mail.to for mail in mails] == ["truus@example.org", "nieuw@example.org"]
    assert "al een account" in mails[0].body and "/registreren/bevestigen/" not in mails[0].body
    assert "/registreren/bevestigen/" in mails[1].body
    session.refresh(owner)  # the existing account is untouched
    assert owner.display_name == "Truus Eigenaar" and owner.password_hash.startswith("$argon2")
    assert client.post(
        "/inloggen", data={"email": owner.email, "password": DEFAULT_PASSWORD}
    ).status_code == 302  # fmt: skip


def test_nobody_can_hold_an_address_they_do_not_read(app, client, session):
    """A registration nobody confirmed is replaced by the next one (with its organisation)."""
    squatter = REGISTRATION | {"email": "truus@example.org", "display_name": "Kaper",
               "account_type": "organisation", "organisation_name": "Nep-loket",
               "organisation_kind": "municipality"}  # fmt: skip
    client.post("/registreren", data=squatter)
    client.post("/registreren", data=REGISTRATION | {"email": "truus@example.org"})
    users = session.scalars(select(User).where(User.email == "truus@example.org")).all()
    assert [user.display_name for user in users] == ["Truus"]
    assert session.scalar(select(func.count()).select_from(Organisation)) == 0
    login = {"email": "truus@example.org", "password": REGISTRATION["password"]}
    assert client.post("/inloggen", data=login).status_code == 400  # not yet confirmed


# --- membership by invitation -------------------------------------------------------------------


@pytest.fixture
def managed(app, client, session, login):
    manager = login(Role.ORGANISATION)
    organisation = make_organisation(session, members=(manager,), name="Dorpshuis De Pol")
    session.commit()
    return organisation


def test_invitation_tells_the_manager_nothing_about_the_address(client, session, managed):
    invitee = make_user(session, email="anna@example.org", display_name="Anna Geheim")
    session.commit()
    client.get("/")  # shows (and so clears) the "logged in" message
    answers = []
    for email in (invitee.email, UNKNOWN):
        before = len(_outbox(session))
        response = client.post(
            f"/organisaties/{managed.id}/leden", data={"email": email}, follow_redirects=True
        )
        assert response.status_code == 200
        assert [mail.to for mail in _outbox(session)[before:]] == [email]  # one mail each
        answers.append(_without_address(response.text, invitee.email, UNKNOWN))
    assert answers[0] == answers[1]
    assert "Anna Geheim" not in answers[0]
    members = session.scalars(
        select(Membership.user_id).where(Membership.organisation_id == managed.id)
    )
    assert invitee.id not in set(members)  # not a member before accepting


def _client_as(app, user):
    client = app.test_client()
    client.post("/inloggen", data={"email": user.email, "password": DEFAULT_PASSWORD})
    return client


def test_invitee_accepts_in_the_portal_and_becomes_a_member(app, client, session, managed):
    invitee = make_user(session, email="anna@example.org", display_name="Anna")
    session.commit()
    client.post(
        f"/organisaties/{managed.id}/leden", data={"email": "ANNA@example.org", "manager": "y"}
    )
    mail = newest_mail(app.config["MAIL_OUTBOX_DIR"]).get_content()
    assert "Dorpshuis De Pol" in mail and "/mijn#uitnodigingen" in mail
    as_invitee = _client_as(app, invitee)
    page = as_invitee.get("/mijn").text
    assert "Dorpshuis De Pol nodigt u uit" in page
    invitation = session.scalar(select(MembershipInvitation))
    stranger = make_user(session)
    session.commit()
    stranger = _client_as(app, stranger)
    assert stranger.post(f"/mijn/uitnodigingen/{invitation.id}/accepteren").status_code == 404
    assert as_invitee.post(f"/mijn/uitnodigingen/{invitation.id}/accepteren").status_code == 302
    membership = session.scalar(select(Membership).where(Membership.user_id == invitee.id))
    assert membership.organisation_id == managed.id and membership.manager
    assert session.scalar(select(MembershipInvitation)) is None


def test_invitee_declines_and_stays_outside(app, client, session, managed):
    invitee = make_user(session, email="anna@example.org")
    session.commit()
    client.post(f"/organisaties/{managed.id}/leden", data={"email": invitee.email})
    invitation = session.scalar(select(MembershipInvitation))
    as_invitee = _client_as(app, invitee)
    assert as_invitee.post(f"/mijn/uitnodigingen/{invitation.id}/weigeren").status_code == 302
    assert session.scalar(select(Membership).where(Membership.user_id == invitee.id)) is None
    assert session.scalar(select(MembershipInvitation)) is None


def test_an_address_without_account_finds_its_invitation_after_registering(
    app, client, session, managed
):
    client.post(f"/organisaties/{managed.id}/leden", data={"email": "later@example.org"})
    mail = newest_mail(app.config["MAIL_OUTBOX_DIR"]).get_content()
    assert "Dorpshuis De Pol" in mail and "/registreren" in mail
    newcomer = make_user(session, email="later@example.org")
    session.commit()
    assert "Dorpshuis De Pol nodigt u uit" in _client_as(app, newcomer).get("/mijn").text
