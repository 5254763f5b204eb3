"""Flessenpost: leave an anonymous wish; read them per village; officers moderate."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.catalogue.themes import all_themes, theme_choices
from ..domain.community import wishes
from ..domain.identity import permissions
from ..domain.officer import moderation as moderation_domain
from ..domain.places.gazetteer import default_gazetteer
from ..extensions import db, limiter
from ..locating import location_from_form
from ..models import Wish
from ..models.base import utcnow
from ..redirects import safe_next
from .forms import WishForm

bp = Blueprint("wishes", __name__, url_prefix="/flessenpost")


def _themed(form: WishForm) -> WishForm:
    locale = str(get_locale())
    form.themes.choices = theme_choices(db.session, locale)
    return form


@bp.route("", methods=["GET", "POST"])
@limiter.limit("5 per hour;20 per day", methods=["POST"])
def index():
    """The form and what villages wish for, as counts per theme."""
    form = _themed(WishForm())
    if form.validate_on_submit():
        location = location_from_form(form, use_geocoder=False)
        if location is not None:
            wishes.leave_wish(db.session, form.body.data, location, tuple(form.themes.data))
            db.session.commit()
            flash(
                _(
                    "Dank u wel. Uw wens is anoniem ontvangen. Na controle is hij te zien bij uw dorp."
                ),
                "success",
            )
            return redirect(url_for("wishes.index"))
    places = wishes.counts_per_place(db.session)
    themes = {theme.slug: theme for theme in all_themes(db.session)}
    return render_template(
        "wishes/index.html", form=form, places=places, themes=themes
    ), 400 if form.errors else 200


@bp.get("/<place_key>")
def place(place_key: str):
    """The approved wishes of one village."""
    entry = default_gazetteer().get(place_key)
    if entry is None:
        abort(404)
    return render_template(
        "wishes/place.html", entry=entry, wishes=wishes.approved_for_place(db.session, place_key)
    )


@bp.get("/moderatie")
@login_required
def moderation():
    """Wishes to approve: all for officers, their own village for a verified village council."""
    places = permissions.wish_places(db.session, current_user)
    if places == frozenset():
        abort(403)
    return render_template(
        "wishes/moderation.html",
        pending=moderation_domain.pending_wishes(db.session, places),
        own_village_only=places is not None,
    )


@bp.post("/moderatie/<int:wish_id>")
@login_required
def decide(wish_id: int):
    """Approve or reject one wish; back to the page it came from (this page or the queue)."""
    wish = db.get_or_404(Wish, wish_id)
    if not permissions.can_moderate_wish(db.session, current_user, wish):
        abort(403)
    decision = request.form.get("decision")
    if decision not in ("approve", "reject"):
        abort(400)
    moderation_domain.decide_wish(db.session, wish, current_user, decision == "approve", utcnow())
    db.session.commit()
    flash(_("Beoordeeld."), "success")
    return redirect(safe_next(request.form.get("next"), "wishes.moderation"))
