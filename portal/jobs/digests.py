"""The digest round for cron: new needs for volunteers, new listings for subscribers, and the
outcome question two weeks after contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..domain.community import contact
from ..domain.mailing import subscriptions
from ..domain.mailing import whats_new as digests
from ..extensions import db
from ..links import external_url
from ..models import Match
from .mailer import mail_user, send_template


@dataclass(frozen=True)
class DigestResult:
    volunteers: int
    subscribers: int
    outcome_questions: int


def _volunteer_digests(now: datetime) -> int:
    mailed = 0
    for profile in digests.active_volunteers(db.session):
        needs = digests.new_needs_for(db.session, profile, now)
        if needs and profile.user.active:
            mail_user(
                profile.user, _l("Hier kun je helpen"), "mail/volunteer_digest.txt",
                user=profile.user, needs=needs,
            )  # fmt: skip
            mailed += 1
    return mailed


def _subscriber_digests(now: datetime) -> int:
    secret = current_app.config["SECRET_KEY"]
    mailed = 0
    for subscription in digests.confirmed_subscriptions(db.session):
        found = digests.new_listings_for(db.session, subscription, now)
        if found:
            unsubscribe = external_url(
                "contact.unsubscribe", token=subscriptions.unsubscribe_token(subscription, secret)
            )
            send_template(
                subscription.email, _("Nieuw in %(place)s", place=subscription.place_name),
                "mail/subscription_digest.txt", subscription=subscription, listings=found,
                unsubscribe=unsubscribe,
            )  # fmt: skip
            mailed += 1
    return mailed


def _ask_outcome(match: Match, users, now: datetime) -> None:
    secret = current_app.config["SECRET_KEY"]
    for user in users:
        if user is None or not user.active:
            continue
        link = external_url("contact.outcome", token=contact.outcome_token(match, user, secret))
        mail_user(
            user, _l("Heeft het geholpen?"), "mail/outcome_question.txt",
            user=user, listing=match.listing, link=link,
        )  # fmt: skip
    match.outcome_asked_at = now


def _outcome_questions(now: datetime) -> int:
    asked = 0
    for conversation in contact.due_outcome_questions(db.session, now):
        match = db.session.get(Match, conversation.match_id)
        if match.outcome_asked_at is None:
            _ask_outcome(match, (conversation.initiator, conversation.recipient), now)
            asked += 1
    return asked


def run_digests(now: datetime) -> DigestResult:
    """One round; safe to run as often as cron likes (nothing is sent twice)."""
    result = DigestResult(
        _volunteer_digests(now), _subscriber_digests(now), _outcome_questions(now)
    )
    db.session.commit()
    return result
