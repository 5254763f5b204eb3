"""Home, the statements every Dutch public site publishes, language choice and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..caching.pages import shared_page
from ..extensions import db
from ..i18n import LANGUAGE_COOKIE
from ..redirects import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
@shared_page
def home():
    """The front door: what the portal is and where to start."""
    return render_template("main/home.html")


@bp.get("/privacy")
@shared_page
def privacy():
    """The privacy statement."""
    return render_template("main/privacy.html")


@bp.get("/toegankelijkheid")
@shared_page
def accessibility():
    """The accessibility statement."""
    return render_template("main/accessibility.html")


@bp.get("/taal")
def set_language():
    """Remember the chosen language for a year (a plain link, so pages carry no form token)."""
    language = request.args.get("lang", "nl")
    if language not in current_app.config["LANGUAGES"]:
        language = "nl"
    response = redirect(safe_next(request.args.get("next")))
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@bp.get("/healthz")
def healthz():
    """200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
