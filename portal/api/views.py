"""The JSON API under /api/v1: public, read-only data, and the owner-only matches.

Thin views: `params` checks the query, the domain selects, `serializers` shapes the JSON, and
`openapi` describes all of it (tested against these responses by schemathesis).
"""

from __future__ import annotations

import functools

from flask import Blueprint, current_app, jsonify, render_template, request
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from ..domain import matching
from ..domain.identity import permissions
from ..domain.places import geography
from ..domain.places.gazetteer import GazetteerEntry, default_gazetteer
from ..extensions import csrf, db, limiter
from ..models import Listing, Organisation, OrganisationKind, Theme
from ..models.base import utcnow
from . import bearer as tokens
from . import docs as docs_page
from . import openapi, params, responses, serializers
from .responses import geojson, paging

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
#: One budget per client address for the whole API; kept in Redis when REDIS_URL is set, so
#: every gunicorn worker counts against the same budget.
API_LIMIT = "120 per minute"
limiter.shared_limit(API_LIMIT, scope="api")(bp)
responses.install(bp)

#: Ids beyond a 32-bit integer cannot exist; refusing them keeps the database out of it.
ID = "int(min=1, max=2147483647)"
MAX_SUGGESTIONS = 10_000


def _paginate(statement: Select, page: int, per_page: int):
    return db.paginate(statement, page=page, per_page=per_page, error_out=False, count=True)


def _listing_items(selection) -> tuple[list[dict], dict]:
    statement = selection.listings(db.session).options(selectinload(Listing.organisation))
    page = _paginate(statement, selection.page, selection.per_page)
    items = [
        serializers.listing_json(item, selection.distance_km(item.public_lat, item.public_lon))
        for item in page.items
    ]
    return items, paging(selection.page, selection.per_page, page.total)


@bp.get("/listings")
def listings():
    """Published listings, filtered like the list page; nearest first when `near` is given."""
    items, page_info = _listing_items(params.listing_selection(request.args, db.session))
    return jsonify(serializers.page_json(items, page_info))


@bp.get("/listings.geojson")
def listingsgeojson():
    """The same selection as /listings, as a GeoJSON FeatureCollection (public points)."""
    items, page_info = _listing_items(params.listing_selection(request.args, db.session))
    return geojson(serializers.feature_collection(items, page_info))


def _public_listing(listing_id: int) -> Listing:
    listing = db.session.get(Listing, listing_id)
    if listing is None or not permissions.can_view_listing(None, listing):
        raise NotFound(responses.not_found_text())
    return listing


@bp.get(f"/listings/<{ID}:listing_id>")
def listing(listing_id: int):
    """One published listing."""
    return jsonify(serializers.listing_json(_public_listing(listing_id)))


@bp.get(f"/listings/<{ID}:listing_id>/matches")
def listing_matches(listing_id: int):
    """Candidates for the caller's own listing (session or token); 401 anonymous, 403 others."""
    user = tokens.require_api_user()
    limit = params.match_limit(request.args)
    listing = db.session.get(Listing, listing_id)
    if listing is None or not permissions.can_view_listing(user, listing):
        raise NotFound(responses.not_found_text())
    if not permissions.can_edit_listing(user, listing):
        return responses.forbidden()
    candidates = matching.find_candidates(db.session, listing, now=utcnow(), limit=limit)
    return jsonify(serializers.matches_json(listing, candidates))


def _organisation_items(selection, kinds: list[str]) -> tuple[list[dict], dict]:
    statement = selection.organisations(db.session)
    if kinds:
        statement = statement.where(Organisation.kind.in_([OrganisationKind(k) for k in kinds]))
    page = _paginate(statement, selection.page, selection.per_page)
    items = [
        serializers.organisation_json(item, selection.distance_km(item.public_lat, item.public_lon))
        for item in page.items
    ]
    return items, paging(selection.page, selection.per_page, page.total)


@bp.get("/organisations")
def organisations():
    """Organisations on the map, with the same filters (kind: the kind of organisation)."""
    items, page_info = _organisation_items(*params.organisation_selection(request.args, db.session))
    return jsonify(serializers.page_json(items, page_info))


@bp.get("/organisations.geojson")
def organisationsgeojson():
    """The same selection as /organisations, as a GeoJSON FeatureCollection."""
    items, page_info = _organisation_items(*params.organisation_selection(request.args, db.session))
    return geojson(serializers.feature_collection(items, page_info))


@bp.get(f"/organisations/<{ID}:organisation_id>")
def organisation(organisation_id: int):
    """One organisation with its public contact details."""
    found = db.get_or_404(Organisation, organisation_id, description=responses.not_found_text())
    return jsonify(serializers.organisation_json(found))


@bp.get("/themes")
def themes():
    """The theme taxonomy; a theme's slug is what the `theme` filter takes."""
    page, per_page = params.page_and_size(request.args, per_page=100)
    result = _paginate(select(Theme).order_by(Theme.sort_order, Theme.slug), page, per_page)
    items = [serializers.theme_json(theme) for theme in result.items]
    return jsonify(serializers.page_json(items, paging(page, per_page, result.total)))


@functools.cache
def _all_places() -> tuple[GazetteerEntry, ...]:
    return tuple(sorted(default_gazetteer().places(), key=lambda entry: entry.key))


@bp.get("/places")
def places():
    """Gazetteer places: suggestions for `q` (names, then postcodes), or all places by key."""
    page, per_page = params.page_and_size(request.args)
    query = params.text(request.args, "q")
    entries = default_gazetteer().suggest(query, MAX_SUGGESTIONS) if query else _all_places()
    start = (page - 1) * per_page
    items = [serializers.place_json(entry) for entry in entries[start : start + per_page]]
    return jsonify(serializers.page_json(items, paging(page, per_page, len(entries))))


@bp.get("/geocode")
def geocode():
    """The best match for a place, postcode or address, or the candidates to choose from."""
    query = params.required_text(request.args, "q")
    resolution = geography.resolve(db.session, query, current_app.extensions.get("geocoder"))
    db.session.commit()  # keeps what the online geocoder found, if any
    suggestions = default_gazetteer().suggest(query, limit=8)
    return jsonify(serializers.geocode_json(query, resolution, suggestions))


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi.document())


@bp.get("/docs")
def docs():
    """The API described for people, rendered from the same OpenAPI document."""
    return render_template(
        "api/docs.html", operations=docs_page.operations(), introduction=openapi.INTRODUCTION
    )
