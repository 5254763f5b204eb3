"""The "needs attention" queue: each section fills with hand-made data and empties after a decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from config import TestConfig
from portal import create_app
from portal.extensions import db, limiter
from portal.models import (
    AuditEntry,
    Listing,
    ListingRevision,
    ListingStatus,
    OrganisationKind,
    OrganisationRevision,
    Report,
    RevisionStatus,
    Role,
    Wish,
    WishStatus,
)
from portal.models.base import utcnow
from tests.factories import DEFAULT_PASSWORD, make_listing, make_organisation, make_user

QUEUE = "/dashboard/aandacht"
EDIT = {
    "kind": "need",
    "title": "Boodschappen op donderdag",
    "description": "Wie fietst mee?",
    "themes": ["naoberzorg"],
    "location_query": "Roggel",
    "area_kind": "radius",
    "radius_km": "2,5",
    "schedule_kind": "ongoing",
}


def client_for(app, user):
    """A test client logged in as this user."""
    client = app.test_client()
    response = client.post("/inloggen", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def officer(app, session):
    user = make_user(session, Role.OFFICER, display_name="Wmo Leudal")
    session.commit()
    return user


@pytest.fixture
def officer_client(app, officer):
    return client_for(app, officer)


def audited(session, action: str, actor) -> bool:
    """An audit entry for this action by this actor exists."""
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()
    return any(entry.actor_id == actor.id and entry.created_at for entry in entries)


def section(html: str, anchor: str) -> str:
    """The HTML of one queue section."""
    start = html.index(f'<h2 id="{anchor}">')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.ORGANISATION])
def test_queue_is_for_officers_only(app, session, role):
    user = make_user(session, role)
    make_organisation(session, members=(user,), verified=True)
    session.commit()
    assert client_for(app, user).get(QUEUE).status_code == 403


def test_empty_queue_says_so(officer_client, session):
    page = officer_client.get(QUEUE)
    assert page.status_code == 200 and "Aandacht nodig" in page.text
    assert "Er wacht niets" in section(page.text, "organisaties")


def test_new_organisation_is_verified_from_the_queue(officer_client, officer, session):
    organisation = make_organisation(session, name="Kulturhus Den Aanleg")
    session.commit()
    assert "Kulturhus Den Aanleg" in section(officer_client.get(QUEUE).text, "organisaties")
    path = f"{QUEUE}/organisaties/{organisation.id}/verifieren"
    assert officer_client.post(path).status_code == 302
    assert officer_client.post(path).status_code == 302  # a second click does not undo it
    session.refresh(organisation)
    assert organisation.verified and organisation.verified_by_id == officer.id
    assert "Kulturhus Den Aanleg" not in section(officer_client.get(QUEUE).text, "organisaties")
    assert audited(session, "organisation.verify", officer)


def test_first_listing_is_live_and_in_the_queue_until_checked(
    app, officer_client, officer, session
):
    author = make_user(session)
    first = make_listing(session, owner=author, title="Mijn eerste vraag")
    make_listing(session, owner=author, title="Mijn tweede vraag")
    session.commit()
    assert app.test_client().get(f"/initiatieven/{first.id}").status_code == 200
    queued = section(officer_client.get(QUEUE).text, "nieuw")
    assert "Mijn eerste vraag" in queued and "Mijn tweede vraag" not in queued
    response = officer_client.post(f"{QUEUE}/initiatieven/{first.id}", data={"decision": "keep"})
    assert response.status_code == 302
    assert "Mijn eerste vraag" not in section(officer_client.get(QUEUE).text, "nieuw")
    session.refresh(first)
    assert first.verified and not first.hidden
    assert audited(session, "listing.verify", officer)


def test_trusted_authors_first_listing_is_not_queued(officer_client, session):
    member = make_user(session, Role.ORGANISATION)
    make_organisation(session, members=(member,), verified=True)
    make_listing(session, owner=member, title="Van een bekende club")
    session.commit()
    assert "Van een bekende club" not in officer_client.get(QUEUE).text


def test_hiding_needs_a_reason_that_the_author_sees(app, officer_client, officer, session):
    author = make_user(session)
    listing = make_listing(session, owner=author, title="Verkoop van spullen")
    session.commit()
    path = f"{QUEUE}/initiatieven/{listing.id}"
    refused = officer_client.post(path, data={"decision": "hide", "note": "  "})
    assert refused.status_code == 400 and "Schrijf op waarom" in refused.text
    kept_typing = officer_client.post(path, data={"decision": "oops", "note": "Mijn notitie"})
    assert kept_typing.status_code == 400 and "Mijn notitie" in kept_typing.text
    reason = "Dit is reclame, geen hulp."
    assert officer_client.post(path, data={"decision": "hide", "note": reason}).status_code == 302
    session.refresh(listing)
    assert listing.hidden
    assert app.test_client().get(f"/initiatieven/{listing.id}").status_code == 404
    as_author = client_for(app, author)
    assert reason in as_author.get(f"/initiatieven/{listing.id}").text
    assert reason in as_author.get("/mijn").text
    assert reason in as_author.get("/meldingen").text  # told, not left to find out
    assert "Verkoop van spullen" not in section(officer_client.get(QUEUE).text, "nieuw")
    assert audited(session, "listing.hide", officer)


def test_listing_page_hides_only_with_a_reason_the_author_is_told(
    app, officer_client, officer, session
):
    """The listing page's own buttons follow the queue's rules: reason, author told, audited."""
    author = make_user(session)
    listing = make_listing(session, owner=author, title="Verkoop van spullen")
    session.commit()
    page = officer_client.get(f"/initiatieven/{listing.id}").text
    assert f'action="/initiatieven/{listing.id}/verbergen"' in page and 'name="note"' in page
    path = f"/initiatieven/{listing.id}/verbergen"
    refused = officer_client.post(path, data={"note": "  "})
    assert refused.status_code == 400 and "Schrijf op waarom" in refused.text
    too_long = officer_client.post(path, data={"note": "Reclame. " + "x" * 1000})
    assert too_long.status_code == 400 and "Reclame. xxx" in too_long.text  # typing kept
    session.refresh(listing)
    assert not listing.hidden
    reason = "Dit is reclame, geen hulp."
    assert officer_client.post(path, data={"note": reason}).status_code == 302
    session.refresh(listing)
    assert listing.hidden and audited(session, "listing.hide", officer)
    as_author = client_for(app, author)
    assert reason in as_author.get("/meldingen").text
    assert reason in as_author.get(f"/initiatieven/{listing.id}").text
    shown = officer_client.post(f"/initiatieven/{listing.id}/tonen")
    assert shown.status_code == 302
    session.refresh(listing)
    assert not listing.hidden and audited(session, "listing.show", officer)
    assert "weer zichtbaar" in as_author.get("/meldingen").text
    assert reason not in as_author.get(f"/initiatieven/{listing.id}").text


def test_listing_page_check_is_the_queues_decision(officer_client, officer, session):
    listing = make_listing(session, owner=make_user(session), title="Mijn eerste vraag")
    session.commit()
    assert "Mijn eerste vraag" in section(officer_client.get(QUEUE).text, "nieuw")
    assert officer_client.post(f"/initiatieven/{listing.id}/controleren").status_code == 302
    session.refresh(listing)
    assert listing.verified and audited(session, "listing.verify", officer)
    assert "Mijn eerste vraag" not in section(officer_client.get(QUEUE).text, "nieuw")


def test_anonymous_report_reaches_the_queue_and_is_resolved(app, officer_client, officer, session):
    listing = make_listing(session, title="Oppas gezocht")
    session.commit()
    visitor = app.test_client()
    page = visitor.get(f"/initiatieven/{listing.id}").text
    assert f'href="/initiatieven/{listing.id}/melden">Klopt er iets niet? Meld het</a>' in page
    assert "Melden" in visitor.get(f"/initiatieven/{listing.id}/melden").text
    empty = visitor.post(f"/initiatieven/{listing.id}/melden", data={"reason": ""})
    assert empty.status_code == 400 and "Schrijf kort op wat er niet klopt" in empty.text
    response = visitor.post(f"/initiatieven/{listing.id}/melden", data={"reason": "Dit is nep"})
    assert response.status_code == 302
    report = session.scalar(select(Report))
    assert report.reporter_id is None and report.reason == "Dit is nep"
    assert "Dit is nep" in section(officer_client.get(QUEUE).text, "meldingen")
    decision = {"decision": "keep", "note": "Nagebeld, klopt wel"}
    assert officer_client.post(f"{QUEUE}/meldingen/{report.id}", data=decision).status_code == 302
    assert "Dit is nep" not in section(officer_client.get(QUEUE).text, "meldingen")
    session.refresh(listing)
    assert not listing.hidden
    assert audited(session, "report.resolve", officer)


def test_report_hidden_closes_every_open_report_of_that_listing(officer_client, session):
    listing = make_listing(session)
    first, second = Report(listing=listing, reason="Nep"), Report(listing=listing, reason="Spam")
    session.add_all([first, second])
    session.commit()
    decision = {"decision": "hide", "note": "Spam"}
    assert officer_client.post(f"{QUEUE}/meldingen/{first.id}", data=decision).status_code == 302
    session.refresh(listing)
    session.refresh(second)
    assert listing.hidden and second.decided_at is not None
    assert "Er wacht niets" in section(officer_client.get(QUEUE).text, "meldingen")


@pytest.fixture
def limited_app(app, tmp_path):
    """Rate limits on, as in production."""
    config = TestConfig(tmp_path)
    config.SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
    config.RATELIMIT_ENABLED = True
    limited = create_app(config)
    yield limited
    with limited.app_context():
        limiter.reset()
        db.engine.dispose()
    limiter.enabled = app.config["RATELIMIT_ENABLED"]


def test_reporting_is_rate_limited(limited_app, session):
    listing = make_listing(session)
    session.commit()
    client = limited_app.test_client()
    path = f"/initiatieven/{listing.id}/melden"
    statuses = [client.post(path, data={"reason": "Klopt niet"}).status_code for _ in range(6)]
    assert statuses[:5] == [302] * 5 and statuses[5] == 429


def test_stale_listings_oldest_first_with_assign_to_me(app, officer_client, officer, session):
    now = utcnow()
    older = make_listing(session, title="Heel oud")
    old = make_listing(session, title="Best oud")
    make_listing(session, title="Vers")
    older.confirmed_at, old.confirmed_at = now - timedelta(days=400), now - timedelta(days=200)
    session.commit()
    stale = section(officer_client.get(QUEUE).text, "verouderd")
    assert stale.index("Heel oud") < stale.index("Best oud") and "Vers" not in stale
    assert officer_client.post(f"{QUEUE}/initiatieven/{old.id}/oppakken").status_code == 302
    mine = section(officer_client.get(f"{QUEUE}?toegewezen=mij").text, "verouderd")
    assert "Best oud" in mine and "Heel oud" not in mine
    other_officer = make_user(session, Role.OFFICER)
    session.commit()
    colleague = client_for(app, other_officer)
    assert "Best oud" not in section(colleague.get(f"{QUEUE}?toegewezen=mij").text, "verouderd")
    assert officer.display_name in section(colleague.get(QUEUE).text, "verouderd")
    assert officer_client.post(f"{QUEUE}/initiatieven/{older.id}/afsluiten").status_code == 302
    session.refresh(older)
    assert older.status is ListingStatus.CLOSED
    assert "Heel oud" not in section(officer_client.get(QUEUE).text, "verouderd")
    assert audited(session, "listing.assign", officer) and audited(
        session, "listing.close", officer
    )


def _wish(session, place_key: str, place_name: str, body: str) -> Wish:
    wish = Wish(body=body, place_key=place_key, place_name=place_name, municipality="Leudal")
    session.add(wish)
    session.flush()
    return wish


def test_wishes_are_approved_from_the_queue(officer_client, officer, session):
    listing = make_listing(session)
    wish = _wish(session, listing.place_key, "Roggel", "Een bankje bij de kerk")
    session.commit()
    assert "Een bankje bij de kerk" in section(officer_client.get(QUEUE).text, "wensen")
    response = officer_client.post(
        f"/flessenpost/moderatie/{wish.id}",
        data={"decision": "approve", "next": f"{QUEUE}#wensen"},
    )
    assert response.status_code == 302 and response.location.startswith(QUEUE)
    session.refresh(wish)
    assert wish.status is WishStatus.APPROVED and wish.moderated_by_id == officer.id
    assert "Een bankje bij de kerk" not in section(officer_client.get(QUEUE).text, "wensen")
    assert audited(session, "wish.moderate", officer)


def test_wish_decision_refuses_a_foreign_next(officer_client, session):
    wish = _wish(session, "x", "Roggel", "Een bankje")
    session.commit()
    data = {"decision": "reject", "next": "https://example.org/"}
    response = officer_client.post(f"/flessenpost/moderatie/{wish.id}", data=data)
    assert response.location.endswith("/flessenpost/moderatie")


@pytest.mark.parametrize("verified", [True, False])
def test_village_council_moderates_its_own_village_only(app, session, verified):
    member = make_user(session, Role.ORGANISATION)
    make_organisation(
        session, kind=OrganisationKind.VILLAGE_COUNCIL, place="Roggel", members=(member,),
        verified=verified,
    )  # fmt: skip
    roggel = make_listing(session, place="Roggel").place_key
    olst = make_listing(session, place="Olst").place_key
    own, other = (
        _wish(session, roggel, "Roggel", "Hier in Roggel"),
        _wish(session, olst, "Olst", "In Olst"),
    )
    session.commit()
    client = client_for(app, member)
    page = client.get("/flessenpost/moderatie")
    approve = {"decision": "approve"}
    if not verified:
        assert page.status_code == 403
        assert client.post(f"/flessenpost/moderatie/{own.id}", data=approve).status_code == 403
        return
    assert page.status_code == 200 and "Hier in Roggel" in page.text and "In Olst" not in page.text
    assert client.post(f"/flessenpost/moderatie/{own.id}", data=approve).status_code == 302
    assert client.post(f"/flessenpost/moderatie/{other.id}", data=approve).status_code == 403
    session.refresh(own)
    session.refresh(other)
    assert own.status is WishStatus.APPROVED and other.status is WishStatus.PENDING
    assert audited(session, "wish.moderate", member)
    assert client.get(QUEUE).status_code == 403
    assert "Flessenpost beoordelen" in client.get("/mijn").text


def _resident_with_listing(app, session):
    author = make_user(session)
    listing = make_listing(
        session, owner=author, title="Boodschappen op dinsdag", description="Oude tekst"
    )
    session.commit()
    return author, listing, client_for(app, author)


def test_untrusted_edit_waits_while_the_old_version_stays_live(
    app, officer_client, officer, session
):
    _author, listing, as_author = _resident_with_listing(app, session)
    response = as_author.post(f"/initiatieven/{listing.id}/bewerken", data=EDIT)
    assert response.status_code == 302
    public = app.test_client().get(f"/initiatieven/{listing.id}").text
    assert "Boodschappen op dinsdag" in public and "Boodschappen op donderdag" not in public
    assert "Uw wijziging wacht op controle" in as_author.get(f"/initiatieven/{listing.id}").text
    assert "Uw wijziging wacht op controle" in as_author.get("/mijn").text
    form = as_author.get(f"/initiatieven/{listing.id}/bewerken").text
    assert 'value="Boodschappen op donderdag"' in form  # editing again starts from the pending edit
    queued = section(officer_client.get(QUEUE).text, "wijzigingen")
    assert "Boodschappen op dinsdag" in queued and "Boodschappen op donderdag" in queued
    assert "Oude tekst" in queued and "Wie fietst mee?" in queued  # old → new per field
    revision = session.scalar(select(ListingRevision))
    path = f"{QUEUE}/wijzigingen/{revision.id}"
    assert officer_client.post(path, data={"decision": "approve"}).status_code == 302
    public = app.test_client().get(f"/initiatieven/{listing.id}").text
    assert "Boodschappen op donderdag" in public
    again = officer_client.post(path, data={"decision": "reject", "note": "Toch niet"})
    assert again.status_code == 302  # already decided: nothing changes
    session.refresh(revision)
    assert revision.status is RevisionStatus.APPROVED
    assert "donderdag" in app.test_client().get("/initiatieven?q=donderdag").text
    assert "Uw wijziging wacht" not in as_author.get(f"/initiatieven/{listing.id}").text
    assert "Er wacht niets" in section(officer_client.get(QUEUE).text, "wijzigingen")
    assert audited(session, "revision.approve", officer)


def test_rejected_edit_shows_the_reason_to_the_author(app, officer_client, officer, session):
    _author, listing, as_author = _resident_with_listing(app, session)
    as_author.post(f"/initiatieven/{listing.id}/bewerken", data=EDIT)
    as_author.post(f"/initiatieven/{listing.id}/bewerken", data=EDIT | {"title": "Nog anders"})
    revision = session.scalar(select(ListingRevision))  # the second edit replaced the first
    assert session.scalar(select(db.func.count(ListingRevision.id))) == 1
    path = f"{QUEUE}/wijzigingen/{revision.id}"
    assert officer_client.post(path, data={"decision": "reject"}).status_code == 400
    reason = {"decision": "reject", "note": "Er staat een telefoonnummer in"}
    assert officer_client.post(path, data=reason).status_code == 302
    session.refresh(revision)
    assert revision.status is RevisionStatus.REJECTED
    page = as_author.get(f"/initiatieven/{listing.id}").text
    assert "afgewezen: Er staat een telefoonnummer in" in page
    assert "Boodschappen op dinsdag" in page
    assert "afgewezen: Er staat een telefoonnummer in" in as_author.get("/mijn").text
    assert "afgewezen: Er staat een telefoonnummer in" in as_author.get("/meldingen").text
    assert audited(session, "revision.reject", officer)


def test_trusted_edits_and_drafts_go_live_at_once(app, session):
    member = make_user(session, Role.ORGANISATION)
    club = make_organisation(session, members=(member,), verified=True)
    published = make_listing(session, owner=member, organisation_id=club.id)
    draft = make_listing(session, status=ListingStatus.DRAFT)
    session.commit()
    as_member = client_for(app, member)
    as_member.post(
        f"/initiatieven/{published.id}/bewerken", data=EDIT | {"organisation_id": club.id}
    )
    client_for(app, draft.owner).post(
        f"/initiatieven/{draft.id}/bewerken", data=EDIT | {"title": "Concept"}
    )
    session.expire_all()
    assert session.get(Listing, published.id).title == "Boodschappen op donderdag"
    assert session.get(Listing, draft.id).title == "Concept"
    assert session.scalar(select(ListingRevision)) is None


def _verified_organisation(app, session):
    manager = make_user(session, Role.ORGANISATION)
    organisation = make_organisation(
        session, members=(manager,), verified=True, name="Wmo-loket Leudal",
        website="https://www.leudal.nl", contact_email="wmo@leudal.nl", contact_phone="14 0475",
    )  # fmt: skip
    session.commit()
    return organisation, client_for(app, manager)


PROFILE = {
    "name": "Wmo-loket Leudal", "kind": "kulturhus", "description": "Het loket",
    "location_query": "Olst", "themes": ["dagbesteding"], "website": "https://www.leudal.nl",
    "contact_email": "wmo@leudal.nl", "contact_phone": "14 0475",
}  # fmt: skip
IMPERSONATION = {"name": "Gemeente Leudal – Wmo-loket", "website": "https://evil.example/login"}


@pytest.mark.parametrize(
    "change",
    [
        IMPERSONATION,
        {"kind": "municipality"},
        {"contact_email": "loket@evil.example"},
        {"contact_phone": "0900 1234567"},
    ],
)
def test_verified_mark_never_stands_beside_an_unchecked_change(
    app, officer_client, session, change
):
    organisation, as_manager = _verified_organisation(app, session)
    saved = as_manager.post(
        f"/organisaties/{organisation.id}/bewerken",
        data=PROFILE | change | {"description": "Nieuwe tekst"}, follow_redirects=True,
    )  # fmt: skip
    assert "wachten op controle" in saved.text
    session.expire_all()
    assert organisation.verified and organisation.description == "Nieuwe tekst"  # the rest is live
    live = app.test_client().get(f"/api/v1/organisations/{organisation.id}").get_json()
    assert live["verified"] and live["name"] == "Wmo-loket Leudal"
    assert (live["kind"], live["website"]) == ("kulturhus", "https://www.leudal.nl")
    assert live["contact"] == {"email": "wmo@leudal.nl", "phone": "14 0475"}
    queued = section(officer_client.get(QUEUE).text, "organisatiewijzigingen")
    assert all(str(value) in queued for value in change.values() if value != "municipality")
    again = as_manager.get(f"/organisaties/{organisation.id}/bewerken").text
    assert all(value in again for value in change.values())  # editing starts at the change


def test_approved_organisation_change_goes_live_with_the_mark(
    app, officer_client, officer, session
):
    organisation, as_manager = _verified_organisation(app, session)
    as_manager.post(f"/organisaties/{organisation.id}/bewerken", data=PROFILE | IMPERSONATION)
    revision = session.scalar(select(OrganisationRevision))
    path = f"{QUEUE}/organisatiewijzigingen/{revision.id}"
    assert officer_client.post(path, data={"decision": "approve"}).status_code == 302
    session.expire_all()
    assert organisation.name == IMPERSONATION["name"] and organisation.verified
    assert organisation.website == IMPERSONATION["website"]
    assert organisation.verified_by_id == officer.id
    assert audited(session, "organisation_revision.approve", officer)
    assert "staat nu online" in as_manager.get("/meldingen").text


def test_rejected_organisation_change_tells_the_author_why(app, officer_client, officer, session):
    organisation, as_manager = _verified_organisation(app, session)
    as_manager.post(f"/organisaties/{organisation.id}/bewerken", data=PROFILE | IMPERSONATION)
    revision = session.scalar(select(OrganisationRevision))
    path = f"{QUEUE}/organisatiewijzigingen/{revision.id}"
    assert officer_client.post(path, data={"decision": "reject"}).status_code == 400
    reason = {"decision": "reject", "note": "Dit is niet de gemeente."}
    assert officer_client.post(path, data=reason).status_code == 302
    session.expire_all()
    assert organisation.name == "Wmo-loket Leudal" and organisation.verified
    assert "afgewezen: Dit is niet de gemeente." in as_manager.get("/meldingen").text
    assert audited(session, "organisation_revision.reject", officer)


def test_unverified_and_admin_edits_of_organisations_go_live_at_once(app, session):
    manager, admin = make_user(session, Role.ORGANISATION), make_user(session, Role.ADMIN)
    unverified = make_organisation(session, members=(manager,), name="Wmo-loket Leudal")
    verified, _as_manager = _verified_organisation(app, session)
    client_for(app, manager).post(
        f"/organisaties/{unverified.id}/bewerken", data=PROFILE | IMPERSONATION
    )
    admin_client = client_for(app, admin)
    admin_client.post(f"/organisaties/{verified.id}/bewerken", data=PROFILE | {"name": "Leudal"})
    session.expire_all()
    assert unverified.name == IMPERSONATION["name"] and not unverified.verified
    assert verified.name == "Leudal" and verified.verified
    assert session.scalar(select(OrganisationRevision)) is None
