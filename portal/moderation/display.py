"""Readable labels and values for the fields of an edit waiting for review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask_babel import format_date, get_locale
from flask_babel import lazy_gettext as _l

from ..domain.catalogue.schedule import slot_label
from ..extensions import db
from ..labels import CONTRIBUTIONS, REACH, label, place_name
from ..models import (
    AccessRoute,
    AreaKind,
    Involvement,
    ListingKind,
    Organisation,
    OrganisationKind,
    ScheduleKind,
    Theme,
)

FIELD_LABELS = {
    "kind": _l("Soort"),
    "title": _l("Titel"),
    "description": _l("Beschrijving"),
    "theme_slugs": _l("Thema's"),
    "location": _l("Plaats"),
    "radius_km": _l("Straal (km)"),
    "area_kind": _l("Werkgebied"),
    "area_places": _l("Dorpen"),
    "schedule_kind": _l("Wanneer"),
    "event_date": _l("Datum"),
    "weekly_slots": _l("Elke week"),
    "contributions": _l("Gevraagd of geboden"),
    "hours_per_week": _l("Uren per week"),
    "involvement": _l("Betrokkenheid bewoners"),
    "access_route": _l("Toegang"),
    "reach": _l("Waar"),
    "cost": _l("Kosten"),
    "age_min": _l("Leeftijd vanaf"),
    "age_max": _l("Leeftijd tot en met"),
    "capacity": _l("Plekken"),
    "spots_taken": _l("Plekken bezet"),
    "organisation_id": _l("Organisatie"),
    "consent": _l("Toestemming"),
    "name": _l("Naam"),
    "website": _l("Website"),
    "contact_email": _l("E-mailadres voor contact"),
    "contact_phone": _l("Telefoonnummer"),
}


def field_label(name: str) -> str:
    """The Dutch (or English) name of a listing field."""
    return str(FIELD_LABELS.get(name, name))


def _enum(enum_class) -> Callable[[str], str]:
    return lambda value: label(enum_class(value))


def _themes(slugs: list[str]) -> str:
    themes = db.session.scalars(db.select(Theme).where(Theme.slug.in_(slugs))).all()
    names = {theme.slug: theme.label(str(get_locale())) for theme in themes}
    return ", ".join(names.get(slug, slug) for slug in slugs)


def _organisation(organisation_id: int) -> str:
    organisation = db.session.get(Organisation, organisation_id)
    return organisation.name if organisation else str(organisation_id)


def _each(show: Callable[[str], str]) -> Callable[[list[str]], str]:
    return lambda values: ", ".join(show(value) for value in values)


SHOW: dict[str, Callable] = {
    "kind": _enum(ListingKind),
    "area_kind": _enum(AreaKind),
    "schedule_kind": _enum(ScheduleKind),
    "involvement": _enum(Involvement),
    "access_route": _enum(AccessRoute),
    "theme_slugs": _themes,
    "location": lambda value: value.get("place_name") or "",
    "area_places": _each(place_name),
    "weekly_slots": _each(lambda slot: slot_label(slot, str(get_locale()))),
    "contributions": _each(lambda key: str(CONTRIBUTIONS.get(key, key))),
    "reach": _each(lambda key: str(REACH.get(key, key))),
    "event_date": lambda value: format_date(date.fromisoformat(value)),
    "organisation_id": _organisation,
    "consent": lambda value: f"{value.get('given_by', '')}, {value.get('given_on', '')}",
}


def field_value(name: str, value: object) -> str:
    """A field's value as people read it; a dash when empty."""
    if value in (None, "", []):
        return "–"
    show = SHOW.get(name)
    return show(value) if show else str(value)


def organisation_field_value(name: str, value: object) -> str:
    """A trusted organisation field's value as people read it; a dash when empty."""
    if value in (None, ""):
        return "–"
    return label(OrganisationKind(value)) if name == "kind" else str(value)
