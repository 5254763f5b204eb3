"""The officer's exports: partners as CSV (for Excel) and GeoJSON (for QGIS), village figures
as CSV for the municipality's Wmo monitor.

Only public fields: organisations' public contact details, initiatives' coarse public points
(three decimals, about 100 m) and never a resident's name, contact details or exact point.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from ..exchange.hsds.csvsafe import neutralise
from .insight import VillageFigures, suppress
from .partners import Partner

PARTNER_FIELDS = (
    "type", "id", "name", "kind", "themes", "place", "municipality", "verified",
    "involvement", "email", "phone", "website", "url", "lat", "lon",
)  # fmt: skip
MONITOR_FIELDS = (
    "municipality", "place", "theme", "open_needs", "offers", "matches_made",
    "active_volunteers", "median_hours_to_first_reply",
)  # fmt: skip


def partner_row(partner: Partner, base_url: str) -> dict[str, str]:
    return {
        "type": partner.type,
        "id": str(partner.id),
        "name": partner.name,
        "kind": partner.kind,
        "themes": " ".join(partner.theme_slugs),
        "place": partner.place,
        "municipality": partner.municipality,
        "verified": "ja" if partner.verified else "nee",
        "involvement": partner.involvement,
        "email": partner.contact.email,
        "phone": partner.contact.phone,
        "website": partner.contact.website,
        "url": base_url.rstrip("/") + partner.path,
        "lat": "" if partner.lat is None else f"{partner.lat:.3f}",
        "lon": "" if partner.lon is None else f"{partner.lon:.3f}",
    }


def partners_csv(partners: Iterable[Partner], base_url: str) -> str:
    """UTF-8 CSV with a BOM (Excel then keeps é and ë), spreadsheet formulas neutralised."""
    return _csv(PARTNER_FIELDS, (partner_row(partner, base_url) for partner in partners))


def partners_geojson(partners: Iterable[Partner], base_url: str) -> str:
    """A FeatureCollection of the partners that have a public point."""
    features = []
    for partner in partners:
        row = partner_row(partner, base_url)
        if not row["lat"]:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(row["lon"]), float(row["lat"])],
                },
                "properties": {k: v for k, v in row.items() if k not in ("lat", "lon")},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def monitor_csv(figures: dict[tuple[str, str, str], VillageFigures]) -> str:
    """Per village and theme the suppressed figures, for the Wmo monitor."""
    rows = (
        {
            "municipality": municipality,
            "place": place,
            "theme": theme,
            "open_needs": suppress(row.needs),
            "offers": suppress(row.offers),
            "matches_made": suppress(row.matches_made),
            "active_volunteers": suppress(row.volunteers),
            "median_hours_to_first_reply": row.median_reply,
        }
        for (municipality, place, theme), row in figures.items()
    )
    return _csv(MONITOR_FIELDS, rows)


def _csv(fields: tuple[str, ...], rows: Iterable[dict[str, str]]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralise(value) for key, value in row.items()})
    return buffer.getvalue()
