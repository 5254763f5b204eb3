"""The public reads every visitor shares, as cacheable plain values (see portal/caching/results.py).

`public_selection` reads a visitor's filters the one way the list, map and API views share. Each
other function takes a `cached(namespace, key, compute)` callable (portal.caching.results.cached, or None
for no cache) and returns what the page needs; what goes into the cache is JSON: ids, counts,
candidate fields, the map data's JSON text. Nothing here is per visitor: owner-only parts
(volunteers among a need's candidates) are never cached.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import render_template
from sqlalchemy.orm import Session

from ..domain import matching
from ..domain.catalogue import cards, filters, maps
from ..domain.catalogue.filters import ListingFilter
from ..domain.catalogue.themes import ThemeRow, all_themes
from ..extensions import db
from ..i18n import translate, translated
from ..models import Listing, ListingStatus
from . import results

Cached = Callable[..., Any]  # portal.caching.results.cached(namespace, key, compute, local=False)
PUBLIC_SIDES = (matching.LISTING, matching.ORGANISATION)


def _through(cached: Cached | None, namespace: str, key: Any, compute: Callable[[], Any]) -> Any:
    return cached(namespace, key, compute) if cached else compute()


def themes(session: Session, cached: Cached | None = None) -> list[ThemeRow]:
    """Every theme in display order, kept in each process until the next write."""

    def compute() -> list[list]:
        return [
            [theme.id, theme.slug, theme.label_nl, theme.label_en, theme.colour]
            for theme in all_themes(session)
        ]

    rows = cached("themes", "all", compute, local=True) if cached else compute()
    return [ThemeRow(*row) for row in rows]


def with_theme_ids(selection: ListingFilter, known: list[ThemeRow]) -> ListingFilter:
    """The selection with its themes' ids filled in from `known` (saves a query per request)."""
    if not selection.themes:
        return selection
    ids = tuple(theme.id for theme in known if theme.slug in selection.themes)
    return dataclasses.replace(selection, theme_ids=ids)


def public_selection(args, per_page: int | None = None) -> tuple[ListingFilter, list[ThemeRow]]:
    """The visitor's selection from the query string, read one way by the list, map and API.

    Every theme comes from the cache (kept in each process), the selection gets its themes' ids
    from them (saves a query), and its errors are in the reader's language. Returns the
    selection and the themes.
    """
    known = themes(db.session, results.cached)
    sizing = {"per_page": per_page} if per_page else {}
    selection = with_theme_ids(ListingFilter.from_args(args, db.session, **sizing), known)
    return dataclasses.replace(selection, errors=translated(selection.errors)), known


def listing_results(
    session: Session,
    selection: ListingFilter,
    known: list[ThemeRow],
    count_limit: int,
    context: dict,
    cached: Cached | None = None,
) -> tuple[filters.Page, str]:
    """A page of the list and its rendered result list (listings/_results.html), cached together.

    The domain gives the values (ids, count, cards); the rendering is the same for every
    visitor (no nonce, token or account in it). `context`: whatever else it depends on (the
    locale, the script root).
    """

    def compute() -> dict:
        page = filters.listing_page(session, selection, count_limit)
        html = render_template(
            "listings/_results.html",
            selection=selection,
            cards=cards.listing_cards(session, page.ids, known),
        )
        return {"ids": page.ids, "total": page.total, "capped": page.capped, "html": html}

    key = {**selection.cache_key(), "count_limit": count_limit, **context}
    found = _through(cached, "listing-results", key, compute)
    page = filters.Page(
        ids=found["ids"],
        page=selection.page,
        per_page=selection.per_page,
        total=found["total"],
        capped=found["capped"],
        session=session,
    )
    return page, found["html"]


def public_candidates(
    session: Session, listing: Listing, now: datetime, limit: int = 5, cached: Cached | None = None
) -> list[matching.Candidate]:
    """Who can help / who looks for this, as every visitor sees it (no volunteers)."""
    if listing.status is not ListingStatus.PUBLISHED:
        return []

    def compute() -> list[dict]:
        found = matching.find_candidates(session, listing, now, limit=limit, sides=PUBLIC_SIDES)
        return [dataclasses.asdict(candidate) for candidate in found]

    rows = _through(cached, "candidates", {"listing": listing.id, "limit": limit}, compute)
    return [matching.Candidate.from_plain(row) for row in rows]


def map_data_json(
    session: Session,
    selection: ListingFilter,
    place: str,
    locale: str,
    base: str = "",
    cached: Cached | None = None,
) -> str:
    """The body of /kaart/data.json without `errors`: village aggregates or one village's items."""

    def compute() -> str:
        if place:
            body = maps.village_items(session, selection, place, themes(session, cached), base)
        else:
            body = maps.payload(maps.aggregate(session, selection, themes(session, cached)), locale)
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False)

    key = {**selection.cache_key(), "place": place, "locale": locale, "base": base}
    return _through(cached, "map-data", key, compute)


@dataclass(frozen=True)
class MapSummary:
    """What a map page reads of the aggregates besides the render: the total and the themes."""

    total: int
    themes: list[ThemeRow]


def map_view(
    session: Session,
    selection: ListingFilter,
    tiles: maps.Tiles,
    locale: str,
    cached: Cached | None = None,
) -> maps.MapView:
    """The map page's aggregates and how to show them, cached per filter (the map is shared)."""

    def compute() -> dict:
        data = maps.aggregate(session, selection, themes(session, cached))
        frame = maps.frame(data, selection, locale, translate)
        return {"payload": maps.payload(data, locale), "frame": frame}

    key = {**selection.cache_key(), "locale": locale}
    found = _through(cached, "map-view", key, compute)
    payload = found["payload"]
    return maps.MapView(
        data=MapSummary(total=payload["total"], themes=themes(session, cached)),
        rendered=maps.build_map(tiles, tuple(payload["layers"]), translate(maps.MAP_LABEL)),
        payload=payload,
        frame=found["frame"],
    )


def with_errors(body_json: str, errors: dict[str, str]) -> str:
    """Add the request's own `errors` member to a cached JSON object."""
    return body_json[:-1] + ',"errors":' + json.dumps(errors, ensure_ascii=False) + "}"
