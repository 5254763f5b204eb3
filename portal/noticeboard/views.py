"""The prikbord of a village: what is offered and asked there, with QR codes, on A4."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from ..domain.community import noticeboard
from ..domain.places.gazetteer import default_gazetteer
from ..extensions import db
from ..links import external_url
from ..models.base import utcnow

bp = Blueprint("noticeboard", __name__, url_prefix="/prikbord")


def _listing_url(listing_id: int) -> str:
    return external_url("listings.detail", listing_id=listing_id)


@bp.get("/<place_key>")
def sheet(place_key: str):
    """One village's sheet; the screen version has a print button."""
    entry = default_gazetteer().get(place_key)
    if entry is None:
        abort(404)
    board = noticeboard.build_sheet(db.session, entry, _listing_url)
    list_url = external_url(
        "listings.index", near=noticeboard.near_query(entry), radius_km=f"{board.radius_km:g}"
    )
    return render_template(
        "noticeboard/sheet.html",
        entry=entry,
        board=board,
        today=utcnow(),  # a moment: the date filter shows it in Dutch time
        list_url=list_url,
        list_qr=noticeboard.qr_svg(list_url),
    )


@bp.app_template_global("qr_svg")
def qr_svg(url: str):
    """An inline SVG QR code for one of our own URLs (a listing page prints with one)."""
    return noticeboard.qr_svg(url)
