"""The matching engine on hand-made cases in real places (Roggel, Heythuysen, Helden, Weert,
Nijmegen), on whichever database the suite runs on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.domain.matching import (
    LISTING,
    ORGANISATION,
    VOLUNTEER,
    explanation,
    find_candidates,
    persist_suggestions,
)
from portal.domain.places.gazetteer import default_gazetteer, haversine_km
from portal.domain.wording import kilometres
from portal.models import (
    AreaKind,
    ListingKind,
    ListingStatus,
    Match,
    MatchStatus,
    OrganisationKind,
    ScheduleKind,
)
from portal.models.base import utcnow
from portal.ops import synthetic

from ..factories import make_listing, make_organisation, make_volunteer

OFFER, NEED, RESOURCE = ListingKind.OFFER, ListingKind.NEED, ListingKind.RESOURCE


def ids(candidates, kind):
    """The ids of one side, in ranked order."""
    return [candidate.id for candidate in candidates if candidate.kind == kind]


def only(candidates, kind, candidate_id):
    """The one candidate of this side with this id."""
    (found,) = [c for c in candidates if c.kind == kind and c.id == candidate_id]
    return found


def next_weekday(weekday: int) -> date:
    """The first date after today that falls on `weekday` (0 = Monday)."""
    today = utcnow().date()
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def open_match(session, listing, volunteer, status=MatchStatus.CONTACTED):
    """A match of the volunteer with another need, in the given status."""
    match = Match(
        listing_id=listing.id,
        volunteer_profile_id=volunteer.id,
        status=status,
        score=0.5,
        distance_km=1.0,
        explanation="eerder",
        contacted_at=None if status is MatchStatus.SUGGESTED else utcnow(),
    )
    session.add(match)
    session.flush()
    return match


def test_need_ranks_a_volunteer_in_the_village_above_one_far_away(session):
    need = make_listing(session, kind=NEED, place="Roggel")
    far = make_volunteer(session, place="Nijmegen", travel_radius_km=100)
    near = make_volunteer(session, place="Roggel")

    candidates = find_candidates(session, need)

    assert ids(candidates, VOLUNTEER) == [near.id, far.id]
    assert only(candidates, VOLUNTEER, far.id).explanation.startswith("65 km · ")


def test_candidates_outside_their_reach_never_appear(session):
    need = make_listing(session, kind=NEED, place="Roggel")
    make_volunteer(session, place="Weert", travel_radius_km=10)  # 15 km away
    make_listing(session, kind=OFFER, place="Weert", radius_km=10)
    make_listing(session, kind=OFFER, place="Heythuysen", radius_km=1)  # 2 km away
    reaching = make_listing(session, kind=OFFER, place="Weert", radius_km=20)

    candidates = find_candidates(session, need)

    assert ids(candidates, VOLUNTEER) == []
    assert ids(candidates, LISTING) == [reaching.id]


def test_candidates_without_a_shared_theme_never_appear(session):
    need = make_listing(session, kind=NEED, place="Roggel", themes=("naoberzorg",))
    make_volunteer(session, place="Roggel", themes=("vervoer",))
    make_listing(session, kind=OFFER, place="Roggel", themes=("klussen", "vervoer"))
    make_organisation(session, place="Roggel", themes=("dagbesteding",))

    assert find_candidates(session, need) == []


def test_unpublished_hidden_and_paused_candidates_never_appear(session):
    need = make_listing(session, kind=NEED, place="Roggel")
    make_listing(session, kind=OFFER, status=ListingStatus.CLOSED)
    make_listing(session, kind=OFFER, status=ListingStatus.DRAFT)
    make_listing(session, kind=OFFER, status=ListingStatus.EXPIRED)
    make_listing(session, kind=OFFER).hidden = True
    make_volunteer(session, place="Roggel", paused=True)
    session.flush()

    assert find_candidates(session, need) == []


def test_other_needs_are_not_candidates_for_a_need(session):
    need = make_listing(session, kind=NEED)
    make_listing(session, kind=NEED)
    resource = make_listing(session, kind=RESOURCE)

    assert ids(find_candidates(session, need), LISTING) == [resource.id]


def test_a_full_activity_drops_out(session):
    need = make_listing(session, kind=NEED, place="Roggel")
    full = make_listing(session, kind=OFFER, capacity=5)
    full.spots_taken = 5
    free = make_listing(session, kind=OFFER, capacity=5)
    free.spots_taken = 4
    session.flush()

    assert ids(find_candidates(session, need), LISTING) == [free.id]


def test_a_volunteer_at_their_maximum_of_open_matches_drops_out(session):
    need = make_listing(session, kind=NEED, place="Roggel")
    other_need = make_listing(session, kind=NEED, place="Roggel")
    busy = make_volunteer(session, place="Roggel", max_open_matches=1)
    suggested_only = make_volunteer(session, place="Roggel", max_open_matches=1)
    open_match(session, other_need, busy, MatchStatus.CONTACTED)
    open_match(session, other_need, suggested_only, MatchStatus.SUGGESTED)

    assert ids(find_candidates(session, need), VOLUNTEER) == [suggested_only.id]


def test_open_matches_rank_a_busy_volunteer_lower(session):
    need = make_listing(session, kind=NEED, place="Roggel")
    other_need = make_listing(session, kind=NEED, place="Roggel")
    busy = make_volunteer(session, place="Roggel", max_open_matches=3)
    idle = make_volunteer(session, place="Roggel", max_open_matches=3)
    open_match(session, other_need, busy, MatchStatus.ACCEPTED)

    candidates = find_candidates(session, need)

    assert ids(candidates, VOLUNTEER) == [idle.id, busy.id]
    assert only(candidates, VOLUNTEER, busy.id).score_parts["load"] < 0.1


def test_weekly_availability_overlap_changes_the_order(session):
    need = make_listing(
        session, kind=NEED, schedule_kind=ScheduleKind.WEEKLY, weekly_slots=("tue-morning",)
    )
    other_days = make_volunteer(session, place="Roggel", availability=["sat-afternoon"])
    tuesdays = make_volunteer(session, place="Roggel", availability=["tue-morning", "sat-morning"])

    candidates = find_candidates(session, need)

    assert ids(candidates, VOLUNTEER) == [tuesdays.id, other_days.id]
    assert only(candidates, VOLUNTEER, tuesdays.id).explanation.endswith("beiden dinsdagochtend")
    assert only(candidates, VOLUNTEER, other_days.id).explanation.endswith("andere dagdelen")


def test_a_one_off_date_outside_availability_ranks_lower(session):
    tuesday = next_weekday(1)
    need = make_listing(session, kind=NEED, schedule_kind=ScheduleKind.ONCE, event_date=tuesday)
    saturdays = make_volunteer(session, place="Roggel", availability=["sat-morning"])
    no_schedule = make_volunteer(session, place="Roggel", availability=[])
    tuesdays = make_volunteer(session, place="Roggel", availability=["tue-evening"])

    candidates = find_candidates(session, need)

    assert ids(candidates, VOLUNTEER) == [tuesdays.id, no_schedule.id, saturdays.id]
    assert "kan op dinsdagavond" in only(candidates, VOLUNTEER, tuesdays.id).explanation
    assert "niet op dinsdag" in only(candidates, VOLUNTEER, saturdays.id).explanation


def test_more_shared_themes_rank_higher(session):
    need = make_listing(session, kind=NEED, themes=("naoberzorg", "vervoer"))
    one = make_volunteer(session, place="Roggel", themes=("naoberzorg",))
    both = make_volunteer(session, place="Roggel", themes=("vervoer", "naoberzorg"))

    candidates = find_candidates(session, need)

    assert ids(candidates, VOLUNTEER) == [both.id, one.id]
    assert only(candidates, VOLUNTEER, both.id).shared_themes == ("naoberzorg", "vervoer")
    assert (
        "zelfde thema's: naoberzorg en vervoer" in only(candidates, VOLUNTEER, both.id).explanation
    )


def test_working_area_by_municipality(session):
    need = make_listing(session, kind=NEED, place="Roggel")  # Leudal
    leudal = make_listing(
        session, kind=OFFER, place="Heythuysen", radius_km=0.5, area_kind=AreaKind.MUNICIPALITY
    )
    make_listing(  # Helden lies in Peel en Maas
        session, kind=OFFER, place="Helden", radius_km=50, area_kind=AreaKind.MUNICIPALITY
    )

    assert ids(find_candidates(session, need), LISTING) == [leudal.id]


def test_working_area_by_chosen_villages(session):
    need = make_listing(session, kind=NEED, place="Roggel")
    roggel, helden = (default_gazetteer().lookup(name).best.key for name in ("Roggel", "Helden"))
    chosen = make_listing(
        session, kind=OFFER, place="Heythuysen", radius_km=0.5,
        area_kind=AreaKind.VILLAGES, area_places=(helden, roggel),
    )  # fmt: skip
    make_listing(
        session, kind=OFFER, place="Heythuysen", radius_km=50,
        area_kind=AreaKind.VILLAGES, area_places=(helden,),
    )  # fmt: skip

    assert ids(find_candidates(session, need), LISTING) == [chosen.id]


def test_explanation_names_the_real_distance_and_the_themes(session):
    need = make_listing(
        session, kind=NEED, schedule_kind=ScheduleKind.WEEKLY, weekly_slots=("tue-morning",)
    )
    volunteer = make_volunteer(session, place="Heythuysen", availability=["tue-morning"])

    (candidate,) = find_candidates(session, need)

    distance = haversine_km(need.lat, need.lon, volunteer.public_lat, volunteer.public_lon)
    assert candidate.distance_km == round(distance, 1) == 2.3
    assert candidate.explanation == "2,3 km · zelfde thema: naoberzorg · beiden dinsdagochtend"
    assert candidate.place_name == "Heythuysen"
    assert candidate.shared_themes == ("naoberzorg",)
    assert sum(candidate.score_parts.values()) == pytest.approx(candidate.score, abs=1e-3)


def test_a_volunteer_distance_comes_from_their_village_not_their_home(session):
    need = make_listing(session, kind=NEED, place="Heythuysen")
    home = (51.2500, 5.9400)  # just east of Roggel, ~3 km from Heythuysen's centre
    volunteer = make_volunteer(session, point=home)

    (candidate,) = find_candidates(session, need)

    village = (volunteer.public_lat, volunteer.public_lon)
    assert village != home
    assert candidate.distance_km == round(haversine_km(need.lat, need.lon, *village), 1)
    assert candidate.distance_km != round(haversine_km(need.lat, need.lon, *home), 1)
    assert candidate.place_name == volunteer.place_name


def test_organisations_within_their_reach_are_partners(session):
    need = make_listing(session, kind=NEED, place="Roggel", themes=("naoberzorg",))
    verified = make_organisation(session, place="Weert", themes=("naoberzorg",), verified=True)
    plain = make_organisation(session, place="Weert", themes=("naoberzorg",))
    make_organisation(session, place="Nijmegen", themes=("naoberzorg",))

    candidates = find_candidates(session, need)

    assert ids(candidates, ORGANISATION) == [verified.id, plain.id]
    assert only(candidates, ORGANISATION, verified.id).explanation.endswith("geverifieerd")


def test_public_pages_can_leave_volunteers_out(session):
    need = make_listing(session, kind=NEED)
    make_volunteer(session, place="Roggel")
    offer = make_listing(session, kind=OFFER)

    candidates = find_candidates(session, need, sides=(LISTING, ORGANISATION))

    assert [(c.kind, c.id) for c in candidates] == [(LISTING, offer.id)]


def test_a_volunteer_sees_the_needs_they_can_reach(session):
    volunteer = make_volunteer(session, place="Roggel", travel_radius_km=10)
    here = make_listing(session, kind=NEED, place="Roggel")
    helden = make_listing(session, kind=NEED, place="Helden")  # 9.9 km
    make_listing(session, kind=NEED, place="Weert")  # 15 km
    make_listing(session, kind=NEED, place="Roggel", status=ListingStatus.CLOSED)
    make_listing(session, kind=OFFER, place="Roggel")
    make_listing(session, kind=NEED, place="Roggel", themes=("vervoer",))

    candidates = find_candidates(session, volunteer)

    assert ids(candidates, LISTING) == [here.id, helden.id]
    assert {c.kind for c in candidates} == {LISTING}


def test_an_offer_finds_who_looks_for_it_within_its_area(session):
    offer = make_listing(session, kind=OFFER, place="Roggel", radius_km=5)
    near = make_listing(session, kind=NEED, place="Heythuysen")
    make_listing(session, kind=NEED, place="Weert")
    make_listing(session, kind=OFFER, place="Roggel")
    organisation = make_organisation(session, place="Heythuysen", themes=("naoberzorg",))

    candidates = find_candidates(session, offer)

    assert ids(candidates, LISTING) == [near.id]
    assert ids(candidates, ORGANISATION) == [organisation.id]
    assert ids(candidates, VOLUNTEER) == []


def test_an_offer_for_its_municipality_finds_needs_anywhere_in_it(session):
    offer = make_listing(
        session, kind=OFFER, place="Heythuysen", radius_km=0.5, area_kind=AreaKind.MUNICIPALITY
    )
    roggel = make_listing(session, kind=NEED, place="Roggel")
    make_listing(session, kind=NEED, place="Helden")

    assert ids(find_candidates(session, offer), LISTING) == [roggel.id]


def test_an_offer_for_chosen_villages_finds_needs_there(session):
    helden = default_gazetteer().lookup("Helden").best.key
    offer = make_listing(
        session, kind=OFFER, place="Roggel", radius_km=50,
        area_kind=AreaKind.VILLAGES, area_places=(helden,),
    )  # fmt: skip
    there = make_listing(session, kind=NEED, place="Helden")
    make_listing(session, kind=NEED, place="Roggel")

    assert ids(find_candidates(session, offer), LISTING) == [there.id]


def test_an_organisation_finds_partners_nearby(session):
    organisation = make_organisation(
        session, kind=OrganisationKind.VILLAGE_COUNCIL, place="Roggel", themes=("naoberzorg",)
    )
    need = make_listing(session, kind=NEED, place="Heythuysen")
    offer = make_listing(session, kind=OFFER, place="Weert")
    make_listing(session, kind=RESOURCE, place="Roggel")
    make_listing(session, kind=NEED, place="Nijmegen")
    make_listing(session, kind=NEED, place="Roggel", organisation_id=organisation.id)

    candidates = find_candidates(session, organisation)

    assert ids(candidates, LISTING) == [need.id, offer.id]


def test_persisting_suggestions_leaves_contacted_matches_alone(session):
    need = make_listing(session, kind=NEED)
    volunteer = make_volunteer(session, place="Roggel")
    offer = make_listing(session, kind=OFFER)
    contacted = Match(
        listing_id=need.id,
        candidate_listing_id=offer.id,
        status=MatchStatus.CONTACTED,
        score=0.1,
        distance_km=9.0,
        explanation="eerder contact",
    )
    session.add(contacted)
    session.flush()

    candidates = find_candidates(session, need)
    assert persist_suggestions(session, need, candidates) == 1
    assert persist_suggestions(session, need, candidates) == 1

    matches = session.scalars(select(Match).where(Match.listing_id == need.id)).all()
    assert len(matches) == 2
    suggested = next(m for m in matches if m.volunteer_profile_id == volunteer.id)
    assert suggested.status is MatchStatus.SUGGESTED
    assert suggested.explanation == only(candidates, VOLUNTEER, volunteer.id).explanation
    assert (contacted.status, contacted.score) == (MatchStatus.CONTACTED, 0.1)


def test_persisting_suggestions_is_for_needs(session):
    offer = make_listing(session, kind=OFFER)
    with pytest.raises(ValueError, match="needs"):
        persist_suggestions(session, offer, [])


def test_a_subject_without_themes_has_no_candidates(session):
    need = make_listing(session, kind=NEED, themes=())
    make_volunteer(session, place="Roggel")
    assert find_candidates(session, need) == []


def test_synthetic_data_is_matched_best_first_and_leaves_ids_usable(session):
    counts = synthetic.generate(session, 400, seed=3)
    need = make_listing(session, kind=NEED, place="Utrecht", themes=("naoberzorg", "klussen"))

    candidates = find_candidates(session, need, limit=5)

    assert counts == synthetic.SyntheticCounts(400, 4, 400, 400)
    assert {c.kind for c in candidates} >= {LISTING, VOLUNTEER}
    for kind in (LISTING, VOLUNTEER):
        scores = [c.score for c in candidates if c.kind == kind]
        assert 0 < len(scores) <= 5
        assert scores == sorted(scores, reverse=True)
    assert all({"naoberzorg", "klussen"} & set(c.shared_themes) for c in candidates)


@pytest.mark.parametrize(
    ("km", "dutch", "english"),
    [(0.04, "< 0,1 km", "< 0.1 km"), (2.14, "2,1 km", "2.1 km"), (9.96, "10 km", "10 km"),
     (35.4, "35 km", "35 km")],
)  # fmt: skip
def test_kilometres_in_each_language(km, dutch, english):
    assert kilometres(km, "nl") == dutch and kilometres(km, "en") == english


def test_an_explanation_reads_in_dutch_and_in_english(session):
    day = next_weekday(1)
    need = make_listing(
        session, kind=NEED, place="Roggel", themes=("vervoer", "naoberzorg"),
        contributions=["materials"], schedule_kind=ScheduleKind.ONCE, event_date=day,
        weekly_slots=["tue-morning"],
    )  # fmt: skip
    offer = make_listing(
        session, kind=RESOURCE, place="Heythuysen", themes=("vervoer",), radius_km=20,
        contributions=["materials"], schedule_kind=ScheduleKind.WEEKLY,
        weekly_slots=["tue-morning", "thu-evening"],
    )  # fmt: skip
    found = only(find_candidates(session, need), LISTING, offer.id)
    dutch, english = explanation(found.reasons, "nl"), explanation(found.reasons, "en")
    assert found.explanation == dutch
    assert dutch.startswith("biedt spullen aan · ") and "zelfde thema: vervoer" in dutch
    assert "kan op dinsdagochtend " in dutch
    assert english.startswith("offers materials · ") and "same theme: vervoer" in english
    assert "Tuesday morning" in english and "dinsdag" not in english


def test_a_need_for_materials_is_shown_free_materials_under_other_themes(session):
    need = make_listing(
        session, kind=NEED, place="Roggel", themes=("ontmoeting-eenzaamheid",),
        contributions=["money", "materials"],
    )  # fmt: skip
    builder = make_listing(
        session, kind=RESOURCE, place="Heythuysen", themes=("wonen", "klussen"),
        contributions=["materials"], radius_km=20,
    )  # fmt: skip
    unrelated = make_listing(
        session, kind=RESOURCE, place="Heythuysen", themes=("wonen",), radius_km=20
    )
    room = make_listing(
        session, kind=RESOURCE, place="Weert", themes=("ontmoeting-eenzaamheid",),
        contributions=["space"], radius_km=30,
    )  # fmt: skip
    candidates = find_candidates(session, need)
    assert ids(candidates, LISTING)[0] == builder.id
    assert unrelated.id not in ids(candidates, LISTING) and room.id in ids(candidates, LISTING)
    assert only(candidates, LISTING, builder.id).explanation.startswith("biedt spullen aan · ")


def test_free_materials_find_the_needs_that_ask_for_them(session):
    need = make_listing(
        session, kind=NEED, place="Roggel", themes=("ontmoeting-eenzaamheid",),
        contributions=["materials"],
    )  # fmt: skip
    builder = make_listing(
        session, kind=RESOURCE, place="Heythuysen", themes=("klussen",),
        contributions=["materials"], radius_km=20,
    )  # fmt: skip
    found = only(find_candidates(session, builder), LISTING, need.id)
    assert found.explanation.startswith("vraagt spullen · ")


def test_what_a_need_asks_for_weighs_as_much_as_its_theme(session):
    need = make_listing(session, kind=NEED, place="Roggel", contributions=["space"])
    room = make_listing(session, kind=RESOURCE, place="Roggel", contributions=["space"])
    talk = make_listing(session, kind=OFFER, place="Roggel", contributions=["help"])
    candidates = find_candidates(session, need)
    assert ids(candidates, LISTING) == [room.id, talk.id]
    assert only(candidates, LISTING, room.id).score_parts["asks"] == pytest.approx(0.2)
    assert only(candidates, LISTING, talk.id).score_parts["asks"] == 0.0
