"""The map, request-free: village aggregates, a village's items, and the Folium (Leaflet) map.

Design (figures in docs/map.md): the national view sends one marker per village, not one per
listing. Residents' public points are their village centre anyway, so per-item markers would pile
up on the same spot; a village marker with a labelled count ("12 initiatieven in Roggel") and a
popup that loads that village's items from the JSON endpoint reads better and keeps the page
bounded by the number of places (~3,000), not the number of listings. Only public coordinates are
read: residents' exact `lat`/`lon` never leave the server.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import folium
import xyzservices
from babel.numbers import format_decimal
from branca.element import MacroElement
from folium.map import FitBounds
from folium.plugins import MarkerCluster
from jinja2 import Template
from markupsafe import escape
from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import Session

from ...models import Listing, ListingKind, Organisation
from ...models.listing import listing_theme
from ...models.organisation import organisation_theme
from ..places.gazetteer import default_gazetteer
from ..text import N_, Message
from .cards import listing_cards
from .filters import KINDS, ORGANISATION, ListingFilter, count
from .themes import ThemeRow

NO_PLACE = "-"
NL_BOUNDS = ((50.75, 3.36), (53.56, 7.23))
FIT_MAX_ZOOM = 13
FIT_PADDING = 40  # pixels
TILE_MAX_ZOOM = 19
KM_PER_DEGREE = 111.2
# The vendored map library (static/vendor/, scripts/vendor_assets.sh): its version stands here
# only; templates get these folders as `leaflet_dir` / `cluster_dir` (portal/map/views.py).
LEAFLET_DIR = "vendor/leaflet/1.9.4"
CLUSTER_DIR = "vendor/leaflet.markercluster/1.5.3"
LEAFLET = f"/static/{LEAFLET_DIR}"
CLUSTER = f"/static/{CLUSTER_DIR}"
LISTING_PATH = "/initiatieven/{id}"
ORGANISATION_PATH = "/organisaties/{id}"
Translate = Callable[[Message], str]  # the web layer's gettext for `N_` messages


@dataclass
class PlaceGroup:
    """Everything on the map in one village: how many items of each kind."""

    key: str
    name: str
    lat: float
    lon: float
    counts: list[int] = field(default_factory=lambda: [0] * len(KINDS))

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class MapData:
    """The aggregated selection: villages, the kinds shown as layers, and every theme."""

    kinds: tuple[str, ...]
    places: list[PlaceGroup]
    themes: Sequence[ThemeRow]

    @property
    def total(self) -> int:
        return sum(place.total for place in self.places)

    def kind_total(self, kind: str) -> int:
        index = KINDS.index(kind)
        return sum(place.counts[index] for place in self.places)


@dataclass(frozen=True)
class Tiles:
    """The base map: a URL template and its (trusted, configured) HTML attribution."""

    url: str
    attribution: str


@dataclass(frozen=True)
class RenderedMap:
    """Folium's split render: the map element for the page and the script for a nonce'd tag."""

    html: str
    script: str


def aggregate(session: Session, selection: ListingFilter, themes: Sequence[ThemeRow]) -> MapData:
    """Count the selection per village and kind: one GROUP BY per table, nothing per row.

    `themes`: every theme in display order (read_cache.themes: no query per request).
    """
    groups: dict[str, PlaceGroup] = {}
    for model, statement in _statements(session, selection):
        rows = session.execute(_counts(model, statement)).all()
        unknown = {key for key, _, _ in rows if default_gazetteer().get(key or NO_PLACE) is None}
        fallback = _fallback_positions(session, model, statement, unknown) if unknown else {}
        for key, kind, number in rows:
            kind_value = kind.value if isinstance(kind, ListingKind) else kind
            _group(groups, key, fallback).counts[KINDS.index(kind_value)] += number
    kinds = tuple(kind for kind in KINDS if not selection.kinds or kind in selection.kinds)
    return MapData(kinds=kinds, places=list(groups.values()), themes=themes)


def _statements(
    session: Session, selection: ListingFilter, ordered: bool = False
) -> list[tuple[type, Select]]:
    """The filter's selects for listings and organisations (only those asked for)."""
    statements: list[tuple[type, Select]] = []
    if selection.listing_kinds:
        located = selection.listings(session).where(Listing.public_lat.is_not(None))
        statements.append((Listing, located))
    if selection.wants_organisations:
        statements.append((Organisation, selection.organisations(session)))
    return [(model, s if ordered else s.order_by(None)) for model, s in statements]


def _counts(model, statement: Select) -> Select:
    """Per village (and kind, for listings): how many."""
    if model is Listing:
        columns, grouping = (model.place_key, model.kind), (model.place_key, model.kind)
    else:
        columns, grouping = (model.place_key, literal(ORGANISATION)), (model.place_key,)
    return statement.with_only_columns(*columns, func.count()).group_by(*grouping)


def _fallback_positions(session: Session, model, statement: Select, keys: set) -> dict:
    """Places the gazetteer does not know (or no place): the mean public point and a name."""
    known = [key for key in keys if key is not None]
    clause = model.place_key.in_(known)
    if None in keys:
        clause = clause | model.place_key.is_(None)
    query = statement.where(clause).with_only_columns(
        model.place_key,
        func.avg(model.public_lat),
        func.avg(model.public_lon),
        func.max(model.place_name),
    )
    return {row[0]: row[1:] for row in session.execute(query.group_by(model.place_key))}


def _group(groups: dict[str, PlaceGroup], key: str | None, fallback: dict) -> PlaceGroup:
    """The village's group, at the gazetteer's centre of the village when it is known."""
    name = key or NO_PLACE
    if name not in groups:
        entry = default_gazetteer().get(name)
        if entry is not None:
            groups[name] = PlaceGroup(name, entry.name, entry.lat, entry.lon)
        else:
            lat, lon, place_name = fallback[key]
            groups[name] = PlaceGroup(name, place_name or "", lat, lon)
    return groups[name]


def payload(data: MapData, locale: str = "nl") -> dict:
    """The compact JSON the page's script reads (format: docs/map.md).

    `places` rows are `[key, name, lat, lon, counts]`, `counts` per kind in `kinds` order.
    """
    return {
        "kinds": list(KINDS),
        "layers": list(data.kinds),
        "themes": [[theme.slug, theme.label(locale), theme.colour] for theme in data.themes],
        "places": [
            [place.key, place.name, round(place.lat, 4), round(place.lon, 4), place.counts]
            for place in data.places
        ],
        "total": data.total,
    }


def theme_breakdown(session: Session, selection: ListingFilter, themes: Sequence[ThemeRow]) -> dict:
    """Per village, how many items carry each theme: `{key: [theme index, count, ...]}`.

    Loaded after the markers (it joins every item to its themes, the costly part at scale),
    to colour each village's ring by the themes present there.
    """
    index = {theme.id: position for position, theme in enumerate(themes)}
    places: dict[str, dict[int, int]] = defaultdict(dict)
    for model, statement in _statements(session, selection):
        link = listing_theme if model is Listing else organisation_theme
        for key, theme_id, number in session.execute(_theme_counts(model, statement, link)):
            themes = places[key or NO_PLACE]
            themes[index[theme_id]] = themes.get(index[theme_id], 0) + number
    return {"places": {key: _flat_pairs(themes) for key, themes in places.items()}}


def _flat_pairs(themes: dict[int, int]) -> list[int]:
    ordered = sorted(themes.items(), key=lambda item: -item[1])
    return [value for pair in ordered for value in pair]


def _theme_counts(model, statement: Select, link) -> Select:
    rows = statement.with_only_columns(model.id, model.place_key).subquery()
    owner = link.c[f"{model.__tablename__}_id"]
    return (
        select(rows.c.place_key, link.c.theme_id, func.count())
        .select_from(rows.join(link, owner == rows.c.id))
        .group_by(rows.c.place_key, link.c.theme_id)
    )


def village_items(
    session: Session,
    selection: ListingFilter,
    place_key: str,
    themes: Sequence[ThemeRow],
    base: str = "",
) -> dict:
    """One page of a village's items (listings first, then organisations) for its popup."""
    statements = [
        (model, statement.where(_at_place(model, place_key)))
        for model, statement in _statements(session, selection, ordered=True)
    ]
    totals = [count(session, statement) for _model, statement in statements]
    offset, limit = (selection.page - 1) * selection.per_page, selection.per_page
    items: list[dict] = []
    for (model, statement), total in zip(statements, totals, strict=True):
        if limit > len(items) and offset < total:
            page = statement.offset(offset).limit(limit - len(items))
            items += _page_items(session, model, page, themes, base)
        offset = max(0, offset - total)
    entry = default_gazetteer().get(place_key)
    return {
        "key": place_key,
        "place": entry.name if entry else (items[0]["place"] if items else ""),
        "total": sum(totals),
        "page": selection.page,
        "per_page": selection.per_page,
        "items": items,
    }


def _at_place(model, place_key: str):
    return model.place_key.is_(None) if place_key == NO_PLACE else model.place_key == place_key


def _page_items(
    session: Session, model: type, page: Select, themes: Sequence[ThemeRow], base: str
) -> list[dict]:
    """What a popup shows of each item: no description, no coordinates (listings as cards)."""
    if model is Listing:
        ids = list(session.scalars(page.with_only_columns(Listing.id)))
        return [
            _item(card.id, card.kind.value, card.title, card.themes, card.place_name, base)
            for card in listing_cards(session, ids, themes)
        ]
    return [
        _item(row.id, ORGANISATION, row.name, row.themes, row.place_name, base)
        for row in session.scalars(page)
    ]


def _item(
    item_id: int, kind: str, title: str, themes: Sequence, place: str | None, base: str
) -> dict:
    path = ORGANISATION_PATH if kind == ORGANISATION else LISTING_PATH
    return {
        "id": item_id,
        "kind": kind,
        "title": title,
        "themes": [theme.slug for theme in themes],
        "place": place or "",
        "url": base + path.format(id=item_id),
    }


LAYER_NAMES = {
    ListingKind.OFFER.value: N_("Aanbod"),
    ListingKind.NEED.value: N_("Vraag"),
    ListingKind.RESOURCE.value: N_("Ruimte en middelen"),
    ORGANISATION: N_("Organisaties"),
}


class _SelectionView(MacroElement):
    """Sets the map's view from the page's `frame` (static/js/map.js), before any tile loads."""

    _template = Template(
        """{% macro script(this, kwargs) %}
NaoberKaart.fit({{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "NaoberKaartView"


class _Wiring(MacroElement):
    """Hands the Folium-built map, cluster group and kind layers to static/js/map.js."""

    _template = Template(
        """{% macro script(this, kwargs) %}
NaoberKaart.mount({{ this._parent.get_name() }}, {{ this.cluster.get_name() }}, {
{%- for kind, group in this.groups.items() %}{{ kind|tojson }}: {{ group.get_name() }},{% endfor -%}
});
{% endmacro %}"""
    )

    def __init__(self, cluster: MarkerCluster, groups: dict[str, folium.FeatureGroup]) -> None:
        super().__init__()
        self._name = "NaoberKaartWiring"
        self.cluster = cluster
        self.groups = groups


@functools.lru_cache(maxsize=64)
def build_map(tiles: Tiles, kinds: tuple[str, ...], aria_label: str) -> RenderedMap:
    """The Folium map: base tiles, one (empty) layer per kind and the cluster group.

    Every selection with the same kinds shares it, so each process builds it once (Folium
    compiles a Jinja template per element on every render: 12 ms). What differs per selection,
    the view, the radius circle and the layer names with their counts, is data: `frame`.
    """
    fmap = base_map(tiles, _SelectionView())
    groups = {kind: folium.FeatureGroup(name=kind).add_to(fmap) for kind in kinds}
    cluster = _cluster().add_to(fmap)
    _Wiring(cluster, groups).add_to(fmap)
    return render(fmap, aria_label)


def frame(data: MapData, selection: ListingFilter, locale: str, translate: Translate = str) -> dict:
    """What static/js/map.js sets on the shared map for this selection (format: docs/map.md).

    `translate` turns the layers' names (`N_` messages) into the reader's language.
    """
    centre = selection.centre
    radius = None
    if centre is not None:
        radius = {"centre": [centre.lat, centre.lon], "metres": selection.radius_km * 1000}
    return {
        "bounds": _bounds(data, selection),
        "padding": FIT_PADDING,
        "maxZoom": FIT_MAX_ZOOM,
        "radius": radius,
        "layers": {kind: _layer_name(data, kind, locale, translate) for kind in data.kinds},
    }


def fit_bounds(bounds: list[list[float]]) -> FitBounds:
    """Jump (no animation) to the bounds before any tiles exist, so none load at zoom 7 first."""
    fit = FitBounds(bounds, padding=(FIT_PADDING, FIT_PADDING), max_zoom=FIT_MAX_ZOOM)
    fit.options["animate"] = False
    return fit


def base_map(tiles: Tiles, view: MacroElement) -> folium.Map:
    """A Folium map on our own Leaflet copy and tiles; `view` sets where it looks, first."""
    fmap = folium.Map(location=[52.2, 5.3], zoom_start=7, tiles=None, control_scale=True)
    fmap.default_js = [("leaflet", f"{LEAFLET}/leaflet.js")]
    fmap.default_css = [("leaflet_css", f"{LEAFLET}/leaflet.css")]
    view.add_to(fmap)
    folium.TileLayer(
        tiles=_tile_provider(tiles), attr=tiles.attribution, max_zoom=TILE_MAX_ZOOM, control=False
    ).add_to(fmap)
    return fmap


def render(fmap: folium.Map, aria_label: str) -> RenderedMap:
    """Folium's render split into the map element (named for screen readers) and its script."""
    root = fmap.get_root()
    root.render()
    html = root.html.render().replace(
        '<div class="folium-map"',
        f'<div class="folium-map" role="region" aria-label="{escape(aria_label)}"',
        1,
    )
    return RenderedMap(html=html.strip(), script=root.script.render().strip())


def _layer_name(data: MapData, kind: str, locale: str, translate: Translate) -> str:
    total = format_decimal(data.kind_total(kind), locale=locale)
    return f"{translate(LAYER_NAMES[kind])} ({total})"


def _cluster() -> MarkerCluster:
    cluster = MarkerCluster(
        control=False,
        icon_create_function="NaoberKaart.clusterIcon",
        options={"showCoverageOnHover": False, "maxClusterRadius": 60, "chunkedLoading": True},
    )
    cluster.default_js = [("markerclusterjs", f"{CLUSTER}/leaflet.markercluster.js")]
    cluster.default_css = [
        ("markerclustercss", f"{CLUSTER}/MarkerCluster.css"),
        ("markerclusterdefcss", f"{CLUSTER}/MarkerCluster.Default.css"),
    ]
    return cluster


@functools.cache
def _tile_provider(tiles: Tiles) -> xyzservices.TileProvider:
    """Our tiles as a provider: given a bare URL, Folium searches all of xyzservices' ~1,000
    providers for that name on every map (a third of a map's build time)."""
    return xyzservices.TileProvider(
        name="naoberkaart", url=tiles.url, attribution=tiles.attribution
    )


def _bounds(data: MapData, selection: ListingFilter) -> list[list[float]]:
    """The radius circle when a place is given, else the results (or the whole country)."""
    centre = selection.centre
    if centre is not None:
        dlat = selection.radius_km / KM_PER_DEGREE
        dlon = dlat / math.cos(math.radians(centre.lat))
        return [[centre.lat - dlat, centre.lon - dlon], [centre.lat + dlat, centre.lon + dlon]]
    if not data.places:
        return [list(NL_BOUNDS[0]), list(NL_BOUNDS[1])]
    lats = [place.lat for place in data.places]
    lons = [place.lon for place in data.places]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


MAP_LABEL = N_("Kaart met initiatieven, vragen, middelen en organisaties")


@dataclass(frozen=True)
class MapView:
    """What a map page needs: the aggregates (legend, counts), the shared map, its data."""

    data: MapData
    rendered: RenderedMap
    payload: dict
    frame: dict
