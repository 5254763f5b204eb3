"""The map pages and their JSON: thin views over `portal.domain.maps`."""

from __future__ import annotations

import base64

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale

from .. import cache
from ..domain import maps, read_cache
from ..domain.filters import ListingFilter
from ..extensions import db
from ..inputs import query_text
from ..page_cache import shared_page

bp = Blueprint("map", __name__)

VILLAGE_PAGE_SIZE = 20
THEMES_MAX_AGE = 300
BLANK_TILE = base64.b64decode(  # a 1x1 light grey PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGN49+4dAAWYAsspex20AAAAAElFTkSuQmCC"
)


@bp.get("/kaart")
@shared_page
def index():
    """The full map with filters, legend and a link to the same selection as a list."""
    selection, view = _map_view()
    return render_template("map/index.html", selection=selection, view=view, embed=False)


@bp.get("/kaart/embed")
@shared_page
def embed():
    """The map without portal chrome, for village websites (URL format: docs/map.md)."""
    selection, view = _map_view()
    return render_template("map/embed.html", selection=selection, view=view, embed=True)


@bp.get("/kaart/data.json")
@shared_page
def data():
    """Village aggregates for the filter, or with `place=<key>` one page of that village's items."""
    selection = ListingFilter.from_args(request.args, db.session, per_page=VILLAGE_PAGE_SIZE)
    selection = read_cache.with_theme_ids(selection, read_cache.themes(db.session, cache.cached))
    place = query_text(request.args, "place", 40)
    body = read_cache.map_data_json(
        db.session, selection, place, str(get_locale()), request.script_root, cache.cached
    )
    return Response(read_cache.with_errors(body, selection.errors), mimetype="application/json")


@bp.get("/kaart/themes.json")
def themes():
    """Per village, how many items carry each theme (colours the markers after they appear)."""
    selection = ListingFilter.from_args(request.args, db.session)
    breakdown = maps.theme_breakdown(
        db.session, selection, read_cache.themes(db.session, cache.cached)
    )
    response = jsonify({**breakdown, "errors": selection.errors})
    response.cache_control.public = True
    response.cache_control.max_age = THEMES_MAX_AGE  # only colours: a few minutes old is fine
    return response


def _map_view() -> tuple[ListingFilter, maps.MapView]:
    selection = ListingFilter.from_args(request.args, db.session)
    selection = read_cache.with_theme_ids(selection, read_cache.themes(db.session, cache.cached))
    config = current_app.config
    tiles = maps.Tiles(config["TILE_URL"], config["TILE_ATTRIBUTION"])
    view = read_cache.map_view(db.session, selection, tiles, str(get_locale()), cache.cached)
    return selection, view


@bp.record_once
def _serve_test_tiles(state: BlueprintSetupState) -> None:
    """Tests point TILE_URL at /test-tiles/…: a blank tile, so no test reaches a tile server."""
    if state.app.testing:
        state.app.add_url_rule(
            "/test-tiles/<int:z>/<int:x>/<int:y>.png", "map_test_tile", _blank_tile
        )


def _blank_tile(z: int, x: int, y: int) -> Response:
    return Response(BLANK_TILE, mimetype="image/png")
