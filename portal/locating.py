"""Turn a form's location fields into a Location, with Dutch messages at the field on failure."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from .domain.errors import FieldError
from .domain.places import geography, moves
from .domain.places.geography import Location
from .extensions import db
from .i18n import translate
from .models.base import utcnow


def _clicked_point(form) -> tuple[float, float] | None:
    lat_field, lon_field = getattr(form, "lat", None), getattr(form, "lon", None)
    if lat_field is None or lon_field is None:
        return None
    try:
        return float(lat_field.data), float(lon_field.data)
    except (TypeError, ValueError):
        return None


def location_from_form(form, use_geocoder: bool = True) -> Location | None:
    """A clicked map point (unless another place was typed since), or the typed place.

    On failure the message goes to `location_query` and the form keeps everything typed.
    Every form (listing, volunteer, organisation, flessenpost) goes through here, and so
    through ``geography.locate``: one rule for what a text or a click means. The anonymous
    flessenpost passes ``use_geocoder=False``: what it is sent never leaves the portal.
    """
    query = (form.location_query.data or "").strip()
    online = current_app.extensions.get("geocoder") if use_geocoder else None
    resolution = geography.locate(db.session, query, _clicked_point(form), online)
    if resolution.location is not None:
        return resolution.location
    if not query:
        form.location_query.errors.append(
            _("Vul een plaats of postcode in, of klik op de kaart waar het is.")
        )
    else:
        form.location_query.errors.append(_not_found_message(resolution, online is not None))
    return None


def _not_found_message(resolution: geography.Resolution, online: bool) -> str:
    if resolution.candidates:
        names = "; ".join(entry.label for entry in resolution.candidates[:6])
        return _(
            "Er zijn meer plaatsen met deze naam: %(names)s. Typ de gemeente erachter, "
            "bijvoorbeeld ‘Roggel, Leudal’.",
            names=names,
        )
    if online:
        return _(
            "We konden deze plek niet vinden. Controleer de spelling of klik op de kaart "
            "waar het is."
        )
    return _(
        "We kennen geen dorp, wijk of postcode met deze naam, en zonder adressenzoeker vinden "
        "we geen straat. Typ uw dorp, wijk of postcode (bijvoorbeeld ‘Roggel’, ‘Hatert, "
        "Nijmegen’ of ‘6088’), of klik op de kaart waar het is."
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
