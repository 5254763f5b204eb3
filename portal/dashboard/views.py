"""Dashboard for officers and admins: partners, gaps, insight, the ladder and exports."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import get_locale

from ..access import officer_required
from ..domain.catalogue.themes import theme_choices
from ..domain.officer import exports, insight
from ..domain.officer.partners import DashboardFilter, all_partners
from ..domain.places.gazetteer import default_gazetteer
from ..extensions import db
from ..labels import choices, partner_kind_choices
from ..links import public_base
from ..map.views import tiles
from ..models import Involvement
from .overview import overview

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
CSV = "text/csv; charset=utf-8"
#: Longer tables show their first rows; the CSV downloads hold every row.
ROWS_SHOWN = 200


def _selection() -> DashboardFilter:
    return DashboardFilter.from_args(request.args)


def _download(body: str, mimetype: str, filename: str) -> Response:
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"}
    )


@bp.app_template_filter("suppress")
def suppress_filter(count: int) -> str:
    return insight.suppress(count)


@bp.get("")
@officer_required
def index():
    view = overview(db.session, _selection(), tiles(), str(get_locale()))
    return render_template(
        "dashboard/index.html",
        view=view,
        kind_options=partner_kind_choices(),
        involvement_options=choices(Involvement),
        municipality_options=[(name, name) for name in view.municipalities],
        gap_need_limit=insight.GAP_NEED_LIMIT,
        rows_shown=ROWS_SHOWN,
    )


@bp.get("/gaten/<place_key>")
@officer_required
def gap(place_key: str):
    """One village's gaps for one theme: the needs, and the nearest offers outside their reach."""
    entry = default_gazetteer().get(place_key)
    theme = (request.args.get("theme") or "")[:60]
    labels = dict(theme_choices(db.session, str(get_locale())))
    if entry is None or theme not in labels:
        abort(404)
    selection = DashboardFilter(theme=theme, place=place_key)
    needs = insight.needs_in_gap(insight.gaps(db.session, selection), place_key, theme)
    nearest = insight.nearest_offers(db.session, entry.lat, entry.lon, theme)
    return render_template(
        "dashboard/gap.html", place=entry, theme=labels[theme], needs=needs, nearest=nearest
    )


@bp.get("/export.csv")
@officer_required
def export_csv():
    return _partners(exports.partners_csv, CSV, "partners.csv")


@bp.get("/export.geojson")
@officer_required
def export_geojson():
    return _partners(exports.partners_geojson, "application/geo+json", "partners.geojson")


@bp.get("/monitor.csv")
@officer_required
def monitor_csv():
    figures = insight.village_figures(db.session, _selection())
    return _download(exports.monitor_csv(figures), CSV, "wmo-monitor.csv")


def _partners(write, mimetype: str, filename: str) -> Response:
    """Every partner in the selection, written by `write` (links point at this portal)."""
    return _download(
        write(all_partners(db.session, _selection()), public_base()), mimetype, filename
    )
