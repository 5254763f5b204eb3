"""The API's query parameters, checked strictly: a bad value is a 400 that names it.

The list page forgives ("2,5", an empty page); the API promises an exact OpenAPI contract, so
it checks the shape of every value first and then lets the shared `ListingFilter` check ranges
and resolve `near`, so a filter means the same on the list page, the map and the API.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from ..caching.reads import public_selection
from ..domain import matching
from ..domain.catalogue.filters import ListingFilter
from ..i18n import translate
from ..models import ListingKind, OrganisationKind, Theme

INTEGER = re.compile(r"[+-]?[0-9]{1,9}")
NUMBER = re.compile(r"[+-]?(?:[0-9]{1,9}(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SHAPES = {"page": INTEGER, "per_page": INTEGER, "limit": INTEGER, "radius_km": NUMBER}
LENGTHS = {"near": 100, "q": 200}
SINGLE = ("near", "radius_km", "q", "page", "per_page", "limit")
LISTING_KINDS = tuple(kind.value for kind in ListingKind)
ORGANISATION_KINDS = tuple(kind.value for kind in OrganisationKind)
DEFAULT_PER_PAGE = 20
MAX_MATCHES = matching.MAX_CANDIDATES
DEFAULT_MATCHES = 10


class BadParameterError(Exception):
    """A query parameter the API cannot use; `detail` says why, in Dutch."""

    def __init__(self, parameter: str, detail: str) -> None:
        super().__init__(detail)
        self.parameter = parameter
        self.detail = detail


def check_shapes(args: MultiDict) -> None:
    """Each single-valued parameter once, numbers written as numbers, text without controls."""
    for name in SINGLE:
        if len(args.getlist(name)) > 1:
            raise BadParameterError(name, _("Geef %(name)s maar één keer.", name=name))
    for name, pattern in SHAPES.items():
        value = args.get(name)
        if value is not None and not pattern.fullmatch(value):
            raise BadParameterError(name, _("Vul een getal in (met een punt als decimaalteken)."))
    for name, most in LENGTHS.items():
        value = args.get(name)
        if value is not None and (len(value) > most or CONTROL.search(value)):
            raise BadParameterError(name, _("Gebruik hoogstens %(n)s gewone tekens.", n=most))


def check_choices(args: MultiDict, name: str, allowed: Collection[str]) -> None:
    """Every value of a repeatable parameter must be one of `allowed`."""
    for value in args.getlist(name):
        if value not in allowed:
            raise BadParameterError(name, _("Kies uit: %(values)s.", values=", ".join(allowed)))


def check_themes(args: MultiDict, session: Session) -> None:
    """Every `theme` must be a known slug (see /api/v1/themes)."""
    wanted = set(args.getlist("theme"))
    if not wanted:
        return
    storable = {slug for slug in wanted if "\x00" not in slug}  # PostgreSQL refuses NUL
    known = set(session.scalars(select(Theme.slug).where(Theme.slug.in_(storable))))
    unknown = sorted(wanted - known)
    if unknown:
        raise BadParameterError(
            "theme", _("Dit thema kennen we niet: %(slug)s. Zie /api/v1/themes.", slug=unknown[0])
        )


def _selection(args: MultiDict, per_page: int) -> ListingFilter:
    selection, _themes = public_selection(args, per_page=per_page)
    return _without_errors(selection)


def _without_errors(selection: ListingFilter) -> ListingFilter:
    """The selection, or its first error as a 400 answer."""
    if selection.errors:
        name, message = next(iter(selection.errors.items()))
        raise BadParameterError(name, translate(message))
    return selection


def listing_selection(args: MultiDict, session: Session) -> ListingFilter:
    """The listing filter for /listings: kind is offer, need or resource."""
    check_shapes(args)
    check_choices(args, "kind", LISTING_KINDS)
    check_themes(args, session)
    return _selection(args, DEFAULT_PER_PAGE)


def organisation_selection(args: MultiDict, session: Session) -> tuple[ListingFilter, list[str]]:
    """The filter for /organisations, and the organisation kinds asked for."""
    check_shapes(args)
    check_choices(args, "kind", ORGANISATION_KINDS)
    check_themes(args, session)
    rest = MultiDict(args)
    kinds = rest.poplist("kind")
    return _selection(rest, DEFAULT_PER_PAGE), kinds


def page_and_size(args: MultiDict, per_page: int = DEFAULT_PER_PAGE) -> tuple[int, int]:
    """`page` and `per_page` alone, with the same rules as the listing filter."""
    check_shapes(args)
    only = MultiDict({name: args[name] for name in ("page", "per_page") if name in args})
    selection = _without_errors(ListingFilter.from_args(only, per_page=per_page))
    return selection.page, selection.per_page


def match_limit(args: MultiDict) -> int:
    """How many candidates per side the caller wants (1 to 50)."""
    check_shapes(args)
    raw = args.get("limit")
    if raw is None:
        return DEFAULT_MATCHES
    value = int(raw)
    if not 1 <= value <= MAX_MATCHES:
        raise BadParameterError("limit", _("Vul een getal in tussen 1 en %(n)s.", n=MAX_MATCHES))
    return value


def text(args: MultiDict, name: str) -> str:
    """A free-text parameter, trimmed (its shape is checked by `check_shapes`)."""
    return (args.get(name) or "").strip()


def required_text(args: MultiDict, name: str) -> str:
    """A free-text parameter that must say something."""
    check_shapes(args)
    value = text(args, name)
    if not value:
        raise BadParameterError(
            name, _("Geef %(name)s: een plaatsnaam, postcode of adres.", name=name)
        )
    return value
