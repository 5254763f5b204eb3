"""Words people write for organisation and listing kinds, read from templates and HSDS alike."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from ....models import ListingKind, OrganisationKind
from ...places.gazetteer import normalise

K = TypeVar("K", bound=Enum)


def _words(kinds: type[K], words: dict[str, K]) -> dict[str, K]:
    """Each kind's own value and the words for it, forgiving case, accents and spacing."""
    every = {**{kind.value: kind for kind in kinds}, **words}
    return {normalise(word): kind for word, kind in every.items()}


ORG_KIND_OPTIONS = (
    "kulturhus, zorgaanbieder, welzijn, plaatselijk belang, burgerinitiatief, gemeente, school, "
    "ondernemer, fonds"
)
ORG_KIND_WORDS = _words(OrganisationKind, {
    "kulturhus": OrganisationKind.KULTURHUS, "dorpshuis": OrganisationKind.KULTURHUS,
    "mfc": OrganisationKind.KULTURHUS, "zorgaanbieder": OrganisationKind.CARE_PROVIDER,
    "welzijn": OrganisationKind.WELFARE, "welzijnsorganisatie": OrganisationKind.WELFARE,
    "plaatselijk belang": OrganisationKind.VILLAGE_COUNCIL,
    "dorpsraad": OrganisationKind.VILLAGE_COUNCIL,
    "burgerinitiatief": OrganisationKind.CITIZEN_INITIATIVE,
    "vereniging": OrganisationKind.CITIZEN_INITIATIVE, "gemeente": OrganisationKind.MUNICIPALITY,
    "wijkteam": OrganisationKind.MUNICIPALITY, "school": OrganisationKind.SCHOOL,
    "ondernemer": OrganisationKind.BUSINESS, "bedrijf": OrganisationKind.BUSINESS,
    "fonds": OrganisationKind.FUND,
})  # fmt: skip
LISTING_KIND_OPTIONS = "aanbod, vraag, middelen"
LISTING_KIND_WORDS = _words(ListingKind, {
    "aanbod": ListingKind.OFFER, "vraag": ListingKind.NEED, "middelen": ListingKind.RESOURCE,
})  # fmt: skip
