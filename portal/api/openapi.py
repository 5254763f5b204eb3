"""The OpenAPI 3.1 document of /api/v1, built from the code (enums, limits, schemas).

It is served at /api/v1/openapi.json, rendered for people at /api/v1/docs, and schemathesis
checks every endpoint's real responses against it (tests/web/test_api_schema.py).
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from ..domain.catalogue import filters
from .examples import EXAMPLES, example_for
from .params import (
    DEFAULT_MATCHES,
    DEFAULT_PER_PAGE,
    LISTING_KINDS,
    MAX_MATCHES,
    ORGANISATION_KINDS,
)
from .schemas import components, ref

Spec = dict[str, Any]
SERVER = "/api/v1"
NO_CONTROL = "^[^\\u0000-\\u001f\\u007f]*$"
NON_BLANK = "^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$"
SLUG = "^[a-z0-9]+(-[a-z0-9]+)*$"
MAX_ID = 2_147_483_647


def _query(name: str, schema: Spec, description: str, required: bool = False) -> Spec:
    parameter = {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }
    if schema.get("type") == "array":
        parameter.update(style="form", explode=True)
    return parameter


def _path(name: str, description: str) -> Spec:
    schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


def _parameters() -> dict[str, Spec]:
    """Reusable parameters: the filters every list shares, and paging."""
    page_limit = {"type": "integer", "minimum": 1, "maximum": filters.MAX_PER_PAGE}
    return {
        "kind": _query(
            "kind",
            {"type": "array", "items": {"enum": list(LISTING_KINDS)}},
            "Soort: aanbod (offer), vraag (need) of middelen (resource). Herhaalbaar.",
        ),
        "organisationKind": _query(
            "kind",
            {"type": "array", "items": {"enum": list(ORGANISATION_KINDS)}},
            "Soort organisatie. Herhaalbaar.",
        ),
        "theme": _query(
            "theme",
            {"type": "array", "items": {"type": "string", "maxLength": 60, "pattern": SLUG}},
            "Thema (slug uit /themes). Herhaalbaar; een onbekend thema geeft 400.",
        ),
        "near": _query(
            "near",
            {"type": "string", "maxLength": 100, "pattern": NO_CONTROL},
            "Plaatsnaam of postcode. Resultaten binnen radius_km, dichtstbijzijnde eerst. "
            "Een onbekende of dubbelzinnige plaats geeft 400.",
        ),
        "radius_km": _query(
            "radius_km",
            {
                "type": "number",
                "minimum": 0.1,
                "maximum": filters.MAX_RADIUS_KM,
                "default": filters.DEFAULT_RADIUS_KM,
            },
            "Straal rond near in kilometers (met een punt als decimaalteken).",
        ),
        "q": _query(
            "q",
            {"type": "string", "maxLength": 200, "pattern": NO_CONTROL},
            "Vrije tekst (Nederlands, woorden worden gestemd).",
        ),
        "page": _query(
            "page",
            {"type": "integer", "minimum": 1, "maximum": 10_000, "default": 1},
            "Paginanummer; voorbij het einde komt een lege lijst.",
        ),
        "per_page": _query(
            "per_page",
            {**page_limit, "default": DEFAULT_PER_PAGE},
            f"Aantal per pagina (hoogstens {filters.MAX_PER_PAGE}).",
        ),
    }


def _responses() -> dict[str, Spec]:
    error = {"application/json": {"schema": ref("Error")}}
    seconds = {"type": "integer", "minimum": 0}
    return {
        "BadRequest": {
            "description": "Een parameter klopt niet; error.parameter noemt welke.",
            "content": {"application/json": {"schema": ref("Error"), "example": EXAMPLES["Error"]}},
        },
        "Unauthorized": {
            "description": "Geen of een ongeldige sleutel, en niet ingelogd.",
            "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
            "content": error,
        },
        "Forbidden": {"description": "Dit is niet uw vraag of aanbod.", "content": error},
        "NotFound": {"description": "Bestaat niet (of is niet openbaar).", "content": error},
        "TooManyRequests": {
            "description": "Te veel verzoeken; probeer het na Retry-After seconden opnieuw.",
            "headers": {"Retry-After": {"required": True, "schema": seconds}},
            "content": error,
        },
    }


def _error_refs(*codes: int) -> dict[str, Spec]:
    names = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound"}
    refs = {str(code): {"$ref": f"#/components/responses/{names[code]}"} for code in codes}
    refs["429"] = {"$ref": "#/components/responses/TooManyRequests"}
    return refs


def _operation(
    operation_id: str,
    summary: str,
    schema: str | None,
    parameters: list[str | Spec] = (),
    errors: tuple[int, ...] = (400,),
    media: str = "application/json",
    example_query: str = "",
) -> Spec:
    """One GET operation with its parameters, its 200 body and its error responses."""
    unnamed = {"type": "object"} if media == "application/json" else {"type": "string"}
    body: Spec = {"schema": ref(schema) if schema else unnamed}
    example = example_for(schema)
    if example is not None:
        body["example"] = example
    return {
        "operationId": operation_id,
        "summary": summary,
        "parameters": [
            {"$ref": f"#/components/parameters/{p}"} if isinstance(p, str) else p
            for p in parameters
        ],
        "responses": {
            "200": {"description": "OK", "content": {media: body}},
            **_error_refs(*errors),
        },
        "x-example-query": example_query,
    }


FILTERS = ["kind", "theme", "near", "radius_km", "q", "page", "per_page"]
ORGANISATION_FILTERS = ["organisationKind", "theme", "near", "radius_km", "q", "page", "per_page"]


def _paths() -> dict[str, Spec]:
    listing_id = _path("listing_id", "Het vaste nummer van de vraag of het aanbod.")
    organisation_id = _path("organisation_id", "Het vaste nummer van de organisatie.")
    geojson = "application/geo+json"
    return {
        "/listings": {"get": _operation(
            "listListings", "Vraag en aanbod (gepubliceerd), met filters", "ListingPage",
            FILTERS, example_query="?near=Roggel&radius_km=10&theme=naoberzorg")},
        "/listings.geojson": {"get": _operation(
            "listListingsGeoJSON", "Vraag en aanbod als GeoJSON", "ListingCollection",
            FILTERS, media=geojson, example_query="?kind=offer&per_page=100")},
        "/listings/{listing_id}": {"get": _operation(
            "getListing", "Eén vraag of aanbod", "Listing", [listing_id], errors=(404,),
            example_query="")},
        "/listings/{listing_id}/matches": {"get": {
            **_operation(
                "getListingMatches", "Matches voor uw eigen vraag of aanbod", "Matches",
                [listing_id, _query("limit", {"type": "integer", "minimum": 1,
                 "maximum": MAX_MATCHES, "default": DEFAULT_MATCHES},
                 "Hoogstens zoveel kandidaten per soort (aanbod, vrijwilligers, organisaties).")],
                errors=(400, 401, 403, 404)),
            "security": [{"bearerAuth": []}, {"sessionCookie": []}]}},
        "/organisations": {"get": _operation(
            "listOrganisations", "Organisaties op de kaart, met filters", "OrganisationPage",
            ORGANISATION_FILTERS, example_query="?kind=kulturhus&theme=dagbesteding")},
        "/organisations.geojson": {"get": _operation(
            "listOrganisationsGeoJSON", "Organisaties als GeoJSON", "OrganisationCollection",
            ORGANISATION_FILTERS, media=geojson, example_query="?near=Olst")},
        "/organisations/{organisation_id}": {"get": _operation(
            "getOrganisation", "Eén organisatie", "Organisation", [organisation_id],
            errors=(404,))},
        "/themes": {"get": _operation(
            "listThemes", "De thema's (slug = filterwaarde)", "ThemePage", ["page", "per_page"])},
        "/places": {"get": _operation(
            "listPlaces", "Plaatsen, gemeenten en postcodegebieden (suggesties voor q)",
            "PlacePage", [_query("q", {"type": "string", "maxLength": 200, "pattern": NO_CONTROL},
                                 "Begin van een plaatsnaam of postcode; leeg: alle plaatsen."),
                          "page", "per_page"], example_query="?q=Rog")},
        "/geocode": {"get": _operation(
            "geocode", "Eén plaats, postcode of adres opzoeken", "Geocode",
            [_query("q", {"type": "string", "minLength": 1, "maxLength": 200,
                          "pattern": NON_BLANK}, "Plaatsnaam, postcode of adres.", required=True)],
            example_query="?q=6088")},
        "/openapi.json": {"get": _operation(
            "openapi", "Deze beschrijving (OpenAPI 3.1)", None, errors=(),
            media="application/json")},
        "/docs": {"get": _operation(
            "docs", "Deze beschrijving als leesbare pagina", None, errors=(), media="text/html")},
    }  # fmt: skip


INTRODUCTION = (
    "Open gegevens van Naoberkaart: gepubliceerd vraag en aanbod, organisaties, thema's en "
    "plaatsen, als JSON en GeoJSON. Dezelfde filters als de lijst op /initiatieven. "
    "Woonadressen van bewoners staan er nooit in: een bewoner staat op het midden van zijn "
    "dorp (location.approximate is dan true). Lijsten zijn gepagineerd (page, per_page, "
    "total, links). Fouten zijn JSON: 400 noemt de parameter, 404, 429 met Retry-After. "
    "Matches zijn alleen voor de eigenaar: log in, of stuur een persoonlijke sleutel "
    "(Mijn Naoberkaart → API-sleutels) als Authorization: Bearer <sleutel>."
)


@functools.cache
def _document() -> Spec:
    schemas = components()
    return {
        "openapi": "3.1.0",
        "info": {"title": "Naoberkaart API", "version": "1.0.0", "description": INTRODUCTION},
        "servers": [{"url": SERVER}],
        "paths": _paths(),
        "components": {
            "schemas": schemas,
            "parameters": _parameters(),
            "responses": _responses(),
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "Een persoonlijke API-sleutel (nk_…)."},
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }  # fmt: skip


def document() -> Spec:
    """The OpenAPI document (a fresh copy: callers may not change the cached one)."""
    return copy.deepcopy(_document())


def spec_for_reading() -> Spec:
    """The cached document itself, for callers that only read it (the docs page)."""
    return _document()
