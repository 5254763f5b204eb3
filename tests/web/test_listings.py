"""Listings: forms, consent, lifecycle, freshness links, search and who may edit what."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.domain.catalogue import freshness, listings
from portal.domain.places.geocoding import make_online_geocoder
from portal.extensions import db
from portal.models import Consent, Listing, ListingKind, ListingStatus, Role
from portal.models.base import utcnow
from tests.factories import (
    DEFAULT_PASSWORD,
    make_listing,
    make_organisation,
    make_theme,
    make_user,
)

FORM = {
    "kind": "need",
    "title": "Boodschappen op dinsdag",
    "description": "Wie fietst naar de supermarkt?",
    "themes": ["naoberzorg"],
    "location_query": "Roggel",
    "area_kind": "radius",
    "radius_km": "2,5",
    "schedule_kind": "weekly",
    "weekly_slots": ["tue-morning"],
    "action": "publish",
}


@pytest.fixture
def themes(session):
    make_theme(session, "naoberzorg")
    make_theme(session, "vervoer")
    session.commit()


def test_create_listing_publishes_with_village_as_public_point(client, session, login, themes):
    login()
    response = client.post("/initiatieven/nieuw", data=FORM)
    assert response.status_code == 302
    listing = session.scalar(select(Listing))
    assert listing.status is ListingStatus.PUBLISHED and listing.radius_km == 2.5
    assert listing.place_name == "Roggel" and listing.weekly_slots == ["tue-morning"]
    assert listing.expires_at is not None and not listing.exact_location_public


def test_saving_a_listing_reads_nothing_after_the_commit(client, session, login, themes):
    """A database lost right after the commit must not turn a saved listing into an error page
    (the resident would save it twice): the answer is ready before the commit."""
    login()
    happened: list[str] = []

    def statement(_connection, _cursor, sql, *_args) -> None:
        happened.append(sql.split(None, 1)[0].upper())

    def committed(_session) -> None:
        happened.append("COMMIT")

    event.listen(db.engine, "before_cursor_execute", statement)
    event.listen(Session, "after_commit", committed)
    try:
        response = client.post("/initiatieven/nieuw", data=FORM)
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
        event.remove(Session, "after_commit", committed)
    assert response.status_code == 302
    assert "INSERT" in happened and happened[-1] == "COMMIT"


def test_create_listing_as_draft_stays_private(app, client, session, login, themes):
    login()
    client.post("/initiatieven/nieuw", data=FORM | {"action": "draft"})
    listing = session.scalar(select(Listing))
    assert listing.status is ListingStatus.DRAFT
    assert app.test_client().get(f"/initiatieven/{listing.id}").status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "korte titel"),
        ({"themes": []}, "themes", "minstens één thema"),
        ({"radius_km": "veel"}, "radius_km", "Vul een getal in"),
        ({"location_query": "Atlantis"}, "location_query", "geen dorp, wijk of postcode"),
        ({"location_query": "Zevenhuizen"}, "location_query", "meer plaatsen met deze naam"),
        ({"location_query": ""}, "location_query", "klik op de kaart"),
        (
            {"area_kind": "villages", "area_villages": "Nergenshuizen"},
            "area_villages",
            "kennen we niet",
        ),
        ({"on_behalf": "y"}, "resident_reference", "voor wie u dit plaatst"),
        ({"age_min": "40", "age_max": "12"}, "age_max", "lager dan"),
    ],
)
def test_listing_form_errors_are_dutch_at_the_field_and_keep_input(
    client, session, login, themes, change, field, message
):
    login()
    response = client.post("/initiatieven/nieuw", data=FORM | change)
    assert response.status_code == 400
    error = re.search(rf'id="{field}-error">(.*?)</p>', response.text, re.S)
    assert error and message in error.group(1)
    if field != "title":
        assert 'value="Boodschappen op dinsdag"' in response.text
    assert "Wie fietst naar de supermarkt?" in response.text
    assert session.scalar(select(Listing)) is None


def test_need_on_behalf_records_consent_and_hides_the_resident(app, client, session, login, themes):
    worker = login(Role.ORGANISATION)
    data = FORM | {
        "on_behalf": "y",
        "resident_reference": "mevrouw J. uit Roggel",
        "consent_given_by": "de bewoner zelf",
        "consent_given_on": "2026-11-20",
        "consent_purpose": "Iemand vinden voor de boodschappen",
    }
    assert client.post("/initiatieven/nieuw", data=data).status_code == 302
    consent = session.scalar(select(Consent))
    assert consent.given_by == "de bewoner zelf" and str(consent.given_on) == "2026-11-20"
    assert consent.recorded_by_id == worker.id and consent.listing.on_behalf
    public = app.test_client().get(f"/initiatieven/{consent.listing_id}").text
    assert "mevrouw J." not in public and "Toestemming" not in public
    assert "mevrouw J." in client.get(f"/initiatieven/{consent.listing_id}").text


def test_geocoder_failure_keeps_the_form(app, client, session, login, themes, monkeypatch):
    """An online geocoder that is down: the save is refused with a message, nothing typed is lost."""
    dead = make_online_geocoder(
        "pdok", "naoberkaart-test", timeout=1, domain="127.0.0.1:9", scheme="http"
    )
    monkeypatch.setitem(app.extensions, "geocoder", dead)
    login()
    response = client.post(
        "/initiatieven/nieuw", data=FORM | {"location_query": "Dorpsstraat 1, Roggel"}
    )
    assert response.status_code == 400
    assert "klik op de kaart" in response.text
    assert 'value="Dorpsstraat 1, Roggel"' in response.text
    assert "Wie fietst naar de supermarkt?" in response.text
    clicked = FORM | {"location_query": "", "lat": "51.2430", "lon": "5.9278"}
    assert client.post("/initiatieven/nieuw", data=clicked).status_code == 302


def test_lifecycle_publish_close_renew_expire(session):
    listing = make_listing(session, status=ListingStatus.DRAFT)
    now = utcnow()
    listings.publish(listing, now, expiry_months=6)
    assert listing.status is ListingStatus.PUBLISHED
    assert listing.expires_at - now == timedelta(days=180)
    assert listings.expire_due(session, now + timedelta(days=181)) == 1
    session.refresh(listing)
    assert listing.status is ListingStatus.EXPIRED
    listings.renew(listing, now + timedelta(days=182), expiry_months=6)
    assert listing.status is ListingStatus.PUBLISHED
    listings.close(listing, now, fulfilled=True)
    assert listing.status is ListingStatus.CLOSED and listing.fulfilled


def test_stale_listing_is_marked(client, session):
    listing = make_listing(session)
    listing.confirmed_at = utcnow() - timedelta(days=200)
    session.commit()
    assert "Niet recent bevestigd" in client.get(f"/initiatieven/{listing.id}").text


def _mail_links(app) -> dict[str, str]:
    from tests.factories import newest_mail

    body = newest_mail(app.config["MAIL_OUTBOX_DIR"]).get_content()
    return dict(
        zip(
            ("confirm", "edit", "stop"),
            re.findall(r"http://\S+(/initiatieven/actueel/\S+)", body),
            strict=True,
        )
    )


def test_freshness_round_mails_links_that_work_once_without_login(app, client, session):
    listing = make_listing(session)
    listing.confirmed_at = utcnow() - timedelta(days=148)
    session.commit()
    runner = app.test_cli_runner()
    assert "Herinneringen verstuurd: 1" in runner.invoke(args=["freshness"]).output
    links = _mail_links(app)
    assert client.get(links["confirm"]).status_code == 200
    assert client.post(links["confirm"]).status_code == 200
    session.refresh(listing)
    assert utcnow() - listing.confirmed_at.replace(tzinfo=utcnow().tzinfo) < timedelta(minutes=1)
    assert client.post(links["confirm"]).status_code == 400
    assert client.post(links["stop"]).status_code == 400


def test_freshness_token_only_for_its_own_listing_and_expires(session):
    mine, other = make_listing(session), make_listing(session)
    token = freshness.freshness_token(mine, "stop", "secret")
    found = freshness.read_freshness_token(session, token, "secret", max_age=60)
    assert found.listing is mine and found.listing is not other
    tampered = token.replace(token[5], "A" if token[5] != "A" else "B", 1)
    assert freshness.read_freshness_token(session, tampered, "secret", max_age=60) is None
    assert freshness.read_freshness_token(session, token, "secret", max_age=-1) is None


def test_freshness_edit_link_grants_editing_that_listing_only(app, client, session):
    listing, other = make_listing(session), make_listing(session)
    session.commit()
    token = freshness.freshness_token(listing, "edit", app.config["SECRET_KEY"])
    assert client.post(f"/initiatieven/actueel/{token}").status_code == 302
    assert client.get(f"/initiatieven/{listing.id}/bewerken").status_code == 200
    assert client.get(f"/initiatieven/{other.id}/bewerken").status_code == 404


def _client_as(app, session, role, owner, member, outsider):
    """A test client logged in as `role` (the owner, a member, another organisation's member…)."""
    actors = {
        "owner": owner,
        "org_member": member,
        "other_org_member": outsider,
        "resident": make_user(session),
        "officer": make_user(session, Role.OFFICER),
        "admin": make_user(session, Role.ADMIN),
    }
    session.commit()
    client = app.test_client()
    if role != "anonymous":
        client.post("/inloggen", data={"email": actors[role].email, "password": DEFAULT_PASSWORD})
    return client


ROLES = ["anonymous", "owner", "org_member", "other_org_member", "resident", "officer", "admin"]
EDIT = {"owner": 200, "org_member": 200, "admin": 200}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_edit_a_listing(app, session, role):
    member, outsider = make_user(session, Role.ORGANISATION), make_user(session, Role.ORGANISATION)
    organisation = make_organisation(session, members=(member,))
    make_organisation(session, members=(outsider,), name="Andere club")
    owner = make_user(session)
    listing = make_listing(session, owner=owner, organisation_id=organisation.id)
    client = _client_as(app, session, role, owner=owner, member=member, outsider=outsider)
    status = client.get(f"/initiatieven/{listing.id}/bewerken").status_code
    assert status == EDIT.get(role, 404 if role == "anonymous" else 403)
    moderate = client.post(
        f"/initiatieven/{listing.id}/verbergen", data={"note": "Klopt niet"}
    ).status_code
    assert moderate == (
        302 if role in ("officer", "admin") else (302 if role == "anonymous" else 403)
    )
    if role == "anonymous":
        session.refresh(listing)
        assert not listing.hidden


@pytest.mark.parametrize("role", ROLES)
def test_who_may_edit_an_organisation(app, session, role):
    manager, outsider = make_user(session, Role.ORGANISATION), make_user(session, Role.ORGANISATION)
    organisation = make_organisation(session, members=(manager,))
    make_organisation(session, members=(outsider,), name="Andere club")
    client = _client_as(app, session, role, owner=manager, member=manager, outsider=outsider)
    status = client.get(f"/organisaties/{organisation.id}/bewerken").status_code
    expected = {"owner": 200, "org_member": 200, "admin": 200, "anonymous": 302}.get(role, 403)
    assert status == expected
    verify = client.post(f"/organisaties/{organisation.id}/verifieren").status_code
    assert verify == {"officer": 302, "admin": 302, "anonymous": 302}.get(role, 403)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("fietsen", True),
        ("fiets", True),
        ("boodschap", True),
        ("boodschappen", True),
        ("koken", False),
    ],
)
def test_search_understands_dutch(client, session, query, found):
    make_listing(session, title="Fiets en boodschappen", description="Samen naar de markt")
    session.commit()
    assert ("Fiets en boodschappen" in client.get(f"/initiatieven?q={query}").text) is found


def test_search_by_place_is_sorted_by_distance_and_paginated(client, session):
    make_listing(session, place="Heythuysen", title="Verder weg")
    make_listing(session, place="Roggel", title="Dichtbij")
    make_listing(session, place="Nijmegen", title="Buiten bereik")
    session.commit()
    page = client.get("/initiatieven?near=Roggel&radius_km=10").text
    assert page.index("Dichtbij") < page.index("Verder weg")
    assert "Buiten bereik" not in page
    assert "2 resultaten" in page
    first = client.get("/initiatieven?near=Roggel&radius_km=10&per_page=1").text
    assert "Pagina 1 van 2" in first and "page=2" in first


def test_bad_filter_parameters_get_dutch_messages(client, session):
    page = client.get("/initiatieven?near=Atlantis&radius_km=-3").text
    assert "kennen we niet" in page and "Vul een getal in tussen" in page
    assert 'value="Atlantis"' in page


def test_resident_exact_point_never_in_public_html_or_json(client, session):
    resident = make_user(session)
    listing = make_listing(session, owner=resident, point=(51.24712, 5.93371), title="Hulp gezocht")
    session.commit()
    assert (listing.public_lat, listing.public_lon) != (listing.lat, listing.lon)
    exact = [f"{listing.lat}", f"{listing.lon}", "51.2471", "5.9337"]
    for path in [
        "/initiatieven",
        f"/initiatieven/{listing.id}",
        "/initiatieven?near=Roggel",
        "/kaart",
        "/api/v1/geocode?q=Roggel",
    ]:
        body = client.get(path).text
        assert not any(value in body for value in exact), path


def test_my_page_lists_my_listings(client, session, login):
    user = login()
    make_listing(session, owner=user, title="Mijn eigen vraag", status=ListingStatus.DRAFT)
    session.commit()
    page = client.get("/mijn").text
    assert "Mijn eigen vraag" in page and "Concept" in page


def test_kind_filter(client, session):
    make_listing(session, kind=ListingKind.OFFER, title="Een aanbod")
    make_listing(session, kind=ListingKind.NEED, title="Een vraag")
    session.commit()
    page = client.get("/initiatieven?kind=offer").text
    assert "Een aanbod" in page and "Een vraag" not in page


def test_match_explanations_follow_the_readers_language(client, session):
    need = make_listing(session, kind=ListingKind.NEED, title="Boodschappen", themes=("vervoer",))
    make_listing(session, kind=ListingKind.OFFER, title="Rijdienst", themes=("vervoer",))
    session.commit()
    assert "zelfde dorp · zelfde thema: vervoer" in client.get(f"/initiatieven/{need.id}").text
    client.set_cookie("taal", "en")
    english = client.get(f"/initiatieven/{need.id}").text
    assert "same village · same theme: vervoer" in english and "zelfde" not in english


def test_an_empty_submit_reports_every_problem_at_once(client, session, login, themes):
    login()
    page = client.post("/initiatieven/nieuw", data={"action": "publish"}).text
    for message in (
        "Kies wat u wilt plaatsen.",
        "Geef uw vraag of aanbod een korte titel.",
        "Kies minstens één thema.",
        "Vul een plaats of postcode in, of klik op de kaart waar het is.",
    ):
        assert message in page
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert "Wat wilt u plaatsen?:" not in summary and summary.count("<li>") == 4
    assert page.count("(verplicht)") >= 4, "the place is marked as required too"


def test_an_organisation_account_posts_for_its_organisation_by_default(client, session, login):
    user = login(Role.ORGANISATION)
    organisation = make_organisation(session, members=(user,), name="Kulturhus Olst")
    session.commit()
    page = client.get("/initiatieven/nieuw").text
    assert re.search(rf'<option selected value="{organisation.id}">Kulturhus Olst', page)


def test_places_taken_show_on_the_result_cards(client, session, login, themes):
    owner = login()
    organisation = make_organisation(session, members=(owner,), wheelchair_access=True)
    session.commit()
    form = {**FORM, "kind": "resource", "title": "Zaal voor dagbesteding", "capacity": "10",
            "organisation_id": str(organisation.id)}  # fmt: skip
    too_many = client.post("/initiatieven/nieuw", data={**form, "spots_taken": "11"})
    assert too_many.status_code == 400 and "niet meer plekken bezet" in too_many.text
    assert client.post("/initiatieven/nieuw", data={**form, "spots_taken": "9"}).status_code == 302
    card = client.get("/initiatieven").text
    assert "nog 1 plek vrij" in card and "✓ rolstoel" in card
