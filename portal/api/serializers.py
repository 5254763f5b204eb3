"""Models as the API's JSON and GeoJSON: public fields only, public (coarse) points only.

A listing shows `public_lat`/`public_lon` (a resident's village centre, or an organisation's
public address) and never `lat`/`lon`; no owner, no consent, no member. Volunteers appear only
as match candidates, with a display name, their village and a distance from its centre.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from ..domain.matching import LISTING, ORGANISATION, VOLUNTEER, Candidate
from ..domain.places.gazetteer import GazetteerEntry, default_gazetteer
from ..domain.places.geography import Resolution
from ..domain.web_addresses import web_address_or_empty
from ..links import external_url
from ..models import Listing, Organisation, Theme

COORDINATE_DIGITS = 5
DISTANCE_DIGITS = 1
ACCESSIBILITY = (
    "wheelchair_access",
    "accessible_toilet",
    "hearing_loop",
    "parking",
    "public_transport",
)

Json = dict[str, Any]


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _enum(value) -> str | None:
    return value.value if value is not None else None


def _distance(value: float | None) -> float | None:
    return round(value, DISTANCE_DIGITS) if value is not None else None


def location(lat: float | None, lon: float | None, approximate: bool) -> Json | None:
    """A public point, or None when there is none."""
    if lat is None or lon is None:
        return None
    return {
        "lat": round(lat, COORDINATE_DIGITS),
        "lon": round(lon, COORDINATE_DIGITS),
        "approximate": approximate,
    }


def _place(item: Listing | Organisation) -> Json:
    return {"key": item.place_key, "name": item.place_name, "municipality": item.municipality}


def _theme_slugs(themes: Iterable[Theme]) -> list[str]:
    return [theme.slug for theme in themes]


def _area_place(key: str) -> Json:
    entry = default_gazetteer().get(key)
    return {"key": key, "name": entry.name if entry else None}


def _area(listing: Listing) -> Json:
    return {
        "kind": listing.area_kind.value,
        "radius_km": listing.radius_km,
        "places": [_area_place(key) for key in listing.area_places or []],
    }


def _schedule(listing: Listing) -> Json:
    return {
        "kind": listing.schedule_kind.value,
        "date": _day(listing.event_date),
        "weekly_slots": list(listing.weekly_slots or []),
    }


def _organisation_ref(organisation: Organisation | None) -> Json | None:
    if organisation is None:
        return None
    return {
        "id": organisation.id,
        "name": organisation.name,
        "url": organisation_url(organisation.id),
    }


def listing_url(listing_id: int) -> str:
    """The listing's page on the portal."""
    return external_url("listings.detail", listing_id=listing_id)


def organisation_url(organisation_id: int) -> str:
    """The organisation's page on the portal."""
    return external_url("organisations.detail", organisation_id=organisation_id)


def listing_json(listing: Listing, distance_km: float | None = None) -> Json:
    """One published listing as the public sees it."""
    return {
        "id": listing.id,
        "kind": listing.kind.value,
        "title": listing.title,
        "description": listing.description,
        "url": listing_url(listing.id),
        "themes": _theme_slugs(listing.themes),
        "organisation": _organisation_ref(listing.organisation),
        "place": _place(listing),
        "location": location(
            listing.public_lat, listing.public_lon, not listing.exact_location_public
        ),
        "distance_km": _distance(distance_km),
        "area": _area(listing),
        "schedule": _schedule(listing),
        "contributions": list(listing.contributions or []),
        "hours_per_week": listing.hours_per_week,
        "involvement": _enum(listing.involvement),
        "access_route": _enum(listing.access_route),
        "reach": list(listing.reach or []),
        "cost": listing.cost or "",
        "age_min": listing.age_min,
        "age_max": listing.age_max,
        "capacity": listing.capacity,
        "spots_left": listing.spots_left,
        "on_behalf": listing.on_behalf,
        "verified": listing.verified,
        "fulfilled": listing.fulfilled,
        "published_at": _moment(listing.published_at),
        "expires_at": _moment(listing.expires_at),
        "confirmed_at": _moment(listing.confirmed_at),
    }


def organisation_json(organisation: Organisation, distance_km: float | None = None) -> Json:
    """One organisation with its public address and contact details."""
    return {
        "id": organisation.id,
        "kind": organisation.kind.value,
        "name": organisation.name,
        "description": organisation.description,
        "url": organisation_url(organisation.id),
        "themes": _theme_slugs(organisation.themes),
        "address": organisation.address,
        "website": web_address_or_empty(organisation.website),
        "contact": {"email": organisation.contact_email, "phone": organisation.contact_phone},
        "place": _place(organisation),
        "location": location(organisation.public_lat, organisation.public_lon, False),
        "distance_km": _distance(distance_km),
        "accessibility": {name: bool(getattr(organisation, name)) for name in ACCESSIBILITY},
        "verified": organisation.verified,
        "confirmed_at": _moment(organisation.confirmed_at),
    }


def theme_json(theme: Theme) -> Json:
    """A theme; its slug is the stable id the `theme` filter takes."""
    return {
        "slug": theme.slug,
        "label_nl": theme.label_nl,
        "label_en": theme.label_en,
        "colour": theme.colour,
        "icon": theme.icon,
    }


def place_json(entry: GazetteerEntry) -> Json:
    """A gazetteer entry; its key is stable and its point is a village or area centre."""
    return {
        "key": entry.key,
        "name": entry.name,
        "label": entry.label,
        "kind": entry.kind,
        "municipality": entry.municipality,
        "province": entry.province,
        "postcode": entry.postcode,
        "lat": round(entry.lat, COORDINATE_DIGITS),
        "lon": round(entry.lon, COORDINATE_DIGITS),
        "approximate": entry.approximate,
    }


def geocode_entry_json(entry: GazetteerEntry) -> Json:
    """A gazetteer entry as /geocode names it."""
    return {
        "label": entry.label,
        "place": entry.name,
        "municipality": entry.municipality,
        "province": entry.province,
        "kind": entry.kind,
        "lat": round(entry.lat, COORDINATE_DIGITS),
        "lon": round(entry.lon, COORDINATE_DIGITS),
        "approximate": entry.approximate,
    }


def geocode_json(query: str, resolution: Resolution, suggestions: Iterable[GazetteerEntry]) -> Json:
    """The best match (or null), the candidates to choose from, and autocomplete suggestions."""
    best = resolution.location
    return {
        "query": query,
        "best": None
        if best is None
        else {
            "lat": round(best.lat, COORDINATE_DIGITS),
            "lon": round(best.lon, COORDINATE_DIGITS),
            "place": best.place_name,
            "municipality": best.municipality,
            "source": best.source,
            "approximate": best.approximate,
        },
        "candidates": [geocode_entry_json(entry) for entry in resolution.candidates],
        "suggestions": [geocode_entry_json(entry) for entry in suggestions],
    }


def feature(item: Json) -> Json:
    """A JSON item as a GeoJSON Feature; the point moves from `location` to `geometry`."""
    properties = {key: value for key, value in item.items() if key != "location"}
    point = item["location"]
    geometry = None
    if point is not None:
        properties["approximate"] = point["approximate"]
        geometry = {"type": "Point", "coordinates": [point["lon"], point["lat"]]}
    else:
        properties["approximate"] = None
    return {"type": "Feature", "id": item["id"], "geometry": geometry, "properties": properties}


def page_json(items: list[Json], paging: Json) -> Json:
    """The list envelope every list endpoint shares."""
    return {"items": items, **paging}


def feature_collection(items: list[Json], paging: Json) -> Json:
    """A GeoJSON FeatureCollection with the paging as foreign members."""
    return {"type": "FeatureCollection", "features": [feature(item) for item in items], **paging}


def _candidate_url(candidate: Candidate) -> str | None:
    """Listings and organisations have a public page; volunteers do not."""
    if candidate.kind == LISTING:
        return listing_url(candidate.id)
    if candidate.kind == ORGANISATION:
        return organisation_url(candidate.id)
    return None


def candidate_json(candidate: Candidate) -> Json:
    """One match candidate; a volunteer shows only a name, a village and a distance."""
    return {
        "kind": candidate.kind,
        "id": None if candidate.kind == VOLUNTEER else candidate.id,
        "name": candidate.title,
        "listing_kind": candidate.listing_kind,
        "url": _candidate_url(candidate),
        "place_name": candidate.place_name,
        "distance_km": _distance(candidate.distance_km),
        "shared_themes": list(candidate.shared_themes),
        "score": candidate.score,
        "score_parts": dict(candidate.score_parts),
        "explanation": candidate.explanation,
    }


def matches_json(listing: Listing, candidates: list[Candidate]) -> Json:
    """The candidates for one listing, best first."""
    return {
        "listing": {
            "id": listing.id,
            "kind": listing.kind.value,
            "title": listing.title,
            "url": listing_url(listing.id),
        },
        "items": [candidate_json(candidate) for candidate in candidates],
        "total": len(candidates),
    }
