"""Human labels (Dutch first) for the domain's enums, used by forms and templates."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from .domain.catalogue.schedule import slot_label
from .domain.officer.partners import RESIDENT_KIND
from .domain.places.gazetteer import default_gazetteer
from .domain.web_addresses import is_web_address
from .models import (
    AccessRoute,
    AreaKind,
    Involvement,
    ListingKind,
    ListingStatus,
    MatchStatus,
    OrganisationKind,
    Role,
    ScheduleKind,
)

LABELS = {
    Role.RESIDENT: _l("Bewoner"),
    Role.ORGANISATION: _l("Organisatie"),
    Role.OFFICER: _l("Medewerker gemeente"),
    Role.ADMIN: _l("Beheerder"),
    OrganisationKind.KULTURHUS: _l("Kulturhus / dorpshuis / MFC"),
    OrganisationKind.CARE_PROVIDER: _l("Zorgaanbieder"),
    OrganisationKind.WELFARE: _l("Welzijnsorganisatie"),
    OrganisationKind.VILLAGE_COUNCIL: _l("Plaatselijk belang / dorpsraad"),
    OrganisationKind.CITIZEN_INITIATIVE: _l("Burgerinitiatief / vereniging"),
    OrganisationKind.MUNICIPALITY: _l("Gemeente / wijkteam"),
    OrganisationKind.SCHOOL: _l("School"),
    OrganisationKind.BUSINESS: _l("Ondernemer / bedrijf"),
    OrganisationKind.FUND: _l("Fonds"),
    ListingKind.OFFER: _l("Aanbod"),
    ListingKind.NEED: _l("Vraag"),
    ListingKind.RESOURCE: _l("Ruimte en middelen"),
    ListingStatus.DRAFT: _l("Concept"),
    ListingStatus.PUBLISHED: _l("Gepubliceerd"),
    ListingStatus.CLOSED: _l("Gesloten"),
    ListingStatus.EXPIRED: _l("Verlopen"),
    ScheduleKind.ONCE: _l("Eén keer, op een datum"),
    ScheduleKind.WEEKLY: _l("Elke week"),
    ScheduleKind.ONGOING: _l("Doorlopend"),
    AreaKind.RADIUS: _l("Binnen een straal"),
    AreaKind.VILLAGES: _l("In gekozen dorpen"),
    AreaKind.MUNICIPALITY: _l("In de hele gemeente"),
    Involvement.PART_OF_TEAM: _l("Deel van het team"),
    Involvement.CO_DECIDING: _l("Beslist mee"),
    Involvement.CONSULTED: _l("Wordt geraadpleegd / denkt mee"),
    Involvement.SETUP: _l("Betrokken bij de opzet"),
    Involvement.NOT_INVOLVED: _l("Niet betrokken"),
    MatchStatus.SUGGESTED: _l("Voorgesteld"),
    MatchStatus.CONTACTED: _l("Wacht op antwoord"),
    MatchStatus.ACCEPTED: _l("Geaccepteerd"),
    MatchStatus.DECLINED: _l("Afgewezen"),
    AccessRoute.OPEN: _l("Vrij toegankelijk"),
    AccessRoute.VIA_TEAM: _l("Via het wijkteam of een ondersteuner"),
    AccessRoute.WMO_DECISION: _l("Met een Wmo-beschikking"),
}

CONTRIBUTIONS = {
    "volunteers": _l("Vrijwilligers"),
    "help": _l("Hulp"),
    "hours": _l("Tijd (uren)"),
    "space": _l("Ruimte"),
    "money": _l("Geld"),
    "materials": _l("Spullen of materiaal"),
}
REACH = {
    "venue": _l("Op de locatie"),
    "home": _l("Komt bij u thuis"),
    "pickup": _l("Haalt op en brengt terug"),
}


def label(value) -> str:
    """The label of an enum member (or the value itself when it has none)."""
    return str(LABELS.get(value, value.value if hasattr(value, "value") else value))


def choices(enum_class) -> list[tuple[str, str]]:
    """(value, label) pairs for a select or radio field, in declaration order."""
    return [(member.value, LABELS[member]) for member in enum_class]


def partner_kind_label(value: str) -> str:
    """An organisation kind's label; "resident" is an initiative without an organisation."""
    if value == RESIDENT_KIND:
        return str(_l("Bewonersinitiatief"))
    return label(OrganisationKind(value))


def partner_kind_choices() -> list[tuple[str, str]]:
    """Organisation kinds plus residents' own initiatives, for the dashboard filter."""
    return [*organisation_kind_choices(), (RESIDENT_KIND, partner_kind_label(RESIDENT_KIND))]


def organisation_kind_choices() -> list[tuple[str, str]]:
    return choices(OrganisationKind)


def place_name(key: str) -> str:
    """The name of a gazetteer place key."""
    entry = default_gazetteer().get(key)
    return entry.label if entry else key


def register(app: Flask) -> None:
    """Label filters for templates."""
    filters = app.jinja_env.filters
    filters["label"] = label
    filters["place_name"] = place_name
    filters["listing_kind_label"] = lambda value: label(ListingKind(value))
    filters["involvement_label"] = lambda value: label(Involvement(value))
    filters["partner_kind_label"] = partner_kind_label
    filters["slot_label"] = lambda slot: slot_label(slot, str(get_locale()))
    filters["contribution_label"] = lambda key: str(CONTRIBUTIONS.get(key, key))
    filters["reach_label"] = lambda key: str(REACH.get(key, key))
    app.jinja_env.tests["web_address"] = is_web_address  # only such addresses become links
