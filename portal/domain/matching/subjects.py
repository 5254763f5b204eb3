"""A listing, volunteer profile or organisation as plain values, and which sides it meets."""

from __future__ import annotations

from ...models import (
    Listing,
    ListingKind,
    Organisation,
    VolunteerProfile,
)
from ..catalogue.schedule import clean
from .sql import LISTINGS, ORGANISATIONS, VOLUNTEERS
from .values import (
    ORGANISATION,
    ORGANISATION_REACH_KM,
    VOLUNTEER,
    VOLUNTEER_BRINGS,
    Plan,
    Reach,
    Schedule,
    Subject,
    listing_reach,
    listing_schedule,
)

# --- subjects ------------------------------------------------------------------------------


def plain_subject(subject: Listing | VolunteerProfile | Organisation) -> Subject | None:
    """The subject as plain values, or None when it has no location to match from."""
    if subject.public_lat is None or subject.public_lon is None:
        return None
    if isinstance(subject, Listing):
        schedule = listing_schedule(subject.schedule_kind, subject.event_date, subject.weekly_slots)
        reach = listing_reach(
            subject.area_kind, subject.radius_km, subject.municipality, subject.area_places
        )
        ids = {"owner_id": subject.owner_id, "organisation_id": subject.organisation_id}
        return _subject(
            subject, subject.kind.value, schedule, reach, listing_id=subject.id,
            contributions=frozenset(subject.contributions or ()), **ids,
        )  # fmt: skip
    if isinstance(subject, VolunteerProfile):
        schedule = Schedule(clean(subject.availability))
        reach = Reach.around(subject.travel_radius_km)
        return _subject(
            subject, VOLUNTEER, schedule, reach, owner_id=subject.user_id,
            contributions=VOLUNTEER_BRINGS,
        )  # fmt: skip
    reach = Reach.around(ORGANISATION_REACH_KM)
    return _subject(subject, ORGANISATION, Schedule(), reach, organisation_id=subject.id)


def _subject(subject, kind: str, schedule: Schedule, reach: Reach, **values) -> Subject:
    return Subject(
        kind=kind,
        lat=subject.public_lat,
        lon=subject.public_lon,
        place_key=subject.place_key,
        municipality=subject.municipality,
        themes={theme.id: (theme.slug, theme.label_nl, theme.label_en) for theme in subject.themes},
        schedule=schedule,
        reach=reach,
        **values,
    )


def plans(subject: Subject) -> list[Plan]:
    """The complementary sides of a subject, and whose working area decides."""
    organisations = Plan(ORGANISATIONS, reach=Reach.around(ORGANISATION_REACH_KM))
    if subject.kind == ListingKind.NEED.value:
        offers = (ListingKind.OFFER, ListingKind.RESOURCE)
        return [Plan(LISTINGS, offers), Plan(VOLUNTEERS), organisations]
    if subject.kind == VOLUNTEER:
        return [Plan(LISTINGS, (ListingKind.NEED,), subject.reach)]
    if subject.kind == ORGANISATION:
        return [Plan(LISTINGS, (ListingKind.NEED, ListingKind.OFFER), subject.reach)]
    return [Plan(LISTINGS, (ListingKind.NEED,), subject.reach), organisations]
