"""How the API answers besides its bodies: JSON errors, paging links, GeoJSON, headers.

`install(bp)` puts the error handlers and response hooks on the API blueprint.
"""

from __future__ import annotations

import math
import time

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from ..extensions import limiter
from ..links import external_url
from . import bearer as tokens
from .params import BadParameterError

GEOJSON = "application/geo+json"
#: Only these parameters go into paging links (never e.g. `_external` from the query).
FILTER_PARAMETERS = ("kind", "theme", "near", "radius_km", "q")
#: Endpoints with personal data are not for other websites' scripts.
PRIVATE_ENDPOINTS = ("api.listing_matches",)


def problem(status: int, parameter: str | None, detail: str, title: str | None = None):
    """The API's error body: {"error": {"status", "title", "detail", "parameter"?}}."""
    error = {
        "status": status,
        "title": title or _("Deze vraag begrijpen we niet"),
        "detail": detail,
    }
    if parameter is not None:
        error["parameter"] = parameter
    response = jsonify(error=error)
    response.status_code = status
    return response


def not_found_text() -> str:
    """Said on every API 404 (translated per request)."""
    return _("Dit nummer bestaat niet, of wat erbij hoort is (nog) niet openbaar.")


def forbidden():
    """403: somebody else's listing."""
    return problem(403, None, _("Alleen de eigenaar ziet de matches."), title=_("Geen toegang"))


def geojson(body: dict) -> Response:
    """A body served as application/geo+json."""
    response = jsonify(body)
    response.mimetype = GEOJSON
    return response


def _link(page: int, per_page: int) -> str:
    args = {name: request.args.getlist(name) for name in FILTER_PARAMETERS if name in request.args}
    return external_url(request.endpoint, **args, page=page, per_page=per_page)


def paging(page: int, per_page: int, total: int) -> dict:
    """page, per_page, total and the self/next/prev links (null at either end)."""
    last = max(math.ceil(total / per_page), 1)
    return {
        "page": page,
        "per_page": per_page,
        "total": total,
        "links": {
            "self": _link(page, per_page),
            "next": _link(page + 1, per_page) if page < last else None,
            "prev": _link(min(page - 1, last), per_page) if page > 1 else None,
        },
    }


def bad_parameter(error: BadParameterError):
    """400 that names the parameter."""
    return problem(400, error.parameter, error.detail)


def unauthorized(error: HTTPException):
    """401 with the Bearer challenge, so clients know a token is what is missing."""
    detail = _("Log in, of stuur een persoonlijke API-sleutel: Authorization: Bearer <sleutel>.")
    response = problem(401, None, detail, title=_("U bent niet ingelogd"))
    response.headers["WWW-Authenticate"] = tokens.challenge()
    return response


def too_many_requests(error: HTTPException):
    """429 that always says when to come back (Retry-After, in seconds).

    Flask-Limiter adds Retry-After itself only with RATELIMIT_HEADERS_ENABLED; this handler
    makes the promise hold either way.
    """
    limit = limiter.current_limit
    seconds = max(int(limit.reset_at - time.time()), 1) if limit else 60
    response = problem(429, None, str(error.description), title=_("Even rustig aan"))
    response.headers["Retry-After"] = str(seconds)
    return response


def open_to_other_websites(response: Response) -> Response:
    """Public data may be fetched by a village website's own script; personal data may not."""
    if request.endpoint not in PRIVATE_ENDPOINTS:
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def install(bp: Blueprint) -> None:
    """Error handlers and response hooks for the API blueprint."""
    bp.register_error_handler(BadParameterError, bad_parameter)
    bp.register_error_handler(401, unauthorized)
    bp.register_error_handler(429, too_many_requests)
    bp.after_request(open_to_other_websites)
