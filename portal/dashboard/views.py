"""Dashboard for officers and admins: gaps, insight, the ladder and exports."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from ..access import officer_required
from ..domain import insight
from ..domain.filters import ListingFilter
from ..extensions import db

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def _selection() -> list:
    chosen = ListingFilter.from_args(request.args, db.session)
    return list(db.session.scalars(chosen.listings(db.session)))


@bp.get("")
@officer_required
def index():
    listings = _selection()
    gaps = insight.gaps(db.session)
    return render_template(
        "dashboard/index.html",
        gaps=insight.gaps_by(gaps),
        villages=insight.village_theme_counts(listings),
        ladder=insight.ladder(listings),
        args=request.args,
    )


@bp.get("/export.csv")
@officer_required
def export_csv():
    return Response(
        insight.to_csv(_selection()),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=naoberkaart.csv"},
    )


@bp.get("/export.geojson")
@officer_required
def export_geojson():
    return Response(insight.to_geojson(_selection()), mimetype="application/geo+json")
