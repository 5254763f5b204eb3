"""Organisation pages: the public profile, editing it, members and verification."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..access import officer_required
from ..domain import matching
from ..domain.catalogue import filters
from ..domain.catalogue.themes import all_themes, theme_choices
from ..domain.community import organisations
from ..domain.identity import accounts, audit, permissions
from ..domain.officer import moderation
from ..extensions import db, limiter
from ..jobs.mailer import send_template
from ..jobs.notify import notify
from ..links import external_url
from ..locating import location_from_form
from ..models import Listing, ListingStatus, Organisation, OrganisationKind, User
from ..models.base import utcnow
from .forms import ACCESSIBILITY_FIELDS, MemberForm, OrganisationForm

bp = Blueprint("organisations", __name__, url_prefix="/organisaties")
#: Invitations are mail to any address a manager types: a bound on how many.
INVITE_LIMIT = "30 per hour;100 per day"


@bp.get("")
def index():
    """Organisations near a place, by theme and kind."""
    selection = filters.ListingFilter.from_args(request.args, db.session)
    statement = selection.organisations(db.session)
    kind = request.args.get("organisation_kind", "")
    if kind in {member.value for member in OrganisationKind}:
        statement = statement.where(Organisation.kind == OrganisationKind(kind))
    page = db.paginate(statement, page=selection.page, per_page=selection.per_page, error_out=False)
    return render_template(
        "organisations/index.html", selection=selection, page=page,
        themes=all_themes(db.session), kinds=list(OrganisationKind), chosen_kind=kind,
    )  # fmt: skip


@bp.get("/<int:organisation_id>")
def detail(organisation_id: int):
    """The public profile with its published listings."""
    organisation = db.get_or_404(Organisation, organisation_id)
    published = db.session.scalars(
        select(Listing)
        .where(
            Listing.organisation_id == organisation.id, Listing.status == ListingStatus.PUBLISHED
        )
        .where(Listing.hidden.is_(False))
        .order_by(Listing.published_at.desc())
    ).all()
    return render_template(
        "organisations/detail.html", organisation=organisation, listings=published,
        may_edit=permissions.can_edit_organisation(current_user, organisation),
        may_moderate=permissions.can_moderate(current_user), member_form=MemberForm(),
        partners=_partners(organisation),
    )  # fmt: skip


def _partners(organisation: Organisation) -> list:
    """Needs and offers nearby on the organisation's themes ("Partners in de buurt")."""
    sides = (matching.LISTING, matching.ORGANISATION)
    return matching.find_candidates(db.session, organisation, utcnow(), limit=5, sides=sides)


def _prepared(form: OrganisationForm) -> OrganisationForm:
    locale = str(get_locale())
    form.themes.choices = theme_choices(db.session, locale)
    return form


def _input(form: OrganisationForm) -> organisations.OrganisationInput | None:
    location = location_from_form(form)
    if location is None:
        return None
    return organisations.OrganisationInput(
        name=form.name.data.strip(), kind=OrganisationKind(form.kind.data),
        description=(form.description.data or "").strip(), address=(form.address.data or "").strip(),
        location=location, theme_slugs=tuple(form.themes.data),
        website=form.website.data or "", contact_email=form.contact_email.data or "",
        contact_phone=(form.contact_phone.data or "").strip(),
        accessibility={name: bool(form[name].data) for name in ACCESSIBILITY_FIELDS},
    )  # fmt: skip


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def create():
    """Register an organisation; the creator becomes its managing member."""
    return _edit_form(None)


@bp.route("/<int:organisation_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    if not permissions.can_edit_organisation(current_user, organisation):
        abort(403)
    return _edit_form(organisation)


def _fill(form: OrganisationForm, organisation: Organisation) -> None:
    """The live profile, with a change that waits for an officer (so editing starts there)."""
    form.themes.data = [theme.slug for theme in organisation.themes]
    form.kind.data = organisation.kind.value
    form.location_query.data = organisation.address or organisation.place_name
    form.lat.data, form.lon.data = organisation.lat, organisation.lon
    pending = moderation.pending_organisation_revision(db.session, organisation)
    for name, value in (pending.data if pending else {}).items():
        form[name].data = value


def _save(organisation: Organisation | None, data: organisations.OrganisationInput) -> int:
    """Save a new profile, or an edit (part of which may wait for an officer); the id."""
    if organisation is None:
        organisation = organisations.save_profile(db.session, None, data, current_user)
    elif moderation.edit_organisation(db.session, organisation, data, current_user, utcnow()):
        flash(_("De nieuwe naam, soort, website of contactgegevens wachten op controle door de "
                "gemeente. Tot dan blijft de oude versie zichtbaar, met het vinkje."), "info")  # fmt: skip
    db.session.flush()
    return organisation.id


def _edit_form(organisation: Organisation | None):
    form = _prepared(OrganisationForm(obj=organisation))
    if request.method == "GET" and organisation is not None:
        _fill(form, organisation)
    if form.validate_on_submit():
        data = _input(form)
        if data is not None:
            profile = url_for("organisations.detail", organisation_id=_save(organisation, data))
            db.session.commit()  # nothing is read after it: see listings.create
            flash(_("Het profiel is opgeslagen."), "success")
            return redirect(profile)
    status = 400 if form.errors else 200
    return render_template("organisations/form.html", form=form, organisation=organisation), status


@bp.post("/<int:organisation_id>/leden")
@login_required
@limiter.limit(INVITE_LIMIT)
def add_member(organisation_id: int):
    """Invite someone by address; the answer is the same whether or not it has an account."""
    organisation = db.get_or_404(Organisation, organisation_id)
    if not permissions.can_edit_organisation(current_user, organisation):
        abort(403)
    form = MemberForm()
    if form.validate_on_submit():
        invitee = organisations.invite_member(
            db.session, organisation, form.email.data, form.manager.data, current_user, utcnow()
        )
        _send_invitation(organisation, invitee, form.email.data)
        db.session.commit()
        flash(_("Uitnodiging verstuurd naar %(email)s. Wie de uitnodiging accepteert, wordt lid.",
                email=form.email.data), "success")  # fmt: skip
        return redirect(url_for("organisations.detail", organisation_id=organisation_id))
    return render_template(
        "organisations/detail.html", organisation=organisation, listings=[], may_edit=True,
        may_moderate=permissions.can_moderate(current_user), member_form=form, partners=[],
    ), 400  # fmt: skip


def _send_invitation(organisation: Organisation, invitee: User | None, email: str) -> None:
    """One mail either way: to the account (with a notification), or to register first."""
    if invitee is not None:
        with force_locale(invitee.locale or "nl"):
            text = _("%(name)s nodigt u uit om lid te worden. U kunt dat accepteren of weigeren.",
                     name=organisation.name)  # fmt: skip
        notify(invitee, text, url_for("me.index", _anchor="uitnodigingen"))
        return
    send_template(
        accounts.normalise_email(email), _("Uitnodiging voor Naoberkaart"),
        "mail/invitation.txt", organisation=organisation,
        register=external_url("auth.register"),
    )  # fmt: skip


@bp.post("/<int:organisation_id>/verifieren")
@officer_required
def verify(organisation_id: int):
    """An officer sets or removes the verified mark."""
    organisation = db.get_or_404(Organisation, organisation_id)
    organisations.set_verified(organisation, current_user, not organisation.verified, utcnow())
    audit.record(
        db.session, current_user, "organisation.verify", "organisation", organisation.id,
        verified=organisation.verified,
    )  # fmt: skip
    db.session.commit()
    flash(_("Gecontroleerd.") if organisation.verified else _("Markering weggehaald."), "success")
    return redirect(url_for("organisations.detail", organisation_id=organisation_id))
