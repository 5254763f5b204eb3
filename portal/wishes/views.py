"""Flessenpost: leave an anonymous wish; read them per village; officers moderate."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain import audit, permissions, wishes
from ..domain.gazetteer import default_gazetteer
from ..domain.geography import from_entry
from ..domain.themes import all_themes
from ..extensions import db, limiter
from ..models import Wish
from ..models.base import utcnow
from .forms import WishForm

bp = Blueprint("wishes", __name__, url_prefix="/flessenpost")


def _themed(form: WishForm) -> WishForm:
    locale = str(get_locale())
    form.themes.choices = [(theme.slug, theme.label(locale)) for theme in all_themes(db.session)]
    return form


@bp.route("", methods=["GET", "POST"])
@limiter.limit("5 per hour;20 per day", methods=["POST"])
def index():
    """The form and what villages wish for, as counts per theme."""
    form = _themed(WishForm())
    if form.validate_on_submit():
        lookup = default_gazetteer().lookup(form.location_query.data)
        if lookup.best is None:
            form.location_query.errors.append(
                _("Dit dorp of deze postcode kennen we niet. Probeer het zo: ‘Roggel’ of ‘6088’.")
            )
        else:
            wishes.leave_wish(
                db.session, form.body.data, from_entry(lookup.best), tuple(form.themes.data)
            )
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
    if not permissions.can_moderate(current_user):
        abort(403)
    return render_template("wishes/moderation.html", pending=wishes.pending(db.session))


@bp.post("/moderatie/<int:wish_id>")
@login_required
def decide(wish_id: int):
    if not permissions.can_moderate(current_user):
        abort(403)
    wish = db.get_or_404(Wish, wish_id)
    approve = request.form.get("decision") == "approve"
    wishes.moderate(wish, current_user, approve, utcnow())
    audit.record(db.session, current_user, "wish.moderate", "wish", wish.id, approved=approve)
    db.session.commit()
    flash(_("Beoordeeld."), "success")
    return redirect(url_for("wishes.moderation"))
