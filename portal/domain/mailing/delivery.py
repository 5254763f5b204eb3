"""Sending e-mail: over SMTP when configured, otherwise into an outbox folder for developers."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MailSettings:
    """Where mail goes; an empty `server` means the outbox folder."""

    sender: str
    outbox_dir: Path
    server: str = ""
    port: int = 587
    username: str = ""
    password: str = ""
    use_tls: bool = True


@dataclass(frozen=True)
class Mail:
    """One plain-text message.

    `written_at` and `key` give it the same Date and Message-ID on every attempt (the outbox sets
    them from its row), so a message delivered twice shows as one; without them, sending does.
    """

    to: str
    subject: str
    body: str
    written_at: datetime | None = None
    key: str = ""


def compose(mail: Mail, sender: str) -> EmailMessage:
    """The message as it goes over the wire, with the Date and Message-ID mail servers expect."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.written_at or datetime.now(UTC))
    message["Message-ID"] = f"<{mail.key}@{domain}>" if mail.key else make_msgid(domain=domain)
    message.set_content(mail.body)
    return message


def deliver(mail: Mail, settings: MailSettings) -> None:
    """Send now over SMTP, or write an .eml file to the outbox (and log where)."""
    message = compose(mail, settings.sender)
    if not settings.server:
        path = _write_to_outbox(message, settings.outbox_dir)
        log.info("Mail to %s written to %s", mail.to, path)
        return
    with smtplib.SMTP(settings.server, settings.port, timeout=10) as smtp:
        if settings.use_tls:
            smtp.starttls()
        if settings.username:
            smtp.login(settings.username, settings.password)
        smtp.send_message(message)


def _write_to_outbox(message: EmailMessage, outbox_dir: Path) -> Path:
    outbox_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = outbox_dir / f"{stamp}.eml"
    path.write_bytes(bytes(message))
    return path
