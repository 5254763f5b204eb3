"""The "needs attention" queue for officers, its decisions, and "Melden" on a listing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_login import current_user

from ..access import officer_required
from ..domain.identity import permissions
from ..domain.officer import moderation
from ..extensions import db, limiter
from ..jobs.notify import notify
from ..models import (
    Listing,
    ListingRevision,
    Organisation,
    OrganisationRevision,
    Report,
    ReportStatus,
    RevisionStatus,
    User,
)
from ..models.base import utcnow
from . import display
from .forms import DecisionForm, HideForm, ReportForm

bp = Blueprint("moderation", __name__)
QUEUE = "/dashboard/aandacht"


@dataclass(frozen=True)
class Failed:
    """A decision whose form had errors: shown again at its item, with what was typed."""

    key: str
    form: DecisionForm


@bp.app_context_processor
def _helpers() -> dict[str, object]:
    """Readable field names and values for the diff of an edit waiting for review."""
    return {
        "revision_field_label": display.field_label,
        "revision_field_value": display.field_value,
        "organisation_field_value": display.organisation_field_value,
    }


@bp.app_template_global("moderation_notices")
def moderation_notices(listings) -> dict[int, moderation.AuthorNotice]:
    """The moderation status of the author's listings (pending edit, rejection, hidden)."""
    return moderation.notices_for(db.session, listings)


@bp.app_template_global("may_moderate_wishes")
def may_moderate_wishes() -> bool:
    """Officers, and members of a verified village council (for their own village)."""
    return permissions.wish_places(db.session, current_user) != frozenset()


@bp.get(QUEUE)
@officer_required
def queue():
    """Everything that needs an officer's attention, oldest first."""
    return _render_queue()


def _render_queue(failed: Failed | None = None):
    mine = request.args.get("toegewezen") == "mij"
    found = moderation.build_queue(
        db.session, utcnow(), current_app.config["LISTING_STALE_DAYS"], current_user, mine
    )
    return render_template(
        "moderation/queue.html", queue=found, mine=mine, failed=failed,
        changes=moderation.changes, organisation_changes=moderation.organisation_changes,
        limit=moderation.SECTION_LIMIT,
    ), 400 if failed else 200  # fmt: skip


def _decide(key: str, carry_out: Callable[[DecisionForm], str]):
    """Validate the decision form; carry it out and commit, or show the queue with the error."""
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_queue(Failed(key, form))
    flash(carry_out(form), "success")
    db.session.commit()
    return redirect(url_for("moderation.queue", _anchor=key.split("-", maxsplit=1)[0]))


def _already_decided(anchor: str):
    """A colleague was quicker (or the button was pressed twice): change nothing."""
    flash(_("Dit is al beoordeeld."), "info")
    return redirect(url_for("moderation.queue", _anchor=anchor))


def _tell(user: User | None, listing: Listing, message: LazyString) -> None:
    """Let the author know, in their own language (a notification and a mail)."""
    _tell_at(user, url_for("listings.detail", listing_id=listing.id), message)


def _tell_at(user: User | None, link: str, message: LazyString) -> None:
    if user is None:
        return
    with force_locale(user.locale or "nl"):
        text = str(message)
    notify(user, text, link)


def _tell_hidden(listing: Listing, reason: str) -> None:
    message = _l(
        "‘%(title)s’ is verborgen voor bezoekers: %(reason)s", title=listing.title, reason=reason
    )
    _tell(listing.owner, listing, message)


@bp.post(f"{QUEUE}/organisaties/<int:organisation_id>/verifieren")
@officer_required
def verify_organisation(organisation_id: int):
    """Set the verified mark (never toggles, so a double click changes nothing)."""
    organisation = db.get_or_404(Organisation, organisation_id)
    moderation.verify_organisation(db.session, organisation, current_user, utcnow())
    db.session.commit()
    flash(_("%(name)s is gecontroleerd.", name=organisation.name), "success")
    return redirect(url_for("moderation.queue", _anchor="organisaties"))


@bp.post(f"{QUEUE}/initiatieven/<int:listing_id>")
@officer_required
def decide_listing(listing_id: int):
    """A new user's first listing: "gecontroleerd" (keep) or hide with a reason."""
    listing = db.get_or_404(Listing, listing_id)

    def carry_out(form: DecisionForm) -> str:
        if form.decision.data == "hide":
            moderation.hide_listing(db.session, listing, current_user, form.reason)
            _tell_hidden(listing, form.reason)
            return _("Verborgen. De schrijver ziet de reden.")
        moderation.mark_checked(db.session, listing, current_user)
        return _("Gemarkeerd als gecontroleerd.")

    return _decide(f"nieuw-{listing.id}", carry_out)


@bp.post(f"{QUEUE}/meldingen/<int:report_id>")
@officer_required
def decide_report(report_id: int):
    """A report: keep the listing or hide it, with a note."""
    report = db.get_or_404(Report, report_id)
    if report.status is not ReportStatus.OPEN:
        return _already_decided("meldingen")

    def carry_out(form: DecisionForm) -> str:
        keep = form.decision.data != "hide"
        moderation.resolve_report(db.session, report, current_user, keep, form.reason, utcnow())
        if not keep:
            _tell_hidden(report.listing, form.reason)
        return _("De melding is afgehandeld.")

    return _decide(f"meldingen-{report.id}", carry_out)


@bp.post(f"{QUEUE}/wijzigingen/<int:revision_id>")
@officer_required
def decide_revision(revision_id: int):
    """An edit waiting for review: approve (it goes live) or reject with a reason."""
    revision = db.get_or_404(ListingRevision, revision_id)
    if revision.status is not RevisionStatus.PENDING:
        return _already_decided("wijzigingen")

    def carry_out(form: DecisionForm) -> str:
        listing = revision.listing
        if form.decision.data == "approve":
            moderation.apply_revision(db.session, revision, current_user, utcnow())
            message = _l("Uw wijziging van ‘%(title)s’ staat nu online.", title=listing.title)
            _tell(revision.author, listing, message)
            return _("De wijziging staat nu online.")
        moderation.reject_revision(db.session, revision, current_user, form.reason, utcnow())
        message = _l(
            "Uw wijziging van ‘%(title)s’ is afgewezen: %(reason)s",
            title=listing.title, reason=form.reason,
        )  # fmt: skip
        _tell(revision.author, listing, message)
        return _("De wijziging is afgewezen. De schrijver ziet de reden.")

    return _decide(f"wijzigingen-{revision.id}", carry_out)


@bp.post(f"{QUEUE}/organisatiewijzigingen/<int:revision_id>")
@officer_required
def decide_organisation_revision(revision_id: int):
    """A change to a verified organisation's name, kind, website or contact: approve or reject."""
    revision = db.get_or_404(OrganisationRevision, revision_id)
    if revision.status is not RevisionStatus.PENDING:
        return _already_decided("organisatiewijzigingen")
    link = url_for("organisations.detail", organisation_id=revision.organisation_id)

    def carry_out(form: DecisionForm) -> str:
        name = revision.organisation.name
        if form.decision.data == "approve":
            moderation.approve_organisation_revision(db.session, revision, current_user, utcnow())
            _tell_at(
                revision.author, link, _l("Uw wijziging van ‘%(name)s’ staat nu online.", name=name)
            )
            return _("De wijziging staat nu online.")
        moderation.reject_organisation_revision(
            db.session, revision, current_user, form.reason, utcnow()
        )
        message = _l(
            "Uw wijziging van ‘%(name)s’ is afgewezen: %(reason)s", name=name, reason=form.reason
        )
        _tell_at(revision.author, link, message)
        return _("De wijziging is afgewezen. De schrijver ziet de reden.")

    return _decide(f"organisatiewijzigingen-{revision.id}", carry_out)


@bp.post(f"{QUEUE}/initiatieven/<int:listing_id>/oppakken")
@officer_required
def assign(listing_id: int):
    """ "Neem ik op me": the officer takes a stale listing on."""
    listing = db.get_or_404(Listing, listing_id)
    moderation.assign(db.session, listing, current_user, utcnow())
    db.session.commit()
    flash(_("U pakt dit op."), "success")
    return redirect(url_for("moderation.queue", _anchor="verouderd"))


@bp.post(f"{QUEUE}/initiatieven/<int:listing_id>/afsluiten")
@officer_required
def close(listing_id: int):
    """Take a stale listing off the map."""
    listing = db.get_or_404(Listing, listing_id)
    moderation.close_listing(db.session, listing, current_user, utcnow())
    db.session.commit()
    flash(_("Het staat niet meer op de kaart."), "success")
    return redirect(url_for("moderation.queue", _anchor="verouderd"))


@bp.post("/initiatieven/<int:listing_id>/verbergen")
@officer_required
def hide_listing(listing_id: int):
    """The listing page's "Verbergen", under the queue's rules: a reason the author reads, audited."""
    listing = db.get_or_404(Listing, listing_id)
    form = HideForm()
    if not form.validate_on_submit():
        return render_template("moderation/hide.html", form=form, listing=listing), 400
    moderation.hide_listing(db.session, listing, current_user, form.reason)
    _tell_hidden(listing, form.reason)
    db.session.commit()
    flash(_("Verborgen. De schrijver ziet de reden."), "success")
    return redirect(url_for("listings.detail", listing_id=listing_id))


@bp.post("/initiatieven/<int:listing_id>/tonen")
@officer_required
def show_listing(listing_id: int):
    """ "Weer tonen": the listing is visible again and its author is told."""
    listing = db.get_or_404(Listing, listing_id)
    moderation.show_listing(db.session, listing, current_user)
    _tell(listing.owner, listing, _l("‘%(title)s’ is weer zichtbaar.", title=listing.title))
    db.session.commit()
    flash(_("Weer zichtbaar."), "success")
    return redirect(url_for("listings.detail", listing_id=listing_id))


@bp.post("/initiatieven/<int:listing_id>/controleren")
@officer_required
def check_listing(listing_id: int):
    """ "Markeren als gecontroleerd" on the listing page: the queue's decision, audited."""
    listing = db.get_or_404(Listing, listing_id)
    moderation.mark_checked(db.session, listing, current_user)
    db.session.commit()
    flash(_("Gemarkeerd als gecontroleerd."), "success")
    return redirect(url_for("listings.detail", listing_id=listing_id))


@bp.route("/initiatieven/<int:listing_id>/melden", methods=["GET", "POST"])
@limiter.limit("5 per hour;20 per day", methods=["POST"])
def report(listing_id: int):
    """ "Melden": anyone may say a listing is wrong; an officer looks at it."""
    listing = db.get_or_404(Listing, listing_id)
    if not permissions.can_view_listing(current_user, listing):
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        reporter = current_user if current_user.is_authenticated else None
        moderation.report_listing(db.session, listing, form.reason.data, reporter)
        db.session.commit()
        flash(_("Dank u wel. Een medewerker van de gemeente kijkt ernaar."), "success")
        return redirect(url_for("listings.detail", listing_id=listing_id))
    status = 400 if form.errors else 200
    return render_template("moderation/report.html", form=form, listing=listing), status
