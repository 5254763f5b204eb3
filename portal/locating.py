"""Turn a form's location fields into a Location, with Dutch messages at the field on failure."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from .domain import geography
from .domain.gazetteer import normalise
from .domain.geography import Location
from .extensions import db


def _clicked_point(form) -> tuple[float, float] | None:
    try:
        lat, lon = float(form.lat.data), float(form.lon.data)
    except (TypeError, ValueError):
        return None
    return (lat, lon) if geography.in_netherlands(lat, lon) else None


def location_from_form(form) -> Location | None:
    """A clicked map point (unless another place was typed since), or the typed place.

    On failure the message goes to `location_query` and the form keeps everything typed.
    """
    query = (form.location_query.data or "").strip()
    point = _clicked_point(form)
    if point is not None:
        clicked = geography.from_point(*point)
        if not query or normalise(query) in {
            normalise(clicked.place_name),
            normalise(clicked.label),
        }:
            return clicked
    if not query:
        form.location_query.errors.append(
            _("Vul een plaats of postcode in, of klik op de kaart waar het is.")
        )
        return None
    resolution = geography.resolve(db.session, query, current_app.extensions.get("geocoder"))
    if resolution.location is not None:
        return resolution.location
    form.location_query.errors.append(_not_found_message(resolution))
    return None


def _not_found_message(resolution: geography.Resolution) -> str:
    if resolution.candidates:
        names = "; ".join(entry.label for entry in resolution.candidates[:6])
        return _(
            "Er zijn meer plaatsen met deze naam: %(names)s. Typ de gemeente erachter, "
            "bijvoorbeeld ‘Roggel, Leudal’.",
            names=names,
        )
    return _(
        "We konden deze plek niet vinden. Controleer de spelling of klik op de kaart waar het is."
    )
