"""Everything the dashboard page shows for one selection, gathered without the request."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..domain.catalogue.maps import RenderedMap, Tiles
from ..domain.catalogue.themes import theme_choices
from ..domain.officer import dashboard_map as officer_map
from ..domain.officer import insight, partners
from ..domain.officer.partners import DashboardFilter
from ..i18n import translate


@dataclass(frozen=True)
class Overview:
    selection: DashboardFilter
    partners: partners.PartnerPage
    gap_places: list[insight.GapPlace]
    too_many_needs: bool
    gaps_per_theme: list[tuple[str, int]]
    balance: list[insight.Balance]
    figures: dict[tuple[str, str, str], insight.VillageFigures]
    ladder: dict[str, dict[str, int]]
    wishes: list[tuple[str, str, int]]
    map: RenderedMap
    map_config: dict
    theme_labels: dict[str, str]
    municipalities: list[str]
    places: list[tuple[str, str]]


def overview(session: Session, selection: DashboardFilter, tiles: Tiles, locale: str) -> Overview:
    page = partners.partner_page(session, selection)
    too_many = insight.too_many_needs(session, selection)
    needs = [] if too_many else insight.gaps(session, selection)
    gap_places = insight.gap_places(needs, selection.theme)
    partner_points = officer_map.partner_places(
        partners.counts_per_place(session, selection), page.partners
    )
    gap_points = officer_map.gap_points(gap_places)
    theme_labels = dict(theme_choices(session, locale))
    return Overview(
        selection=selection,
        partners=page,
        gap_places=gap_places,
        too_many_needs=too_many,
        gaps_per_theme=insight.gaps_per_theme(gap_places),
        balance=insight.balance(session, selection),
        figures=insight.village_figures(session, selection),
        ladder=insight.ladder(session, selection),
        wishes=insight.wishes_per_place(session, selection),
        map=officer_map.build(tiles, partner_points, gap_points, translate),
        map_config={"partners": partner_points, "gaps": gap_points, "themes": theme_labels},
        theme_labels=theme_labels,
        municipalities=partners.municipalities(session),
        places=partners.places(session, selection.municipality),
    )
