"""The mail outbox: a message is stored with the change that caused it, and delivered later.

Why: a request must never wait for, or fail on, an SMTP server, and a message must never be lost
while that server is down. `enqueue` adds a row in the caller's transaction, so a request that
rolls back sends nothing. `deliver_due` (run by the `send-mail` worker) claims due messages one
at a time, sends them and records the outcome, retrying failures with exponential backoff.

Delivery is at least once: if a worker dies between sending and recording, the claim runs out and
the message goes again — a rare duplicate, never a loss. Rows are kept after sending until
`purge_sent` removes them, so an operator can always see what went out and what still waits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ...models.base import utcnow
from ...models.outbox import OutboxMail
from .delivery import Mail, MailSettings, deliver

log = logging.getLogger(__name__)

Sender = Callable[[Mail, MailSettings], None]

#: The first retry comes after a minute; each failure doubles the wait, up to six hours, so a
#: long outage costs a few attempts an hour and a short one delays mail by minutes.
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
#: How long a claimed message stays with its worker: far longer than the SMTP timeout (10 s).
CLAIM = timedelta(minutes=5)
#: How often one worker may lose a race for a message before it leaves the round to the others.
CLAIM_TRIES = 5
ERROR_LENGTH = 500


@dataclass(frozen=True)
class DeliveryReport:
    """What one round of delivery did."""

    sent: int
    failed: int


@dataclass(frozen=True)
class OutboxState:
    """What still waits, for the worker's log line and for monitoring."""

    waiting: int
    failing: int
    oldest: datetime | None


def enqueue(session: Session, mail: Mail, now: datetime | None = None) -> OutboxMail:
    """Store a message for delivery; it goes out only if the caller commits."""
    moment = now or utcnow()
    row = OutboxMail(
        to=mail.to,
        subject=mail.subject,
        body=mail.body,
        created_at=moment,
        attempts=0,
        next_attempt_at=moment,
    )
    session.add(row)
    session.flush()
    return row


def retry_delay(attempts: int) -> timedelta:
    """The wait after the given number of failed attempts: 1, 2, 4 … minutes, at most 6 hours."""
    doublings = min(max(attempts, 1) - 1, 16)
    return min(FIRST_RETRY * 2**doublings, LONGEST_WAIT)


def deliver_due(
    session: Session,
    settings: MailSettings,
    now: datetime,
    limit: int = 100,
    send: Sender = deliver,
) -> DeliveryReport:
    """Send up to `limit` due messages, committing after each claim and each outcome.

    This is a worker, not a request: it commits itself, because a sent message must be recorded
    before the next one is claimed, and no transaction may stay open while SMTP is slow.
    """
    sent = failed = 0
    for _ in range(limit):
        message = _claim(session, now)
        if message is None:
            break
        if _attempt(session, message, settings, now, send):
            sent += 1
        else:
            failed += 1
    return DeliveryReport(sent, failed)


@dataclass(frozen=True)
class _Claimed:
    """A message this worker holds: plain values, so no transaction stays open while sending."""

    id: int
    attempts: int
    mail: Mail


def _claim(session: Session, now: datetime) -> _Claimed | None:
    """Take the oldest due message for this worker, or None when nothing is due.

    On PostgreSQL `FOR UPDATE SKIP LOCKED` lets workers pass over each other's rows. The claim
    itself moves `next_attempt_at` forward with a conditional UPDATE and commits: it is what makes
    two workers safe on SQLite too (where the SELECT locks nothing), and it keeps the message ours
    while we talk SMTP outside any transaction.
    """
    for _ in range(CLAIM_TRIES):
        found = session.execute(_next_due(now)).first()
        if found is None:
            session.rollback()
            return None
        claimed = session.execute(
            update(OutboxMail)
            .where(OutboxMail.id == found.id, OutboxMail.next_attempt_at == found.next_attempt_at)
            .where(OutboxMail.sent_at.is_(None))
            .values(next_attempt_at=now + CLAIM)
        )
        session.commit()
        if claimed.rowcount == 1:
            return _Claimed(found.id, found.attempts, _mail(found))
    return None


def _mail(row) -> Mail:
    """The stored message, dated when it was queued and named by its row: the same each time."""
    written_at = row.created_at
    key = f"outbox.{row.id}.{written_at:%Y%m%d%H%M%S%f}"
    return Mail(row.to, row.subject, row.body, written_at=written_at, key=key)


def _next_due(now: datetime):
    return (
        select(
            OutboxMail.id,
            OutboxMail.next_attempt_at,
            OutboxMail.attempts,
            OutboxMail.to,
            OutboxMail.subject,
            OutboxMail.body,
            OutboxMail.created_at,
        )
        .where(OutboxMail.sent_at.is_(None), OutboxMail.next_attempt_at <= now)
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


def _attempt(
    session: Session, claimed: _Claimed, settings: MailSettings, now: datetime, send: Sender
) -> bool:
    """Send one claimed message and record the outcome; any failure schedules a retry.

    Every exception counts as a failure (not only SMTP errors): one malformed message must not
    stop the worker from delivering the others.
    """
    attempts = claimed.attempts + 1
    try:
        send(claimed.mail, settings)
    except Exception as error:
        _record(
            session,
            claimed.id,
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:ERROR_LENGTH],
            next_attempt_at=now + retry_delay(attempts),
        )
        log.warning("Mail %s not sent (attempt %s): %s", claimed.id, attempts, error)
        return False
    _record(session, claimed.id, attempts=attempts, last_error=None, sent_at=now)
    return True


def _record(session: Session, message_id: int, **values) -> None:
    session.execute(update(OutboxMail).where(OutboxMail.id == message_id).values(**values))
    session.commit()


def purge_sent(session: Session, before: datetime) -> int:
    """Delete messages sent before `before`: they hold personal data and reset links."""
    result = session.execute(
        delete(OutboxMail).where(OutboxMail.sent_at.is_not(None), OutboxMail.sent_at < before)
    )
    session.flush()
    return result.rowcount


def state(session: Session) -> OutboxState:
    """How many messages wait, how many of them failed before, and since when the oldest waits."""
    waiting = OutboxMail.sent_at.is_(None)
    count, failing, oldest = session.execute(
        select(
            func.count(OutboxMail.id),
            func.count(OutboxMail.id).filter(OutboxMail.attempts > 0),
            func.min(OutboxMail.created_at),
        ).where(waiting)
    ).one()
    return OutboxState(count, failing, oldest)
