"""Contact between people: conversations, notifications, subscriptions and the outcome question."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select, update

from ..domain.catalogue.themes import theme_choices
from ..domain.community import contact
from ..domain.community.contact import CandidateRef
from ..domain.errors import FieldError
from ..domain.identity import permissions
from ..domain.mailing import subscriptions
from ..extensions import db, limiter
from ..i18n import translate
from ..inputs import parse_id
from ..jobs.mailer import send_template
from ..jobs.notify import notify
from ..links import external_url
from ..locating import location_from_form
from ..models import Conversation, Listing, Notification
from ..models.base import utcnow
from .forms import MessageForm, SubscribeForm

bp = Blueprint("contact", __name__)
CONTACT_LIMIT = "20 per hour"


@bp.post("/initiatieven/<int:listing_id>/contact")
@login_required
@limiter.limit(CONTACT_LIMIT)
def start(listing_id: int):
    """ "Ik wil helpen" / "Neem contact op" from a listing page (or with one of its candidates)."""
    listing = db.get_or_404(Listing, listing_id)
    if not permissions.can_view_listing(current_user, listing):
        abort(404)
    candidate = _candidate_from_form()
    if candidate is not None and not permissions.can_edit_listing(current_user, listing):
        abort(403)
    form = MessageForm()
    try:
        if not form.validate_on_submit():
            raise FieldError(
                "body", form.body.errors[0] if form.body.errors else _("Schrijf een kort bericht.")
            )
        conversation = contact.start(
            db.session, current_user, listing, form.body.data, utcnow(), candidate,
            per_day=current_app.config["CONTACTS_PER_DAY"],
        )  # fmt: skip
    except FieldError as error:
        flash(translate(error.message), "error")
        return redirect(
            url_for("listings.detail", listing_id=listing.id, bericht=form.body.data or "")
        )
    link = url_for("contact.conversation", conversation_id=conversation.id)
    notify(
        conversation.recipient,
        _(
            "%(name)s wil contact over ‘%(title)s’.",
            name=current_user.display_name,
            title=listing.title,
        ),
        link,
    )
    db.session.commit()  # nothing is read after it: see listings.create
    flash(_("Uw bericht is verstuurd. U krijgt een melding als er antwoord is."), "success")
    return redirect(link)


def _candidate_from_form() -> CandidateRef | None:
    kind, identifier = (
        request.form.get("candidate_kind"),
        parse_id(request.form.get("candidate_id")),
    )
    if not kind:
        return None
    if kind not in ("listing", "volunteer", "organisation") or identifier is None:
        abort(400)
    return CandidateRef(kind, identifier)


@bp.get("/gesprekken")
@login_required
def conversations():
    return render_template(
        "contact/index.html", conversations=contact.conversations_of(db.session, current_user)
    )


def _own_conversation(conversation_id: int) -> Conversation:
    conversation = db.get_or_404(Conversation, conversation_id)
    if not contact.is_participant(conversation, current_user):
        abort(404)
    return conversation


@bp.route("/gesprekken/<int:conversation_id>", methods=["GET", "POST"])
@login_required
def conversation(conversation_id: int):
    """The messages, a reply box, and — for the recipient — accept or decline."""
    conversation = _own_conversation(conversation_id)
    form = MessageForm()
    if form.validate_on_submit():
        contact.reply(db.session, conversation, current_user, form.body.data, utcnow())
        notify(
            contact.other_side(conversation, current_user),
            _("Nieuw bericht van %(name)s.", name=current_user.display_name),
            url_for("contact.conversation", conversation_id=conversation_id),
        )
        db.session.commit()
        return redirect(url_for("contact.conversation", conversation_id=conversation_id))
    return render_template(
        "contact/conversation.html", conversation=conversation, form=form,
        other=contact.other_side(conversation, current_user),
        shares_details=contact.shares_contact_details(conversation, current_user),
    ), 400 if form.errors else 200  # fmt: skip


@bp.post("/gesprekken/<int:conversation_id>/antwoord")
@login_required
def answer(conversation_id: int):
    """Accept or decline a contact request (only the one who was asked)."""
    conversation = _own_conversation(conversation_id)
    accept = request.form.get("answer") == "accept"
    try:
        contact.answer(db.session, conversation, current_user, accept, utcnow())
    except PermissionError:
        abort(403)
    text = (
        _(
            "%(name)s heeft uw contactverzoek geaccepteerd. U ziet nu elkaars gegevens.",
            name=current_user.display_name,
        )
        if accept
        else _("%(name)s kan u deze keer niet helpen.", name=current_user.display_name)
    )
    notify(
        conversation.initiator,
        text,
        url_for("contact.conversation", conversation_id=conversation_id),
    )
    db.session.commit()
    return redirect(url_for("contact.conversation", conversation_id=conversation_id))


@bp.get("/meldingen")
@login_required
def notifications():
    """My notifications, newest first; opening the page marks them read."""
    items = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.id.desc())
        .limit(100)
    ).all()
    page = render_template("contact/notifications.html", notifications=items)
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return page


@bp.route("/uitkomst/<token>", methods=["GET", "POST"])
def outcome(token: str):
    """ "Heeft dit geholpen?" — one question, answered from a link in the mail."""
    config = current_app.config
    match = contact.read_outcome_token(db.session, token, config["SECRET_KEY"], 60 * 60 * 24 * 60)
    if match is None:
        return render_template("listings/freshness_invalid.html"), 400
    if request.method == "POST":
        contact.record_outcome(match, request.form.get("helped") == "yes")
        db.session.commit()
        flash(_("Dank u wel voor uw antwoord."), "success")
        return redirect(url_for("main.home"))
    return render_template("contact/outcome.html", match=match)


@bp.route("/volgen", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def subscribe():
    """Follow new listings near a village by e-mail, without an account (double opt-in)."""
    form = SubscribeForm()
    locale = str(get_locale())
    form.themes.choices = theme_choices(db.session, locale)
    if form.validate_on_submit():
        location = location_from_form(form)
        if location is not None:
            subscription = subscriptions.subscribe(
                db.session,
                form.email.data,
                location,
                form.radius_km.data or 5.0,
                tuple(form.themes.data),
            )
            token = subscriptions.confirm_token(subscription, current_app.config["SECRET_KEY"])
            send_template(
                subscription.email, _("Bevestig dat u berichten wilt ontvangen"), "mail/subscription_confirm.txt",
                subscription=subscription, link=external_url("contact.confirm_subscription", token=token),
            )  # fmt: skip
            db.session.commit()
            return render_template("contact/subscribe_sent.html", email=subscription.email)
    return render_template("contact/subscribe.html", form=form), 400 if form.errors else 200


@bp.route("/volgen/bevestigen/<token>", methods=["GET", "POST"])
def confirm_subscription(token: str):
    """The link in the opt-in mail: a page with one button (mail scanners change nothing)."""
    subscription = subscriptions.read(
        db.session, token, subscriptions.CONFIRM, current_app.config["SECRET_KEY"]
    )
    if subscription is None:
        return render_template("listings/freshness_invalid.html"), 400
    if request.method == "POST":
        subscriptions.confirm(subscription, utcnow())
        db.session.commit()
        flash(_("Bevestigd. U krijgt voortaan een e-mail als er iets nieuws is."), "success")
        return redirect(url_for("main.home"))
    return render_template(
        "contact/subscription_action.html", subscription=subscription, action="confirm"
    )


@bp.route("/volgen/afmelden/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """One click from every mail: stop the mails and forget the address."""
    subscription = subscriptions.read(
        db.session, token, subscriptions.UNSUBSCRIBE, current_app.config["SECRET_KEY"]
    )
    if subscription is None:
        return render_template("contact/unsubscribed.html")
    if request.method == "POST":
        db.session.delete(subscription)
        db.session.commit()
        return render_template("contact/unsubscribed.html")
    return render_template(
        "contact/subscription_action.html", subscription=subscription, action="unsubscribe"
    )
