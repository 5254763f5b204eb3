"""JSON Schemas of the API's bodies (OpenAPI 3.1 components), built from the code's enums.

Every object is closed (`additionalProperties: false`) and lists all its keys as required, so
a field that appears or goes missing in `serializers` breaks the schema test at once.
"""

from __future__ import annotations

from typing import Any

from ..domain import matching
from ..domain.catalogue import filters
from ..domain.places import gazetteer
from ..models import (
    AccessRoute,
    AreaKind,
    Involvement,
    ListingKind,
    OrganisationKind,
    ScheduleKind,
)
from .serializers import ACCESSIBILITY

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
BOOLEAN: Schema = {"type": "boolean"}
ID: Schema = {"type": "integer", "minimum": 1}
URL: Schema = {"type": "string", "format": "uri"}
MOMENT: Schema = {"type": ["string", "null"], "format": "date-time"}
COUNT: Schema = {"type": "integer", "minimum": 0}
KM: Schema = {"type": "number", "minimum": 0}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    """The schema or null (3.1 style)."""
    kind = schema.get("type")
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def closed(**properties: Schema) -> Schema:
    """An object with exactly these keys."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def values(enum_class) -> list[str]:
    return [member.value for member in enum_class]


def strings() -> Schema:
    return {"type": "array", "items": STRING}


PLACE = closed(key=nullable(STRING), name=nullable(STRING), municipality=nullable(STRING))
LOCATION = closed(
    lat={"type": "number", "minimum": -90, "maximum": 90},
    lon={"type": "number", "minimum": -180, "maximum": 180},
    approximate={
        "type": "boolean",
        "description": "true: a village centre (a resident's home is never shown exactly).",
    },
)
LINKS = closed(self=URL, next=nullable(URL), prev=nullable(URL))
PAGING: dict[str, Schema] = {
    "page": {"type": "integer", "minimum": 1},
    "per_page": {"type": "integer", "minimum": 1, "maximum": filters.MAX_PER_PAGE},
    "total": COUNT,
    "links": ref("Links"),
}
SCORE_PARTS = closed(**{name: {"type": "number"} for name in matching.WEIGHTS})

LISTING_FIELDS: dict[str, Schema] = {
    "id": ID,
    "kind": {"enum": values(ListingKind)},
    "title": STRING,
    "description": STRING,
    "url": URL,
    "themes": strings(),
    "organisation": nullable(closed(id=ID, name=STRING, url=URL)),
    "place": ref("Place"),
    "location": nullable(ref("Location")),
    "distance_km": nullable(KM),
    "area": closed(
        kind={"enum": values(AreaKind)},
        radius_km=KM,
        places={
            "type": "array",
            "items": closed(key=STRING, name=nullable(STRING)),
        },
    ),
    "schedule": closed(
        kind={"enum": values(ScheduleKind)},
        date=nullable({"type": "string", "format": "date"}),
        weekly_slots=strings(),
    ),
    "contributions": strings(),
    "hours_per_week": nullable(KM),
    "involvement": nullable({"enum": values(Involvement)}),
    "access_route": nullable({"enum": values(AccessRoute)}),
    "reach": strings(),
    "cost": STRING,
    "age_min": nullable({"type": "integer"}),
    "age_max": nullable({"type": "integer"}),
    "capacity": nullable({"type": "integer"}),
    "spots_left": nullable(COUNT),
    "on_behalf": BOOLEAN,
    "verified": BOOLEAN,
    "fulfilled": BOOLEAN,
    "published_at": MOMENT,
    "expires_at": MOMENT,
    "confirmed_at": MOMENT,
}

ORGANISATION_FIELDS: dict[str, Schema] = {
    "id": ID,
    "kind": {"enum": values(OrganisationKind)},
    "name": STRING,
    "description": STRING,
    "url": URL,
    "themes": strings(),
    "address": STRING,
    "website": STRING,
    "contact": closed(email=STRING, phone=STRING),
    "place": ref("Place"),
    "location": nullable(ref("Location")),
    "distance_km": nullable(KM),
    "accessibility": closed(**{name: BOOLEAN for name in ACCESSIBILITY}),
    "verified": BOOLEAN,
    "confirmed_at": MOMENT,
}


def properties_of(fields: dict[str, Schema]) -> Schema:
    """A Feature's properties: the item without `location`, with `approximate`."""
    rest = {name: schema for name, schema in fields.items() if name != "location"}
    return closed(**rest, approximate=nullable(BOOLEAN))


def feature(properties: str) -> Schema:
    point = closed(
        type={"const": "Point"},
        coordinates={
            "type": "array",
            "prefixItems": [
                {"type": "number", "minimum": -180, "maximum": 180},
                {"type": "number", "minimum": -90, "maximum": 90},
            ],
            "minItems": 2,
            "maxItems": 2,
        },
    )
    return closed(
        type={"const": "Feature"}, id=ID, geometry=nullable(point), properties=ref(properties)
    )


def collection(feature_name: str) -> Schema:
    return closed(
        type={"const": "FeatureCollection"},
        features={"type": "array", "items": ref(feature_name)},
        **PAGING,
    )


def page_of(item: str) -> Schema:
    return closed(items={"type": "array", "items": ref(item)}, **PAGING)


GEOCODE_ENTRY = closed(
    label=STRING,
    place=STRING,
    municipality=STRING,
    province=STRING,
    kind={"enum": [gazetteer.PLACE, gazetteer.MUNICIPALITY, gazetteer.POSTCODE]},
    lat={"type": "number"},
    lon={"type": "number"},
    approximate=BOOLEAN,
)


ERROR = closed(
    error={
        "type": "object",
        "properties": {
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "title": STRING,
            "detail": STRING,
            "parameter": {"type": "string", "description": "The offending parameter."},
        },
        "required": ["status", "title", "detail"],
        "additionalProperties": False,
    }
)
GAZETTEER_PLACE = closed(
    key=STRING,
    name=STRING,
    label=STRING,
    kind={"enum": [gazetteer.PLACE, gazetteer.MUNICIPALITY, gazetteer.POSTCODE]},
    municipality=STRING,
    province=STRING,
    postcode=nullable({"type": "string", "pattern": "^[1-9][0-9]{3}$"}),
    lat={"type": "number"},
    lon={"type": "number"},
    approximate=BOOLEAN,
)
CANDIDATE = closed(
    kind={"enum": list(matching.SIDES)},
    id={**nullable(ID), "description": "null for volunteers: they are not public."},
    name=STRING,
    listing_kind=nullable({"enum": values(ListingKind)}),
    url=nullable(URL),
    place_name=STRING,
    distance_km=KM,
    shared_themes=strings(),
    score={"type": "number"},
    score_parts=SCORE_PARTS,
    explanation=STRING,
)
MATCHES = closed(
    listing=closed(id=ID, kind={"enum": values(ListingKind)}, title=STRING, url=URL),
    items={"type": "array", "items": ref("Candidate")},
    total=COUNT,
)
GEOCODE = closed(
    query=STRING,
    best=nullable(
        closed(
            lat={"type": "number"},
            lon={"type": "number"},
            place=STRING,
            municipality=STRING,
            source=STRING,
            approximate=BOOLEAN,
        )
    ),
    candidates={"type": "array", "items": ref("GeocodeEntry")},
    suggestions={"type": "array", "items": ref("GeocodeEntry")},
)


def resource(name: str, fields: dict[str, Schema]) -> dict[str, Schema]:
    """A resource as JSON (one and a page) and as GeoJSON (properties, feature, collection)."""
    return {
        name: closed(**fields),
        f"{name}Page": page_of(name),
        f"{name}Properties": properties_of(fields),
        f"{name}Feature": feature(f"{name}Properties"),
        f"{name}Collection": collection(f"{name}Feature"),
    }


def components() -> dict[str, Schema]:
    """Every named schema."""
    return {
        "Error": ERROR,
        "Links": LINKS,
        "Place": PLACE,
        "Location": LOCATION,
        **resource("Listing", LISTING_FIELDS),
        **resource("Organisation", ORGANISATION_FIELDS),
        "Theme": closed(label_nl=STRING, label_en=STRING, colour=STRING, icon=STRING, slug=STRING),
        "ThemePage": page_of("Theme"),
        "GazetteerPlace": GAZETTEER_PLACE,
        "PlacePage": page_of("GazetteerPlace"),
        "Candidate": CANDIDATE,
        "Matches": MATCHES,
        "GeocodeEntry": GEOCODE_ENTRY,
        "Geocode": GEOCODE,
    }
