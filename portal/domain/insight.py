"""Officer insight without surveillance: gaps, suppressed counts, the ladder, exports."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Listing
from ..models.listing import ListingKind, ListingStatus
from .hsds.csvsafe import neutralise
from .matching import find_candidates

SUPPRESS_BELOW = 5
EXPORT_FIELDS = ("id", "kind", "title", "themes", "place", "municipality", "lat", "lon")


def suppress(count: int) -> str:
    """A count as shown to officers: numbers under five become '<5'."""
    return "<5" if 0 < count < SUPPRESS_BELOW else str(count)


def gaps(session: Session, now=None) -> list[Listing]:
    """Published needs for which the matching engine finds no candidate at all."""
    needs = session.scalars(
        select(Listing).where(
            Listing.kind == ListingKind.NEED, Listing.status == ListingStatus.PUBLISHED
        )
    )
    return [need for need in needs if not find_candidates(session, need, now, limit=1)]


def gaps_by(needs: list[Listing]) -> list[tuple[str, str, str]]:
    """Gaps counted per theme and place, small numbers suppressed."""
    counts = Counter((theme.slug, need.place_name or "") for need in needs for theme in need.themes)
    return [(theme, place, suppress(n)) for (theme, place), n in sorted(counts.items())]


def village_theme_counts(listings: list[Listing]) -> list[tuple[str, str, str, str]]:
    """Per village and theme the open needs and offers, small numbers suppressed."""
    counts: Counter = Counter()
    for listing in listings:
        for theme in listing.themes:
            counts[(listing.place_name or "", theme.slug, listing.kind)] += 1
    keys = sorted({(place, theme) for place, theme, _kind in counts})
    return [
        (
            place,
            theme,
            suppress(counts[(place, theme, ListingKind.NEED)]),
            suppress(counts[(place, theme, ListingKind.OFFER)]),
        )
        for place, theme in keys
    ]


def ladder(listings: list[Listing]) -> dict[str, Counter]:
    """Per municipality, how many initiatives sit on each rung of the involvement ladder."""
    result: dict[str, Counter] = {}
    for listing in listings:
        if listing.involvement is not None:
            rungs = result.setdefault(listing.municipality or "", Counter())
            rungs[listing.involvement.value] += 1
    return result


def _row(listing: Listing) -> dict[str, str]:
    """Only public fields and coarse public coordinates; never owners or exact points."""
    return {
        "id": str(listing.id),
        "kind": listing.kind.value,
        "title": listing.title,
        "themes": " ".join(theme.slug for theme in listing.themes),
        "place": listing.place_name or "",
        "municipality": listing.municipality or "",
        "lat": "" if listing.public_lat is None else f"{listing.public_lat:.3f}",
        "lon": "" if listing.public_lon is None else f"{listing.public_lon:.3f}",
    }


def to_csv(listings: list[Listing]) -> str:
    """UTF-8 CSV with a BOM (for Excel), formulas neutralised."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for listing in listings:
        writer.writerow({key: neutralise(value) for key, value in _row(listing).items()})
    return buffer.getvalue()


def to_geojson(listings: list[Listing]) -> str:
    """A FeatureCollection at coarse public coordinates."""
    features = []
    for listing in listings:
        row = _row(listing)
        if not row["lat"]:
            continue
        geometry = {"type": "Point", "coordinates": [float(row["lon"]), float(row["lat"])]}
        properties = {k: v for k, v in row.items() if k not in ("lat", "lon")}
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
