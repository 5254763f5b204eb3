"""Mijn Naoberkaart: my listings, my organisations and my volunteer profile."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from sqlalchemy import or_, select

from ..domain import matching
from ..domain.catalogue.schedule import slot_choices
from ..domain.catalogue.themes import theme_choices
from ..domain.community import contact, organisations, volunteers
from ..domain.identity import privacy
from ..domain.identity.passwords import verify_password
from ..domain.places import moves
from ..extensions import db
from ..locating import location_to_save
from ..models import Listing, Membership, User
from ..models.base import utcnow
from .forms import DeleteAccountForm, VolunteerForm

bp = Blueprint("me", __name__, url_prefix="/mijn")


@bp.before_request
@login_required
def require_login():
    """Every page here is personal."""


@bp.get("")
def index():
    """What I have on the map, for which organisations, and my volunteer profile."""
    memberships = db.session.scalars(
        select(Membership).where(Membership.user_id == current_user.id)
    ).all()
    # The organisation ids as values, not a subquery: then both sides of the OR use an index.
    organisation_ids = [membership.organisation_id for membership in memberships]
    mine = db.session.scalars(
        select(Listing)
        .where(
            or_(Listing.owner_id == current_user.id, Listing.organisation_id.in_(organisation_ids))
        )
        .order_by(Listing.updated_at.desc())
    ).all()
    profile = volunteers.profile_of(db.session, current_user)
    return render_template(
        "me/index.html", listings=mine, memberships=memberships, profile=profile,
        can_help=matching.find_candidates(db.session, profile, utcnow(), limit=8) if profile else [],
        conversations=contact.conversations_of(db.session, current_user)[:5],
        invitations=organisations.invitations_for(db.session, current_user),
    )  # fmt: skip


@bp.post("/uitnodigingen/<int:invitation_id>/<any(accepteren, weigeren):answer>")
def answer_invitation(invitation_id: int, answer: str):
    """Accept or decline an organisation's invitation (only one's own: others are 404)."""
    invitation = organisations.invitation_for(db.session, current_user, invitation_id)
    if invitation is None:
        abort(404)
    name = invitation.organisation.name
    if answer == "accepteren":
        organisations.accept_invitation(db.session, invitation, current_user)
        message = _("U bent nu lid van %(name)s.", name=name)
    else:
        organisations.decline_invitation(db.session, invitation)
        message = _("U heeft de uitnodiging van %(name)s geweigerd.", name=name)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("me.index"))


@bp.route("/vrijwilliger", methods=["GET", "POST"])
def volunteer():
    """Create or change my standing offer of help."""
    profile = volunteers.profile_of(db.session, current_user)
    form = VolunteerForm(obj=profile)
    locale = str(get_locale())
    form.themes.choices = theme_choices(db.session, locale)
    form.availability.choices = slot_choices(locale)
    if request.method == "GET":
        _fill(form, profile)
    elif form.validate_on_submit():
        location = location_to_save(form, current_user.id, moves.stored_location(profile))
        if location is not None:
            volunteers.save_profile(db.session, current_user, _input(form, location))
            db.session.commit()
            flash(_("Uw vrijwilligersprofiel is opgeslagen. Dank u wel!"), "success")
            return redirect(url_for("me.index"))
    return render_template("me/volunteer.html", form=form), 400 if form.errors else 200


def _fill(form: VolunteerForm, profile) -> None:
    if profile is None:
        form.display_name.data = current_user.display_name.split(" ")[0]
        return
    form.themes.data = [theme.slug for theme in profile.themes]
    form.skills.data = ", ".join(profile.skills)
    form.location_query.data = profile.place_name
    form.lat.data, form.lon.data = profile.lat, profile.lon


def _input(form: VolunteerForm, location) -> volunteers.VolunteerInput:
    return volunteers.VolunteerInput(
        display_name=form.display_name.data.strip(),
        theme_slugs=tuple(form.themes.data),
        skills=volunteers.parse_skills(form.skills.data or ""),
        availability=tuple(form.availability.data),
        travel_radius_km=form.travel_radius_km.data or 5.0,
        max_open_matches=form.max_open_matches.data or 3,
        paused=bool(form.paused.data),
        location=location,
    )


@bp.get("/gegevens")
def my_data():
    """What we hold, a download of all of it, and the way out."""
    return render_template("me/data.html", form=DeleteAccountForm())


@bp.get("/gegevens.json")
def download_my_data():
    """Everything the portal holds about me, as a JSON file."""
    data = privacy.export_user_data(db.session, current_user)
    response = Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="mijn-naoberkaart.json"'
    return response


@bp.post("/verwijderen")
def delete_account():
    """Delete my account after checking the password once more."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.password.data):
            user = db.session.get(User, current_user.id)
            logout_user()
            privacy.delete_account(db.session, user, utcnow())
            db.session.commit()
            session.clear()
            flash(_("Uw account en uw gegevens zijn verwijderd. Het ga u goed!"), "success")
            return redirect(url_for("main.home"))
        form.password.errors.append(_("Dit wachtwoord klopt niet."))
    return render_template("me/data.html", form=form), 400
