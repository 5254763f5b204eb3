"""Between the listing form and the domain's ListingInput (both directions)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _

from ..domain.catalogue.listings import ConsentInput, ListingInput
from ..domain.catalogue.schedule import slot_choices
from ..domain.catalogue.themes import theme_choices
from ..domain.places import geography
from ..domain.places.gazetteer import default_gazetteer
from ..domain.places.moves import stored_location
from ..extensions import db
from ..locating import location_to_save
from ..models import (
    AccessRoute,
    AreaKind,
    Involvement,
    Listing,
    ListingKind,
    Membership,
    Role,
    ScheduleKind,
    User,
)
from .forms import ListingForm


def prepare_form(form: ListingForm, user: User, listing: Listing | None = None) -> ListingForm:
    """Fill the choices that depend on the database and the user."""
    locale = str(get_locale())
    form.themes.choices = theme_choices(db.session, locale)
    form.weekly_slots.choices = slot_choices(locale)
    organisations = [membership.organisation for membership in _memberships(user)]
    if listing is not None and listing.organisation and listing.organisation not in organisations:
        organisations.append(listing.organisation)
    form.organisation_id.choices = [("", _("Mijzelf"))] + [
        (str(organisation.id), organisation.name) for organisation in organisations
    ]
    posts_for_it = listing is None and organisations and user.role is Role.ORGANISATION
    if posts_for_it and not form.is_submitted():  # an organisation account posts for it
        form.organisation_id.data = str(organisations[0].id)
    return form


def _memberships(user: User):
    return db.session.scalars(db.select(Membership).where(Membership.user_id == user.id))


def form_to_input(
    form: ListingForm, mover: User, listing: Listing | None = None
) -> ListingInput | None:
    """The submitted form as a ListingInput, or None with every problem at its field at once
    (the place too, not only after the other fields are right).

    `mover` is who saves (their moves of the hour are counted), `listing` the one edited.
    """
    valid = form.validate()
    location = location_to_save(form, mover.id, stored_location(listing))
    villages = _village_keys(form)
    if not valid or location is None or villages is None:
        return None
    return ListingInput(
        kind=ListingKind(form.kind.data),
        title=form.title.data.strip(),
        description=(form.description.data or "").strip(),
        theme_slugs=tuple(form.themes.data),
        location=location,
        radius_km=form.radius_km.data if form.radius_km.data is not None else 5.0,
        area_kind=AreaKind(form.area_kind.data),
        area_places=villages,
        schedule_kind=ScheduleKind(form.schedule_kind.data),
        event_date=form.event_date.data,
        weekly_slots=tuple(form.weekly_slots.data),
        contributions=tuple(form.contributions.data),
        hours_per_week=form.hours_per_week.data,
        involvement=Involvement(form.involvement.data) if form.involvement.data else None,
        access_route=AccessRoute(form.access_route.data) if form.access_route.data else None,
        reach=tuple(form.reach.data),
        cost=(form.cost.data or "").strip(),
        age_min=form.age_min.data,
        age_max=form.age_max.data,
        capacity=form.capacity.data,
        spots_taken=form.spots_taken.data or 0,
        organisation_id=int(form.organisation_id.data) if form.organisation_id.data else None,
        consent=_consent(form),
    )


def _consent(form: ListingForm) -> ConsentInput | None:
    if not form.on_behalf.data:
        return None
    return ConsentInput(
        resident_reference=form.resident_reference.data.strip(),
        given_by=form.consent_given_by.data.strip(),
        given_on=form.consent_given_on.data,
        purpose=form.consent_purpose.data.strip(),
    )


def _village_keys(form: ListingForm) -> tuple[str, ...] | None:
    """Chosen villages as gazetteer keys; unknown names become an error at the field."""
    if form.area_kind.data != AreaKind.VILLAGES.value:
        return ()
    names = [name.strip() for name in (form.area_villages.data or "").split(",") if name.strip()]
    if not names:
        form.area_villages.errors.append(
            _("Noem minstens één dorp of wijk, gescheiden door komma's.")
        )
        return None
    keys, unknown = [], []
    for name in names:
        found = geography.resolve_offline(name).location
        if found is None:
            unknown.append(name)
        else:
            keys.append(found.place_key)
    if unknown:
        form.area_villages.errors.append(
            _("Deze plaatsen kennen we niet: %(names)s.", names=", ".join(unknown))
        )
        return None
    return tuple(keys)


def fill_form(form: ListingForm, listing: Listing, own: bool) -> None:
    """Show a saved listing in the form; the exact point only to its owner (`own`)."""
    form.process(obj=listing)
    form.kind.data = listing.kind.value
    form.themes.data = [theme.slug for theme in listing.themes]
    form.area_kind.data = listing.area_kind.value
    form.schedule_kind.data = listing.schedule_kind.value
    form.involvement.data = listing.involvement.value if listing.involvement else ""
    form.access_route.data = listing.access_route.value if listing.access_route else ""
    form.organisation_id.data = str(listing.organisation_id or "")
    form.location_query.data = listing.place_name
    if own or listing.exact_location_public:
        form.lat.data, form.lon.data = listing.lat, listing.lon
    else:
        form.lat.data = form.lon.data = None
    form.area_villages.data = ", ".join(
        entry.name for key in listing.area_places if (entry := default_gazetteer().get(key))
    )
    if listing.consent is not None:
        form.on_behalf.data = True
        form.resident_reference.data = listing.consent.resident_reference
        form.consent_given_by.data = listing.consent.given_by
        form.consent_given_on.data = listing.consent.given_on
        form.consent_purpose.data = listing.consent.purpose
