"""Moderation domain: who is trusted, revisions round-trip and diff, the queue's rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from portal.domain.catalogue import listings
from portal.domain.catalogue.listings import ConsentInput, ListingInput
from portal.domain.identity import permissions
from portal.domain.officer import moderation
from portal.models import (
    AreaKind,
    Involvement,
    ListingKind,
    ListingStatus,
    OrganisationKind,
    Role,
    ScheduleKind,
    Wish,
)
from portal.models.base import utcnow
from tests.factories import location, make_listing, make_organisation, make_theme, make_user


def _input(**changes) -> ListingInput:
    values = {
        "kind": ListingKind.OFFER,
        "title": "Koffie op dinsdag",
        "description": "Iedereen welkom",
        "theme_slugs": ("naoberzorg",),
        "location": location("Roggel"),
        "area_kind": AreaKind.VILLAGES,
        "area_places": ("roggel",),
        "schedule_kind": ScheduleKind.ONCE,
        "event_date": date(2026, 12, 1),
        "involvement": Involvement.CONSULTED,
        "consent": ConsentInput("mevrouw J.", "dochter", date(2026, 11, 1), "boodschappen"),
    }
    return ListingInput(**(values | changes))


def test_listing_input_survives_json():
    data = _input()
    assert listings.input_from_json(listings.input_to_json(data)) == data
    assert listings.input_from_json(listings.input_to_json(_input(consent=None))).consent is None


def test_changes_lists_only_changed_fields(session):
    make_theme(session, "naoberzorg")
    author = make_user(session)
    listing = make_listing(session, owner=author, title="Oud", description="Oude tekst")
    data = listings.input_of(listing)
    revision = moderation.submit_revision(
        session, listing, author, replace(data, title="Nieuw"), utcnow()
    )
    assert [(c.name, c.old, c.new) for c in moderation.changes(revision)] == [
        ("title", "Oud", "Nieuw")
    ]


@pytest.mark.parametrize(
    ("role", "verified_member", "status", "needs_review"),
    [
        (Role.RESIDENT, False, ListingStatus.PUBLISHED, True),
        (Role.ORGANISATION, False, ListingStatus.PUBLISHED, True),
        (Role.ORGANISATION, True, ListingStatus.PUBLISHED, False),
        (Role.OFFICER, False, ListingStatus.PUBLISHED, False),
        (Role.ADMIN, False, ListingStatus.PUBLISHED, False),
        (Role.RESIDENT, False, ListingStatus.DRAFT, False),
    ],
)
def test_edit_needs_review_rule(session, role, verified_member, status, needs_review):
    user = make_user(session, role)
    club = make_organisation(session, members=(user,), verified=verified_member)
    listing = make_listing(session, owner=user, organisation_id=club.id, status=status)
    assert permissions.edit_needs_review(user, listing) is needs_review


def test_closed_listing_that_was_public_still_needs_review(session):
    user = make_user(session)
    listing = make_listing(session, owner=user)
    listings.close(listing, utcnow())
    assert permissions.edit_needs_review(user, listing)


def test_member_of_another_verified_organisation_is_not_trusted_for_this_listing(session):
    user = make_user(session, Role.ORGANISATION)
    make_organisation(session, members=(user,), verified=True, name="Andere club")
    listing = make_listing(session, owner=user)
    assert permissions.edit_needs_review(user, listing)


def test_wish_places_for_each_kind_of_user(session):
    officer, member, outsider = (
        make_user(session, Role.OFFICER),
        make_user(session),
        make_user(session),
    )
    make_organisation(
        session, kind=OrganisationKind.VILLAGE_COUNCIL, place="Roggel", members=(member,),
        verified=True,
    )  # fmt: skip
    make_organisation(session, kind=OrganisationKind.KULTURHUS, members=(outsider,), verified=True)
    roggel = location("Roggel").place_key
    assert permissions.wish_places(session, officer) is None
    assert permissions.wish_places(session, member) == {roggel}
    assert permissions.wish_places(session, outsider) == frozenset()
    wish = Wish(body="Een bankje", place_key=roggel, place_name="Roggel", municipality="Leudal")
    assert permissions.can_moderate_wish(session, member, wish)
    assert not permissions.can_moderate_wish(session, outsider, wish)


def test_queue_sections_follow_their_rules(session):
    now = utcnow()
    resident = make_user(session)
    first = make_listing(session, owner=resident, title="Eerste")
    make_listing(session, owner=resident, title="Tweede")
    officer = make_user(session, Role.OFFICER)
    make_listing(session, owner=officer, title="Van de gemeente")
    stale = make_listing(session, title="Oud")
    stale.confirmed_at = now - timedelta(days=200)
    session.flush()
    queue = moderation.build_queue(session, now, 150, officer)
    assert first in queue.first_listings
    assert {listing.title for listing in queue.first_listings} == {"Eerste", "Oud"}
    assert [item.listing for item in queue.stale] == [stale]
    assert moderation.build_queue(session, now, 150, officer, mine_only=True).stale == []
    moderation.assign(session, stale, officer, now)
    session.flush()
    assert [i.assignee for i in moderation.build_queue(session, now, 150, officer).stale] == [
        officer
    ]


def test_author_notices(session):
    author = make_user(session)
    listing = make_listing(session, owner=author)
    assert moderation.notices_for(session, [listing])[listing.id] == moderation.AuthorNotice()
    revision = moderation.submit_revision(
        session, listing, author, listings.input_of(listing), utcnow()
    )
    assert moderation.notices_for(session, [listing])[listing.id].pending
    officer = make_user(session, Role.OFFICER)
    moderation.reject_revision(session, revision, officer, "Te vaag", utcnow())
    moderation.hide_listing(session, listing, officer, "Reclame")
    session.flush()
    notice = moderation.notices_for(session, [listing])[listing.id]
    assert notice == moderation.AuthorNotice(rejected_reason="Te vaag", hidden_reason="Reclame")
