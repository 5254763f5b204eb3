"""Our words inside HSDS (taxonomies, kinds, properties, accessibility, weekdays), for both ways."""

from __future__ import annotations

from ....models import ListingKind, OrganisationKind
from ...catalogue.schedule import DAYS

#: ``location.external_identifier_type`` of our gazetteer key, so an import lands in the same village
PLACE_ID_TYPE = "naoberkaart-plaats"

#: Our own taxonomies: code (in taxonomy_term.taxonomy) -> (name, description)
TAXONOMIES: dict[str, tuple[str, str]] = {
    "naoberkaart:thema": (
        "Naoberkaart thema's",
        "Thema's van Naoberkaart. Code = slug, naam = Nederlands label, omschrijving = Engels label.",
    ),
    "naoberkaart:organisatiesoort": (
        "Naoberkaart organisatiesoorten",
        "Soort organisatie: kulturhus, zorgaanbieder, welzijn, plaatselijk belang en meer.",
    ),
    "naoberkaart:soort": ("Naoberkaart soorten aanbod", "Aanbod (offer) of middelen (resource)."),
    "naoberkaart:kenmerk": (
        "Naoberkaart kenmerken",
        "Kenmerken met een waarde in attribute.value: straal-km, capaciteit, toegang, gebied, dorpen.",
    ),
}
THEME, ORG_KIND, LISTING_KIND, PROPERTY = TAXONOMIES

ORG_KIND_NAMES = {
    OrganisationKind.KULTURHUS: "Kulturhus / dorpshuis / MFC",
    OrganisationKind.CARE_PROVIDER: "Zorgaanbieder",
    OrganisationKind.WELFARE: "Welzijnsorganisatie",
    OrganisationKind.VILLAGE_COUNCIL: "Plaatselijk belang / dorpsraad",
    OrganisationKind.CITIZEN_INITIATIVE: "Burgerinitiatief / vereniging",
    OrganisationKind.MUNICIPALITY: "Gemeente / wijkteam",
    OrganisationKind.SCHOOL: "School",
    OrganisationKind.BUSINESS: "Ondernemer / bedrijf",
    OrganisationKind.FUND: "Fonds",
}
LISTING_KIND_NAMES = {ListingKind.OFFER: "Aanbod", ListingKind.RESOURCE: "Middelen"}
#: property term code -> (name, description); the value sits in attribute.value
PROPERTIES = {
    "straal-km": ("Straal in km", "Hoe ver het aanbod reikt, in kilometers."),
    "capaciteit": ("Capaciteit", "Het aantal plaatsen."),
    "toegang": ("Toegang", "open, via_team of wmo_decision."),
    "gebied": ("Gebied", "radius, villages of municipality."),
    "dorpen": ("Dorpen", "De gekozen dorpen (plaatssleutels van Naoberkaart, gescheiden door ;)."),
}
#: accessibility flag -> the description we export and recognise on import
ACCESSIBILITY = {
    "wheelchair_access": "Toegankelijk met een rolstoel",
    "accessible_toilet": "Aangepast toilet",
    "hearing_loop": "Ringleiding",
    "parking": "Parkeren bij de deur",
    "public_transport": "Bushalte of station dichtbij",
}
#: day part -> (opens_at, closes_at) in an exported weekly schedule
DAY_PART_HOURS = {
    "morning": ("09:00:00", "12:00:00"),
    "afternoon": ("12:00:00", "18:00:00"),
    "evening": ("18:00:00", "22:00:00"),
}
RRULE_DAYS = dict(zip(DAYS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))
