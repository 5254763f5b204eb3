"""The prikbord: one printable A4 sheet per village for the wall of the kulturhus.

What is offered and asked in and around a village, each with a QR code to its page, and who to
call. Request-free: the caller passes the village (a gazetteer entry), a session and a function
that turns a listing id into its absolute URL.

Privacy: a card carries only what the listing page shows to everyone (title, a short text, the
village, the organisation's name). Residents' names, e-mail addresses, phone numbers and exact
points are never on the sheet; their items are reached through the QR code. Contact details come
from organisations' public profiles only.

The QR codes are SVG built from the URL alone (never from user text), with the `qrcode` package.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import qrcode
import qrcode.constants
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Listing, Organisation, OrganisationKind, ScheduleKind
from ..catalogue.filters import ListingFilter, count
from ..places.gazetteer import POSTCODE, GazetteerEntry, default_gazetteer
from ..places.geography import from_entry

#: "In and around the village": listings whose public point lies this close to its centre.
RADIUS_KM = 5.0
#: Cards per side (offered / asked): with the contacts this fits on two A4 pages.
MAX_PER_SIDE = 6
MAX_CONTACTS = 4
SUMMARY_CHARS = 120
TITLE_CHARS = 80
QR_BORDER = 2  # quiet zone in modules; the card's white padding adds to it
QR_MASK = 2  # fixed (see qr_svg); every mask pattern is valid QR
OFFERED = ("offer", "resource")
ASKED = ("need",)

#: Who to call first: the village's own organisations before care providers and businesses.
_CONTACT_ORDER = (
    OrganisationKind.KULTURHUS,
    OrganisationKind.VILLAGE_COUNCIL,
    OrganisationKind.CITIZEN_INITIATIVE,
    OrganisationKind.WELFARE,
    OrganisationKind.MUNICIPALITY,
    OrganisationKind.CARE_PROVIDER,
)
_NEARBY_ORGANISATIONS = 30


@dataclass(frozen=True)
class Card:
    """One listing on the sheet."""

    listing_id: int
    kind: str
    title: str
    summary: str
    place_name: str
    organisation_name: str
    event_date: date | None
    url: str
    qr: Markup


@dataclass(frozen=True)
class Contact:
    """An organisation's public contact details."""

    name: str
    kind: OrganisationKind
    place_name: str
    address: str
    phone: str
    email: str
    website: str


@dataclass(frozen=True)
class Sheet:
    """Everything one prikbord shows."""

    place_name: str
    municipality: str
    radius_km: float
    offered: tuple[Card, ...]
    asked: tuple[Card, ...]
    more_offered: int
    more_asked: int
    contacts: tuple[Contact, ...]


@functools.lru_cache(maxsize=4096)
def qr_svg(url: str) -> Markup:
    """An inline SVG QR code for a URL (and only a URL: never pass user text here).

    One fixed mask pattern and a hand-drawn path: the encoder's mask search and SVG writer cost
    about 7 ms a code, this about 1 ms, and any reader decodes either. Decorative for screen
    readers: the URL itself is printed next to it.
    """
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=QR_BORDER, mask_pattern=QR_MASK
    )
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    # Safe: the path holds only numbers computed from the code's modules; no text goes in.
    return Markup(  # noqa: S704
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" class="qr" '
        f'aria-hidden="true" focusable="false" shape-rendering="crispEdges">'
        f'<path fill="currentColor" d="{"".join(_dark_runs(matrix))}"/></svg>'
    )


def _dark_runs(matrix: list[list[bool]]):
    """One rectangle per horizontal run of dark modules: "M<x>,<y>H<end>V<y+1>H<x>z"."""
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            end = x
            while end < len(row) and row[end]:
                end += 1
            yield f"M{x},{y}H{end}V{y + 1}H{x}z"
            x = end


def summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first paragraph, cut at a word boundary to at most `limit` characters."""
    first = " ".join((text or "").strip().split("\n\n")[0].split())
    if len(first) <= limit:
        return first
    cut = first[: limit - 1].rsplit(" ", 1)[0].rstrip(",.;:-–")
    return f"{cut}…"


def near_query(entry: GazetteerEntry) -> str:
    """What to type in the list's "near" field to find this village again (for the list link)."""
    if entry.kind == POSTCODE and entry.postcode:
        return entry.postcode
    tries = (entry.label, f"{entry.name}, {entry.municipality}", f"{entry.name}, {entry.province}")
    for text in tries:
        if default_gazetteer().lookup(text).best == entry:
            return text
    return entry.name


def build_sheet(
    session: Session,
    entry: GazetteerEntry,
    listing_url: Callable[[int], str],
    radius_km: float = RADIUS_KM,
) -> Sheet:
    """The prikbord of a village: nearest (then newest) items first, and who to call."""
    centre = from_entry(entry)
    around = ListingFilter(radius_km=radius_km, centre=centre)
    offered, more_offered = _cards(session, around, OFFERED, listing_url)
    asked, more_asked = _cards(session, around, ASKED, listing_url)
    return Sheet(
        place_name=entry.name,
        municipality=entry.municipality,
        radius_km=radius_km,
        offered=offered,
        asked=asked,
        more_offered=more_offered,
        more_asked=more_asked,
        contacts=_contacts(session, around, entry.municipality),
    )


def _cards(
    session: Session, around: ListingFilter, kinds: tuple[str, ...], listing_url
) -> tuple[tuple[Card, ...], int]:
    statement = ListingFilter(kinds=kinds, radius_km=around.radius_km, centre=around.centre)
    selection = statement.listings(session)
    found = session.scalars(selection.limit(MAX_PER_SIDE)).all()
    total = count(session, selection) if len(found) == MAX_PER_SIDE else len(found)
    return tuple(_card(listing, listing_url(listing.id)) for listing in found), total - len(found)


def _card(listing: Listing, url: str) -> Card:
    organisation = listing.organisation
    return Card(
        listing_id=listing.id,
        kind=listing.kind.value,
        title=summary(listing.title, TITLE_CHARS),
        summary=summary(listing.description),
        place_name=listing.place_name or "",
        organisation_name=organisation.name if organisation is not None else "",
        event_date=listing.event_date if listing.schedule_kind is ScheduleKind.ONCE else None,
        url=url,
        qr=qr_svg(url),
    )


def _contacts(session: Session, around: ListingFilter, municipality: str) -> tuple[Contact, ...]:
    """The nearest village organisations with public contact details, then the municipality."""
    nearby = around.organisations(session).limit(_NEARBY_ORGANISATIONS)
    town_hall = (
        select(Organisation)
        .where(Organisation.municipality == municipality)
        .where(Organisation.kind == OrganisationKind.MUNICIPALITY)
        .order_by(Organisation.name)
        .limit(1)
    )
    candidates = [*session.scalars(nearby), *session.scalars(town_hall)]
    reachable = [org for org in dict.fromkeys(candidates) if _reachable(org)]
    reachable.sort(key=_contact_rank)
    return tuple(_contact(org) for org in reachable[:MAX_CONTACTS])


def _reachable(organisation: Organisation) -> bool:
    return bool(organisation.contact_phone or organisation.contact_email or organisation.address)


def _contact_rank(organisation: Organisation) -> int:
    if organisation.kind in _CONTACT_ORDER:
        return _CONTACT_ORDER.index(organisation.kind)
    return len(_CONTACT_ORDER)


def _contact(organisation: Organisation) -> Contact:
    website = (
        organisation.website if organisation.website.startswith(("https://", "http://")) else ""
    )
    return Contact(
        name=organisation.name,
        kind=organisation.kind,
        place_name=organisation.place_name or "",
        address=organisation.address,
        phone=organisation.contact_phone,
        email=organisation.contact_email,
        website=website,
    )
