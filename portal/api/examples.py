"""Example bodies for the OpenAPI document and the docs page (checked against the schemas)."""

from __future__ import annotations

from typing import Any

BASE = "https://naoberkaart.nl"
_LINKS = {
    "self": f"{BASE}/api/v1/listings?near=Roggel&page=1&per_page=20",
    "next": None,
    "prev": None,
}

LISTING: dict[str, Any] = {
    "id": 42,
    "kind": "need",
    "title": "Wie fietst mee naar de supermarkt?",
    "description": "Op dinsdagochtend boodschappen doen met een buurvrouw.",
    "url": f"{BASE}/initiatieven/42",
    "themes": ["naoberzorg", "vervoer"],
    "organisation": None,
    "place": {"key": "pp:6088", "name": "Roggel", "municipality": "Leudal"},
    "location": {"lat": 51.2429, "lon": 5.9278, "approximate": True},
    "distance_km": 0.0,
    "area": {"kind": "radius", "radius_km": 2.5, "places": []},
    "schedule": {"kind": "weekly", "date": None, "weekly_slots": ["tue-morning"]},
    "contributions": ["help"],
    "hours_per_week": 2.0,
    "involvement": None,
    "access_route": "open",
    "reach": ["home"],
    "cost": "",
    "age_min": None,
    "age_max": None,
    "capacity": None,
    "spots_left": None,
    "on_behalf": False,
    "verified": False,
    "fulfilled": False,
    "published_at": "2026-10-01T08:30:00+00:00",
    "expires_at": "2027-04-01T08:30:00+00:00",
    "confirmed_at": "2026-10-01T08:30:00+00:00",
}

ORGANISATION: dict[str, Any] = {
    "id": 7,
    "kind": "kulturhus",
    "name": "Kulturhus Olst",
    "description": "Ruimtes voor dagbesteding en ontmoeting.",
    "url": f"{BASE}/organisaties/7",
    "themes": ["dagbesteding", "ontmoeting-eenzaamheid"],
    "address": "Marktplein 1, Olst",
    "website": "https://kulturhus-olst.example",
    "contact": {"email": "info@kulturhus-olst.example", "phone": "0570 000000"},
    "place": {"key": "gn:2749680", "name": "Olst", "municipality": "Olst-Wijhe"},
    "location": {"lat": 52.3375, "lon": 6.10972, "approximate": False},
    "distance_km": None,
    "accessibility": {
        "wheelchair_access": True,
        "accessible_toilet": True,
        "hearing_loop": False,
        "parking": True,
        "public_transport": True,
    },
    "verified": True,
    "confirmed_at": "2026-09-15T12:00:00+00:00",
}

THEME = {
    "slug": "naoberzorg",
    "label_nl": "Naoberzorg (burenhulp)",
    "label_en": "Neighbourly help",
    "colour": "#01689b",
    "icon": "",
}

PLACE = {
    "key": "pp:6088",
    "name": "Roggel",
    "label": "Roggel (Leudal)",
    "kind": "place",
    "municipality": "Leudal",
    "province": "Limburg",
    "postcode": None,
    "lat": 51.24291,
    "lon": 5.92778,
    "approximate": True,
}

CANDIDATES = [
    {
        "kind": "volunteer",
        "id": None,
        "name": "Anna",
        "listing_kind": None,
        "url": None,
        "place_name": "Roggel",
        "distance_km": 0.4,
        "shared_themes": ["naoberzorg"],
        "score": 0.8369,
        "score_parts": {
            "distance": 0.2769,
            "themes": 0.1,
            "asks": 0.2,
            "time": 0.12,
            "freshness": 0.08,
            "load": 0.07,
            "verified": 0.0,
        },
        "explanation": "0,4 km · zelfde thema: naoberzorg · beiden dinsdagochtend",
    }
]

ERROR = {
    "error": {
        "status": 400,
        "title": "Deze vraag begrijpen we niet",
        "detail": "Vul een getal in tussen 1 en 100.",
        "parameter": "per_page",
    }
}

GEOCODE_ENTRY = {
    "label": "6088 Roggel (Leudal)",
    "place": "Roggel",
    "municipality": "Leudal",
    "province": "Limburg",
    "kind": "postcode",
    "lat": 51.24291,
    "lon": 5.92778,
    "approximate": True,
}


def _page(item: dict[str, Any]) -> dict[str, Any]:
    return {"items": [item], "page": 1, "per_page": 20, "total": 1, "links": _LINKS}


def _feature(item: dict[str, Any]) -> dict[str, Any]:
    properties = {key: value for key, value in item.items() if key != "location"}
    point = item["location"]
    properties["approximate"] = point["approximate"]
    geometry = {"type": "Point", "coordinates": [point["lon"], point["lat"]]}
    return {"type": "Feature", "id": item["id"], "geometry": geometry, "properties": properties}


def _collection(item: dict[str, Any]) -> dict[str, Any]:
    page = _page(item)
    features = [_feature(entry) for entry in page.pop("items")]
    return {"type": "FeatureCollection", "features": features, **page}


EXAMPLES: dict[str, Any] = {
    "Listing": LISTING,
    "ListingPage": _page(LISTING),
    "ListingCollection": _collection(LISTING),
    "Organisation": ORGANISATION,
    "OrganisationPage": _page(ORGANISATION),
    "OrganisationCollection": _collection(ORGANISATION),
    "ThemePage": _page(THEME),
    "PlacePage": _page(PLACE),
    "Matches": {
        "listing": {"id": 42, "kind": "need", "title": LISTING["title"], "url": LISTING["url"]},
        "items": CANDIDATES,
        "total": len(CANDIDATES),
    },
    "Geocode": {
        "query": "6088",
        "best": {
            "lat": 51.24291,
            "lon": 5.92778,
            "place": "Roggel",
            "municipality": "Leudal",
            "source": "gazetteer",
            "approximate": True,
        },
        "candidates": [GEOCODE_ENTRY],
        "suggestions": [GEOCODE_ENTRY],
    },
    "Error": ERROR,
}


def example_for(schema_name: str | None) -> Any:
    """The example body for a named schema, or None."""
    return EXAMPLES.get(schema_name) if schema_name else None
