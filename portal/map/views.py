"""The map pages and their JSON: thin views over `portal.domain.catalogue.maps`."""

from __future__ import annotations

import base64

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale
from flask_babel import gettext as _

from config import DEFAULT_TILE_ATTRIBUTION

from ..caching import reads as read_cache
from ..caching import results as cache
from ..caching.pages import shared_page
from ..domain.catalogue import maps
from ..domain.catalogue.filters import ListingFilter
from ..extensions import db
from ..inputs import query_text

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
    selection, _themes = read_cache.public_selection(request.args, per_page=VILLAGE_PAGE_SIZE)
    place = query_text(request.args, "place", 40)
    body = read_cache.map_data_json(
        db.session, selection, place, str(get_locale()), request.script_root, cache.cached
    )
    return Response(read_cache.with_errors(body, selection.errors), mimetype="application/json")


@bp.get("/kaart/themes.json")
def themes():
    """Per village, how many items carry each theme (colours the markers after they appear)."""
    selection, themes = read_cache.public_selection(request.args)
    breakdown = maps.theme_breakdown(db.session, selection, themes)
    response = jsonify({**breakdown, "errors": selection.errors})
    response.cache_control.public = True
    response.cache_control.max_age = THEMES_MAX_AGE  # only colours: a few minutes old is fine
    return response


def tiles() -> maps.Tiles:
    """The configured base map; without TILE_ATTRIBUTION, PDOK's credit in the reader's words."""
    config = current_app.config
    credit = config["TILE_ATTRIBUTION"] or _("Kaartgegevens") + " " + DEFAULT_TILE_ATTRIBUTION
    return maps.Tiles(config["TILE_URL"], credit)


def _map_view() -> tuple[ListingFilter, maps.MapView]:
    selection, _themes = read_cache.public_selection(request.args)
    view = read_cache.map_view(db.session, selection, tiles(), str(get_locale()), cache.cached)
    return selection, view


@bp.record_once
def _vendored_map_library(state: BlueprintSetupState) -> None:
    """Where templates (macros included) find the vendored Leaflet: its version is named once,
    in maps.py."""
    state.app.jinja_env.globals.update(leaflet_dir=maps.LEAFLET_DIR, cluster_dir=maps.CLUSTER_DIR)


@bp.record_once
def _serve_test_tiles(state: BlueprintSetupState) -> None:
    """Tests point TILE_URL at /test-tiles/…: a blank tile, so no test reaches a tile server."""
    if state.app.testing:
        state.app.add_url_rule(
            "/test-tiles/<int:z>/<int:x>/<int:y>.png", "map_test_tile", _blank_tile
        )


def _blank_tile(z: int, x: int, y: int) -> Response:
    return Response(BLANK_TILE, mimetype="image/png")
