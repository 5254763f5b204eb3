"""AVG: download my data, delete my account, retention, the audit trail."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from portal.domain.identity import privacy
from portal.jobs.retention import run_cleanup
from portal.models import (
    Conversation,
    Listing,
    ListingStatus,
    Message,
    Role,
    User,
    VolunteerProfile,
)
from portal.models.audit import AuditEntry
from portal.models.base import utcnow
from portal.models.moderation import ListingRevision, Report
from tests.factories import DEFAULT_PASSWORD, make_listing, make_user, make_volunteer


def test_download_my_data_holds_everything_about_me(client, session, login):
    user = login()
    make_listing(session, owner=user, title="Hulp bij de tuin")
    make_volunteer(session, user=user, skills=["tuinieren"])
    session.commit()
    response = client.get("/mijn/gegevens.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["account"]["email"] == user.email
    assert data["listings"][0]["title"] == "Hulp bij de tuin"
    assert data["volunteer_profile"]["skills"] == ["tuinieren"]


def test_delete_my_account_removes_person_and_keeps_what_the_other_side_needs(
    client, session, login
):
    user = login()
    other = make_user(session)
    listing = make_listing(session, owner=user, title="Mijn vraag")
    make_volunteer(session, user=user)
    conversation = Conversation(listing=listing, initiator=other, recipient=user)
    conversation.messages = [Message(sender=user, body="Graag!"), Message(sender=other, body="Top")]
    session.add(conversation)
    session.commit()
    user_id, listing_id = user.id, listing.id
    response = client.post("/mijn/verwijderen", data={"password": DEFAULT_PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(User, user_id) is None
    listing = session.get(Listing, listing_id)
    assert listing.status is ListingStatus.CLOSED and listing.owner_id is None
    assert session.scalar(select(func.count()).select_from(VolunteerProfile)) == 0
    bodies = {m.body: m.sender_id for m in session.scalars(select(Message))}
    assert bodies == {"Graag!": None, "Top": other.id}
    assert client.get("/mijn").status_code == 302


def _report_and_pending_edit(session, user) -> Listing:
    listing = make_listing(session, owner=user, title="Oude titel")
    session.add_all(
        [
            Report(listing=listing, reporter_id=user.id, reason="Dubbel geplaatst"),
            ListingRevision(listing=listing, author=user, data={"title": "Nieuwe titel"}),
        ]
    )
    session.commit()
    return listing


def test_my_data_holds_my_reports_and_edits_waiting_for_review(client, session, login):
    user = login()
    _report_and_pending_edit(session, user)
    data = json.loads(client.get("/mijn/gegevens.json").data)
    assert [report["reason"] for report in data["reports_made"]] == ["Dubbel geplaatst"]
    assert data["edits_for_review"][0]["fields"] == {"title": "Nieuwe titel"}
    assert data["edits_for_review"][0]["status"] == "pending"


def test_deleting_my_account_drops_my_edits_waiting_for_review(client, session, login):
    user = login()
    _report_and_pending_edit(session, user)
    client.post("/mijn/verwijderen", data={"password": DEFAULT_PASSWORD, "confirm": "y"})
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(ListingRevision)) == 0
    report = session.scalar(select(Report))
    assert report.reporter_id is None and report.reason == "Dubbel geplaatst"


def test_delete_my_account_needs_the_password(client, session, login):
    user = login()
    response = client.post(
        "/mijn/verwijderen", data={"password": "verkeerd wachtwoord", "confirm": "y"}
    )
    assert response.status_code == 400 and "klopt niet" in response.text
    assert session.get(User, user.id) is not None


def test_cleanup_warns_inactive_accounts_then_removes_them(app, session):
    long_ago = utcnow() - timedelta(days=800)
    sleeper = make_user(session, last_login_at=long_ago)
    active = make_user(session, last_login_at=utcnow())
    officer = make_user(session, Role.OFFICER, last_login_at=long_ago)
    old = make_listing(session, owner=active, status=ListingStatus.CLOSED)
    old.updated_at = long_ago
    session.commit()
    sleeper_id, old_id = sleeper.id, old.id
    with app.test_request_context():
        first = run_cleanup(utcnow())
        assert (first.listings_removed, first.accounts_warned, first.accounts_removed) == (1, 1, 0)
        later = run_cleanup(utcnow() + timedelta(days=31))
    assert later.accounts_removed == 1
    session.expire_all()
    assert session.get(User, sleeper_id) is None and session.get(Listing, old_id) is None
    assert session.get(User, active.id) and session.get(User, officer.id)


def test_login_cancels_a_pending_removal(session):
    user = make_user(session, last_login_at=utcnow() - timedelta(days=800))
    user.inactivity_warned_at = utcnow()
    session.commit()
    from portal.domain.identity.accounts import authenticate

    assert authenticate(session, user.email, DEFAULT_PASSWORD) is user
    assert user.inactivity_warned_at is None
    assert user not in privacy.inactive_accounts(session, utcnow(), after_days=730)


def test_officer_actions_are_audited(client, session, login):
    officer = login(Role.OFFICER)
    listing = make_listing(session)
    session.commit()
    client.post(f"/initiatieven/{listing.id}/verbergen", data={"note": "Bestaat niet meer"})
    entry = session.scalar(select(AuditEntry))
    assert entry.actor_id == officer.id and entry.action == "listing.hide"
    assert entry.subject_id == listing.id
    assert entry.detail == {"hidden": "True", "reason": "Bestaat niet meer"}
