"""Browse, read, create and manage listings."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ..caching import reads as read_cache
from ..caching import results as cache
from ..caching.pages import shared_page
from ..domain import matching
from ..domain.catalogue import cards, freshness, listings
from ..domain.identity import permissions
from ..domain.officer import moderation
from ..extensions import db
from ..models import Listing, ListingKind, ListingStatus
from ..models.base import utcnow
from .forms import CloseForm, ListingForm
from .mapping import fill_form, form_to_input, prepare_form

bp = Blueprint("listings", __name__, url_prefix="/initiatieven")
EDIT_GRANT = "may_edit_listing"


@bp.get("")
@shared_page
def index():
    """Published listings with filters; nearest first when a place is given."""
    selection, themes = read_cache.public_selection(request.args)
    # The result list is the same for every visitor: cached, rendered, with its ids and count;
    # the page around it is rendered per request.
    page, results = read_cache.listing_results(
        db.session, selection, themes, current_app.config["LIST_COUNT_LIMIT"],
        {"locale": str(get_locale()), "root": request.script_root}, cache.cached,
    )  # fmt: skip
    results = Markup(results)  # noqa: S704  (our own autoescaped rendering, kept in our cache)
    return render_template(
        "listings/index.html", selection=selection, page=page, results=results,
        themes=themes, kinds=list(ListingKind),
    )  # fmt: skip


@bp.app_template_global("is_stale")
def is_stale(listing: Listing | cards.ListingCard) -> bool:
    """Not confirmed for a while: the page says so, so nobody relies on old information."""
    return listings.is_stale(listing, utcnow(), current_app.config["LISTING_STALE_DAYS"])


def _listing_or_404(listing_id: int) -> Listing:
    listing = db.get_or_404(Listing, listing_id)
    if not permissions.can_view_listing(current_user, listing):
        abort(404)
    return listing


def _may_edit(listing: Listing) -> bool:
    return (
        permissions.can_edit_listing(current_user, listing) or session.get(EDIT_GRANT) == listing.id
    )


@bp.get("/<int:listing_id>")
@shared_page
def detail(listing_id: int):
    """One listing with what people need to know before they come."""
    listing = _listing_or_404(listing_id)
    may_edit = _may_edit(listing)
    candidates = (
        _candidates(listing, may_edit)
        if may_edit  # the owner also sees volunteers: never from the shared cache
        else read_cache.public_candidates(db.session, listing, utcnow(), cached=cache.cached)
    )
    return render_template(
        "listings/detail.html", listing=listing, may_edit=may_edit, candidates=candidates,
        may_moderate=permissions.can_moderate(current_user),
        close_form=CloseForm() if may_edit else None,  # a form token only for the editor
    )  # fmt: skip


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def create():
    """A new listing, saved as a draft or published at once."""
    form = prepare_form(ListingForm(), current_user)
    if form.is_submitted():
        data = form_to_input(form, current_user)
        if data is not None:
            listing = listings.create_listing(db.session, current_user, data)
            _publish_if_asked(listing)
            db.session.flush()
            # The address is built before the commit: afterwards `listing.id` is a query, and a
            # database lost in that instant would answer a saved listing with an error page.
            saved = url_for("listings.detail", listing_id=listing.id)
            db.session.commit()
            return redirect(saved)
    return render_template(
        "listings/form.html", form=form, listing=None
    ), 400 if form.errors else 200


@bp.route("/<int:listing_id>/bewerken", methods=["GET", "POST"])
def edit(listing_id: int):
    """Change a listing; saving also confirms it is still current."""
    listing = db.get_or_404(Listing, listing_id)
    if not _may_edit(listing):
        abort(403 if current_user.is_authenticated else 404)
    form = prepare_form(ListingForm(), listing.owner or current_user, listing)
    if request.method == "GET":
        shown = moderation.pending_preview(db.session, listing) or listing
        fill_form(form, shown, own=_is_owner(listing))
    elif form.is_submitted():
        data = form_to_input(form, _editor(listing), listing)
        if data is not None:
            _save_edit(listing, data)
            db.session.commit()
            session.pop(EDIT_GRANT, None)
            return redirect(url_for("listings.detail", listing_id=listing_id))
    return render_template(
        "listings/form.html", form=form, listing=listing
    ), 400 if form.errors else 200


def _is_owner(listing: Listing) -> bool:
    """The owner, logged in or through the one-click link in their mail."""
    if listing.owner_id is None:
        return False
    return current_user.get_id() == str(listing.owner_id) or session.get(EDIT_GRANT) == listing.id


def _editor(listing: Listing):
    """Who makes this edit: the logged-in user, or the owner through their mail link."""
    return current_user if current_user.is_authenticated else listing.owner


def _candidates(listing: Listing, may_edit: bool) -> list:
    """Who can help (for a need) or who looks for this (for an offer); volunteers for the owner only."""
    if listing.status is not ListingStatus.PUBLISHED:
        return []
    sides = matching.SIDES if may_edit else (matching.LISTING, matching.ORGANISATION)
    return matching.find_candidates(db.session, listing, utcnow(), limit=5, sides=sides)


def _save_edit(listing: Listing, data: listings.ListingInput) -> None:
    """Apply the edit, or keep it for review when an untrusted user changes a published listing."""
    editor = _editor(listing)
    if permissions.edit_needs_review(editor, listing):
        moderation.submit_revision(db.session, listing, editor, data, utcnow())
        _confirm(listing)
        flash(_("Uw wijziging wacht op controle. Tot dan blijft de oude versie zichtbaar."), "info")
        return
    listings.apply_input(db.session, listing, data, recorded_by=listing.owner or current_user)
    _confirm(listing)
    _publish_if_asked(listing)
    flash(_("Uw wijzigingen zijn opgeslagen."), "success")


def _confirm(listing: Listing) -> None:
    if listing.published_at is not None:
        listings.renew(listing, utcnow(), current_app.config["LISTING_EXPIRY_MONTHS"])


def _publish_if_asked(listing: Listing) -> None:
    if request.form.get("action") == "publish":
        listings.publish(listing, utcnow(), current_app.config["LISTING_EXPIRY_MONTHS"])
        flash(_("Uw vraag of aanbod staat nu op de kaart."), "success")
    elif listing.status is ListingStatus.DRAFT:
        flash(_("Opgeslagen als concept. Alleen u ziet het nog."), "info")


def _editable_or_403(listing_id: int) -> Listing:
    listing = db.get_or_404(Listing, listing_id)
    if not _may_edit(listing):
        abort(403)
    return listing


@bp.post("/<int:listing_id>/publiceren")
@login_required
def publish(listing_id: int):
    listing = _editable_or_403(listing_id)
    listings.publish(listing, utcnow(), current_app.config["LISTING_EXPIRY_MONTHS"])
    db.session.commit()
    flash(_("Uw vraag of aanbod staat nu op de kaart."), "success")
    return redirect(url_for("listings.detail", listing_id=listing_id))


@bp.post("/<int:listing_id>/verlengen")
@login_required
def renew(listing_id: int):
    listing = _editable_or_403(listing_id)
    listings.renew(listing, utcnow(), current_app.config["LISTING_EXPIRY_MONTHS"])
    db.session.commit()
    flash(
        _(
            "Bedankt! We laten het nog %(n)s maanden staan.",
            n=current_app.config["LISTING_EXPIRY_MONTHS"],
        ),
        "success",
    )
    return redirect(url_for("listings.detail", listing_id=listing_id))


@bp.post("/<int:listing_id>/sluiten")
@login_required
def close(listing_id: int):
    listing = _editable_or_403(listing_id)
    form = CloseForm()
    listings.close(listing, utcnow(), fulfilled=bool(form.fulfilled.data))
    db.session.commit()
    flash(_("Het staat niet meer op de kaart."), "success")
    return redirect(url_for("listings.detail", listing_id=listing_id))


@bp.route("/actueel/<token>", methods=["GET", "POST"])
def freshness_link(token: str):
    """The reminder mail's links: a page with one button, so mail scanners change nothing."""
    config = current_app.config
    found = freshness.read_freshness_token(
        db.session, token, config["SECRET_KEY"], config["FRESHNESS_LINK_MAX_AGE"]
    )
    if found is None:
        return render_template("listings/freshness_invalid.html"), 400
    if request.method == "GET":
        return render_template("listings/freshness.html", found=found)
    if found.action == "edit":
        session[EDIT_GRANT] = found.listing.id
        return redirect(url_for("listings.edit", listing_id=found.listing.id))
    freshness.carry_out(found, utcnow(), config["LISTING_EXPIRY_MONTHS"])
    db.session.commit()
    return render_template("listings/freshness_done.html", found=found)
