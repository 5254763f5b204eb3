"""Error pages in Dutch, never tracebacks; JSON for the API."""

from __future__ import annotations

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from . import links
from .extensions import db, login_manager


def _titles() -> dict[int, str]:
    """Plain-language titles per status code (translated at request time)."""
    return {
        400: _("Deze vraag begrijpen we niet"),
        403: _("U heeft geen toegang tot deze pagina"),
        404: _("Deze pagina bestaat niet (meer)"),
        405: _("Dit kan zo niet"),
        413: _("Dit is te veel om in één keer te versturen"),
        429: _("Even rustig aan"),
        500: _("Er ging iets mis bij ons"),
        503: _("De kaart is even niet bereikbaar"),
    }


def render_error(error: HTTPException):
    """One page (or JSON body) for every HTTP error."""
    code = error.code or 500
    title = _titles().get(code, error.name)
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    if request.path.startswith("/api/"):
        response = jsonify(error={"status": code, "title": title, "detail": error.description})
        response.status_code = code
        response.headers.extend(headers)
        if code == 429 and error.response is not None:
            response.headers["Retry-After"] = error.response.headers.get("Retry-After", "60")
        return response
    links.bind_refused_request()
    return render_template("errors/error.html", code=code, title=title), code, headers


def handle_expired_form(error: CSRFError):
    """A form without a valid CSRF token: usually a page left open too long."""
    if request.path.startswith("/api/"):
        return render_error(error)
    title = _("Het formulier is verlopen")
    detail = _("Ga terug, laad de pagina opnieuw en verstuur het formulier nog een keer.")
    return render_template("errors/error.html", code=400, title=title, detail=detail), 400


def handle_database_down(error: OperationalError):
    """The database cannot be reached: say so in Dutch with 503, and free the session.

    The page is rendered as for an anonymous visitor: loading the signed-in user (for the
    language or the menu) needs the very database that just failed.
    """
    db.session.rollback()
    g._login_user = login_manager.anonymous_user()
    return render_error(ServiceUnavailable())


def handle_unexpected(error: Exception):
    """Anything else: roll back so the next request starts clean, then a 500 page."""
    db.session.rollback()
    if isinstance(error, HTTPException):
        return render_error(error)
    current_app.logger.exception("Unhandled error on %s", request.path)
    return render_error(InternalServerError())


def release_session(_error: BaseException | None) -> None:
    """Give the connection back; when the database went away after the answer was made, drop
    the dead connection instead of turning a finished request into a 500 (bench/faults)."""
    try:
        db.session.remove()
    except DBAPIError:
        db.session.registry.clear()
        current_app.logger.warning("Database connection lost while closing the session")


def register(app: Flask) -> None:
    """Install the handlers (the teardown runs before Flask-SQLAlchemy's, which then has
    nothing left to do)."""
    app.teardown_appcontext(release_session)
    app.register_error_handler(CSRFError, handle_expired_form)
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(Exception, handle_unexpected)
