"""The dashboard map: partners per village and the gaps as shaded villages, request-free.

Folium builds the base map and two layers; static/js/dashboard.js fills them from a JSON config
(every text through textContent). Points are public ones: a village centre or an organisation's
public address. Gap counts are suppressed like every other officer figure.
"""

from __future__ import annotations

from collections import defaultdict

import folium
from branca.element import MacroElement
from jinja2 import Template

from ..catalogue.maps import NL_BOUNDS, RenderedMap, Tiles, Translate, base_map, fit_bounds, render
from ..places.gazetteer import default_gazetteer
from ..text import N_
from .insight import SUPPRESS_BELOW, GapPlace, suppress
from .partners import Partner

NAMES_PER_PLACE = 8
MAP_LABEL = N_("Kaart met partners en gaten")


class _Wiring(MacroElement):
    """Hands the Folium map and its two layers to static/js/dashboard.js."""

    _template = Template(
        """{% macro script(this, kwargs) %}
NaoberDashboard.mount({{ this._parent.get_name() }}, {{ this.partners.get_name() }}, {{ this.gaps.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, partners: folium.FeatureGroup, gaps: folium.FeatureGroup) -> None:
        super().__init__()
        self._name = "NaoberDashboardWiring"
        self.partners = partners
        self.gaps = gaps


def build(
    tiles: Tiles, partner_places: list[dict], gap_places: list[dict], translate: Translate = str
) -> RenderedMap:
    """The base map with a partner layer and a gap layer, fitted to what is shown; `translate`
    puts the layer names and the map's label into the reader's language."""
    fmap = base_map(tiles, fit_bounds(_bounds(partner_places + gap_places)))
    partners = folium.FeatureGroup(name=translate(N_("Partners"))).add_to(fmap)
    gaps = folium.FeatureGroup(name=translate(N_("Gaten (hulpvragen zonder aanbod)")))
    gaps.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    _Wiring(partners, gaps).add_to(fmap)
    return render(fmap, translate(MAP_LABEL))


def partner_places(counts: dict[str, int], shown: list[Partner]) -> list[dict]:
    """One marker per place with all its partners counted; names of those in the table."""
    names: dict[str, list[dict]] = defaultdict(list)
    for partner in shown:
        if len(names[partner.place_key]) < NAMES_PER_PLACE:
            names[partner.place_key].append({"name": partner.name, "path": partner.path})
    places = []
    for key, number in counts.items():
        entry = default_gazetteer().get(key)
        if entry is not None:
            places.append(
                {
                    "lat": entry.lat, "lon": entry.lon, "place": entry.name, "placeKey": key,
                    "municipality": entry.municipality, "count": number, "items": names[key],
                }
            )  # fmt: skip
    return places


def gap_points(places: list[GapPlace]) -> list[dict]:
    """One shaded circle per village with gaps; counts under five get one small size."""
    points = []
    for place in places:
        if place.lat is None or place.lon is None:
            continue
        themes: dict[str, int] = defaultdict(int, place.per_theme)
        points.append(
            {
                "lat": place.lat,
                "lon": place.lon,
                "place": place.place,
                "placeKey": place.place_key,
                "size": place.total if place.total >= SUPPRESS_BELOW else 1,
                "shown": suppress(place.total),
                "themes": [[slug, suppress(n)] for slug, n in sorted(themes.items())],
            }
        )
    return points


def _bounds(points: list[dict]) -> list[list[float]]:
    if not points:
        return [list(NL_BOUNDS[0]), list(NL_BOUNDS[1])]
    lats = [point["lat"] for point in points]
    lons = [point["lon"] for point in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]
