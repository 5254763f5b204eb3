"""The contact that follows a match: conversation, acceptance, notifications, digests, outcome."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from portal.domain.mailing import subscriptions
from portal.models import (
    Conversation,
    DigestEntry,
    ListingStatus,
    Match,
    MatchStatus,
    Notification,
    Subscription,
    VolunteerProfile,
)
from portal.models.base import utcnow
from tests.factories import (
    DEFAULT_PASSWORD,
    make_listing,
    make_organisation,
    make_user,
    make_volunteer,
    newest_mail,
)


def _log_in(app, user):
    client = app.test_client()
    client.post("/inloggen", data={"email": user.email, "password": DEFAULT_PASSWORD})
    return client


def _setup(session):
    asker = make_user(session, display_name="Truus", phone="06-11111111")
    helper = make_user(session, display_name="Jan", phone="06-22222222")
    need = make_listing(session, owner=asker, title="Boodschappen op dinsdag")
    make_volunteer(session, user=helper, display_name="Jan")
    session.commit()
    return asker, helper, need


def test_contact_details_stay_hidden_until_acceptance(app, session):
    asker, helper, need = _setup(session)
    helper_client, asker_client = _log_in(app, helper), _log_in(app, asker)
    response = helper_client.post(
        f"/initiatieven/{need.id}/contact", data={"body": "Ik help graag!"}
    )
    conversation_url = response.headers["Location"]
    before = asker_client.get(conversation_url).text
    assert "Ik help graag!" in before
    assert helper.email not in before and "06-22222222" not in before
    assert asker.email not in helper_client.get(conversation_url).text
    asker_client.post(f"{conversation_url}/antwoord", data={"answer": "accept"})
    assert helper.email in asker_client.get(conversation_url).text
    after = helper_client.get(conversation_url).text
    assert asker.email in after and "06-11111111" in after
    match = session.scalar(select(Match))
    assert match.status is MatchStatus.ACCEPTED and match.volunteer_profile_id is not None


def test_outsiders_cannot_read_a_conversation(app, session):
    _asker, helper, need = _setup(session)
    _log_in(app, helper).post(f"/initiatieven/{need.id}/contact", data={"body": "Ik help graag!"})
    outsider = make_user(session)
    session.commit()
    conversation = session.scalar(select(Conversation))
    assert _log_in(app, outsider).get(f"/gesprekken/{conversation.id}").status_code == 404


def test_only_the_recipient_can_accept(app, session):
    _asker, helper, need = _setup(session)
    helper_client = _log_in(app, helper)
    url = helper_client.post(
        f"/initiatieven/{need.id}/contact", data={"body": "Ik help graag!"}
    ).headers["Location"]
    assert helper_client.post(f"{url}/antwoord", data={"answer": "accept"}).status_code == 403


def test_contact_notifies_the_other_side_in_app_and_by_mail(app, session):
    asker, helper, need = _setup(session)
    _log_in(app, helper).post(f"/initiatieven/{need.id}/contact", data={"body": "Ik help graag!"})
    notification = session.scalar(select(Notification))
    assert notification.user_id == asker.id and "Jan" in notification.text
    asker_client = _log_in(app, asker)
    assert re.search(r"Meldingen <span class=\"badge badge--count\">1", asker_client.get("/").text)
    assert "Boodschappen op dinsdag" in asker_client.get("/meldingen").text
    assert "badge--count" not in asker_client.get("/").text
    mail = newest_mail(app.config["MAIL_OUTBOX_DIR"])
    assert mail["To"] == asker.email and "/gesprekken/" in mail.get_content()


def test_volunteers_are_never_shown_on_public_pages(app, client, session):
    asker, helper, need = _setup(session)
    public = client.get(f"/initiatieven/{need.id}").text
    assert "Vrijwilliger" not in public
    owner_view = _log_in(app, asker).get(f"/initiatieven/{need.id}").text
    assert "Vrijwilliger" in owner_view and "Jan" in owner_view
    assert helper.email not in owner_view


def test_owner_contacts_a_suggested_volunteer(app, session):
    asker, helper, need = _setup(session)
    profile = session.scalar(select(VolunteerProfile))
    response = _log_in(app, asker).post(
        f"/initiatieven/{need.id}/contact",
        data={"body": "Kun jij helpen?", "candidate_kind": "volunteer", "candidate_id": profile.id},
    )
    assert response.status_code == 302
    conversation = session.scalar(select(Conversation))
    assert conversation.recipient_id == helper.id and conversation.initiator_id == asker.id


def test_digest_never_sends_the_same_match_twice(app, session):
    _setup(session)
    runner = app.test_cli_runner()
    assert "Vrijwilligers: 1" in runner.invoke(args=["send-digests"]).output
    assert "Vrijwilligers: 0" in runner.invoke(args=["send-digests"]).output
    assert session.scalar(select(func.count()).select_from(DigestEntry)) == 1


def test_subscription_double_opt_in_and_one_click_unsubscribe(app, client, session):
    make_listing(session, title="Oud bericht")
    session.commit()
    response = client.post(
        "/volgen", data={"email": "buur@example.org", "location_query": "Roggel", "radius_km": "5"}
    )
    assert response.status_code == 200 and "Kijk in uw e-mail" in response.text
    subscription = session.scalar(select(Subscription))
    assert subscription.confirmed_at is None
    confirm = re.search(
        r"https?://[^/\s]+(/volgen/bevestigen/\S+)",
        newest_mail(app.config["MAIL_OUTBOX_DIR"]).get_content(),
    )
    assert client.post(confirm.group(1)).status_code == 302
    make_listing(session, title="Nieuwe vraag in Roggel")
    make_listing(session, place="Nijmegen", title="Te ver weg")
    session.commit()
    app.test_cli_runner().invoke(args=["send-digests"])
    body = newest_mail(app.config["MAIL_OUTBOX_DIR"]).get_content()
    assert (
        "Nieuwe vraag in Roggel" in body and "Te ver weg" not in body and "Oud bericht" not in body
    )
    unsubscribe = re.search(r"https?://[^/\s]+(/volgen/afmelden/\S+)", body).group(1)
    assert client.post(unsubscribe).status_code == 200
    assert session.scalar(select(func.count()).select_from(Subscription)) == 0


def test_subscription_link_is_useless_for_another_purpose(app, session):
    from portal.domain.places.geography import from_point

    subscription = subscriptions.subscribe(session, "a@example.org", from_point(51.24, 5.92), 5, ())
    token = subscriptions.confirm_token(subscription, "secret")
    assert subscriptions.read(session, token, subscriptions.CONFIRM, "secret") is subscription
    assert subscriptions.read(session, token, subscriptions.UNSUBSCRIBE, "secret") is None


def test_outcome_question_after_two_weeks_is_recorded(app, session):
    _asker, helper, need = _setup(session)
    _log_in(app, helper).post(f"/initiatieven/{need.id}/contact", data={"body": "Ik help graag!"})
    match = session.scalar(select(Match))
    match.contacted_at = utcnow() - timedelta(days=15)
    session.commit()
    output = app.test_cli_runner().invoke(args=["send-digests"]).output
    assert "uitkomstvragen: 1" in output
    link = re.search(
        r"https?://[^/\s]+(/uitkomst/\S+)", newest_mail(app.config["MAIL_OUTBOX_DIR"]).get_content()
    ).group(1)
    client = app.test_client()
    assert client.post(link, data={"helped": "yes"}).status_code == 302
    session.refresh(match)
    assert match.helped is True
    assert "uitkomstvragen: 0" in app.test_cli_runner().invoke(args=["send-digests"]).output


def test_listing_can_be_marked_fulfilled(app, session):
    asker, _helper, need = _setup(session)
    _log_in(app, asker).post(f"/initiatieven/{need.id}/sluiten", data={"fulfilled": "y"})
    session.refresh(need)
    assert need.fulfilled and need.status.value == "closed"


def _contact(client, listing_id: int, kind: str, candidate_id: int):
    return client.post(
        f"/initiatieven/{listing_id}/contact",
        data={"body": "Kunt u helpen?", "candidate_kind": kind, "candidate_id": candidate_id},
    )


def test_only_candidates_the_matching_suggests_can_be_contacted(app, session):
    stranger = make_user(session, display_name="Onbekende")
    far_need = make_listing(session, owner=stranger, place="Groningen", title="Iets in Groningen")
    draft = make_listing(session, status=ListingStatus.DRAFT, place="Groningen")
    volunteer = make_volunteer(session, display_name="Jan")  # in Roggel, 5 km reach
    manager = make_user(session, display_name="Beheerder")
    organisation = make_organisation(session, place="Weert", members=(manager,))
    session.commit()
    client = _log_in(app, stranger)
    for kind, candidate_id in (
        ("volunteer", volunteer.id),
        ("listing", draft.id),
        ("organisation", organisation.id),
    ):
        response = _contact(client, far_need.id, kind, candidate_id)
        assert response.status_code == 302 and f"/initiatieven/{far_need.id}" in response.location
    assert session.scalar(select(func.count()).select_from(Conversation)) == 0
    assert session.scalar(select(func.count()).select_from(Match)) == 0
    page = client.get(f"/initiatieven/{far_need.id}").text
    assert "niet (meer) bij de suggesties" in page and "Jan" not in page


def test_a_draft_cannot_start_a_contact_with_a_candidate(app, session):
    asker, _helper, need = _setup(session)
    profile = session.scalar(select(VolunteerProfile))
    need.status = ListingStatus.DRAFT
    session.commit()
    _contact(_log_in(app, asker), need.id, "volunteer", profile.id)
    assert session.scalar(select(func.count()).select_from(Conversation)) == 0


def test_an_account_opens_only_so_many_conversations_a_day(app, session):
    app.config["CONTACTS_PER_DAY"] = 2
    try:
        helper = make_user(session)
        needs = [make_listing(session, title=f"Vraag {number}") for number in range(3)]
        session.commit()
        client = _log_in(app, helper)
        for need in needs:
            client.post(f"/initiatieven/{need.id}/contact", data={"body": "Ik help graag!"})
        assert session.scalar(select(func.count()).select_from(Conversation)) == 2
        page = client.get(f"/initiatieven/{needs[2].id}").text
        assert "vandaag al veel gesprekken" in page
    finally:
        app.config["CONTACTS_PER_DAY"] = 15


def test_unanswered_contacts_stop_counting_against_a_volunteer_after_a_week(app, session):
    asker, _helper, need = _setup(session)
    profile = session.scalar(select(VolunteerProfile))
    profile.max_open_matches = 1
    other = make_listing(session, title="Eerdere vraag")
    match = Match(listing_id=other.id, volunteer_profile_id=profile.id, score=0.5,
                  distance_km=0.0, explanation="", status=MatchStatus.CONTACTED,
                  contacted_at=utcnow())  # fmt: skip
    session.add(match)
    session.commit()
    response = _contact(_log_in(app, asker), need.id, "volunteer", profile.id)
    assert session.scalar(select(func.count()).select_from(Conversation)) == 0, response.location
    match.contacted_at = utcnow() - timedelta(days=8)
    session.commit()
    _contact(_log_in(app, asker), need.id, "volunteer", profile.id)
    assert session.scalar(select(func.count()).select_from(Conversation)) == 1
