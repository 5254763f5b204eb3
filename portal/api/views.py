"""The JSON API under /api/v1 (read-only)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from ..domain import geography
from ..domain.gazetteer import GazetteerEntry, default_gazetteer
from ..extensions import csrf, db

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _problem(status: int, parameter: str, detail: str):
    response = jsonify(error={"status": status, "parameter": parameter, "detail": detail})
    response.status_code = status
    return response


def _entry_json(entry: GazetteerEntry) -> dict:
    return {
        "label": entry.label,
        "place": entry.name,
        "municipality": entry.municipality,
        "province": entry.province,
        "kind": entry.kind,
        "lat": round(entry.lat, 5),
        "lon": round(entry.lon, 5),
        "approximate": entry.approximate,
    }


@bp.get("/geocode")
def geocode():
    """The best match for a place, postcode or address — or the candidates to choose from."""
    query = (request.args.get("q") or "").strip()
    if not query or len(query) > 200:
        return _problem(
            400, "q", "Give q: a place name, 4-digit postcode or address (max 200 chars)."
        )
    resolution = geography.resolve(db.session, query, current_app.extensions.get("geocoder"))
    db.session.commit()
    best = resolution.location
    return jsonify(
        query=query,
        best=None if best is None else {
            "lat": round(best.lat, 5), "lon": round(best.lon, 5), "place": best.place_name,
            "municipality": best.municipality, "source": best.source, "approximate": best.approximate,
        },
        candidates=[_entry_json(entry) for entry in resolution.candidates],
        suggestions=[_entry_json(entry) for entry in default_gazetteer().suggest(query, limit=8)],
    )  # fmt: skip
