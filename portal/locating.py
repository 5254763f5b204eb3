"""Turn a form's location fields into a Location, with Dutch messages at the field on failure."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from .domain.errors import FieldError
from .domain.places import geography, moves
from .domain.places.gazetteer import normalise
from .domain.places.geography import Location
from .extensions import db
from .i18n import translate
from .models.base import utcnow


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


def location_to_save(form, mover_id: int, stored: Location | None) -> Location | None:
    """The form's location to save over `stored` (the row's current one; None when new).

    Naming the same place without a click keeps the stored point: a form shown to anyone but
    the owner never carries the exact point. A new point counts against the mover's moves of
    the hour (``domain.moves``); past them the message goes to `location_query`.
    """
    location = location_from_form(form)
    if location is None:
        return None
    if stored and _clicked_point(form) is None and location.place_key == stored.place_key:
        return stored
    return _counted(form, mover_id, stored, location)


def _counted(form, mover_id: int, stored: Location | None, location: Location) -> Location | None:
    if not moves.is_move(stored and (stored.lat, stored.lon), location):
        return location
    try:
        limit = current_app.config["LOCATION_MOVES_PER_HOUR"]
        moves.record_move(db.session, mover_id, utcnow(), limit)
    except FieldError as error:
        form.location_query.errors.append(translate(error.message))
        return None
    return location
