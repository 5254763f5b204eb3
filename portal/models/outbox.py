"""The mail outbox: every message is a row before it is a delivery, so none is lost."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import Timestamp, utcnow


class OutboxMail(db.Model):
    """One message waiting for (or done with) delivery by the `send-mail` worker.

    Rows are written in the same transaction as the change that caused them, so a request that
    rolls back sends nothing, and a message survives an SMTP outage until it goes out.
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "to" is an SQL keyword; the column is called recipient so raw SQL stays readable.
    to: Mapped[str] = mapped_column("recipient", String(320))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(Timestamp)
