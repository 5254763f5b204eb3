"""The mail outbox: mail waits in the database until an SMTP server takes it, and none is lost."""

from __future__ import annotations

import smtplib
import socketserver
import threading
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.domain.mailing import outbox
from portal.domain.mailing.delivery import Mail, MailSettings, compose, deliver
from portal.extensions import db
from portal.models.base import utcnow
from portal.models.outbox import OutboxMail


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: greet, accept any envelope, keep each message."""

    def handle(self) -> None:
        if self.server.down:
            self._reply("421 smtp.test Service not available")
            return
        self._reply("220 smtp.test ESMTP")
        for raw in self.rfile:
            if not self._command(raw.rstrip(b"\r\n").upper()[:4]):
                return

    def _command(self, verb: bytes) -> bool:
        if verb == b"QUIT":
            self._reply("221 bye")
            return False
        if verb == b"DATA":
            self._reply("354 end with <CRLF>.<CRLF>")
            self.server.received.append(self._message())
        self._reply("250 OK")
        return True

    def _message(self) -> EmailMessage:
        lines = []
        for raw in self.rfile:
            line = raw.rstrip(b"\r\n")
            if line == b".":
                break
            lines.append(line[1:] if line.startswith(b"..") else line)
        return BytesParser(policy=policy.default).parsebytes(b"\r\n".join(lines))

    def _reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")


class FakeSmtp(socketserver.ThreadingTCPServer):
    """A local SMTP server on a free loopback port that can be switched off and on."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.down = False
        self.received: list[EmailMessage] = []

    def settings(self, outbox_dir) -> MailSettings:
        return MailSettings(
            sender="Naoberkaart <noreply@naoberkaart.nl>",
            outbox_dir=outbox_dir,
            server="127.0.0.1",
            port=self.server_address[1],
            use_tls=False,
        )


@pytest.fixture
def smtp():
    server = FakeSmtp()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def _mail(number: int = 1) -> Mail:
    return Mail(to=f"truus{number}@example.org", subject=f"Bericht {number}", body="Hallo Truus")


def _waiting(session) -> int:
    return session.scalar(
        select(func.count()).select_from(OutboxMail).where(OutboxMail.sent_at.is_(None))
    )


def test_outbox_enqueue_is_undone_by_a_rollback(session):
    outbox.enqueue(session, _mail())
    session.rollback()
    assert _waiting(session) == 0
    outbox.enqueue(session, _mail())
    session.commit()
    assert _waiting(session) == 1


def test_outbox_retry_delay_doubles_up_to_six_hours():
    delays = [outbox.retry_delay(attempts) for attempts in (1, 2, 3, 4, 50, 10_000)]
    assert delays[:4] == [timedelta(minutes=minutes) for minutes in (1, 2, 4, 8)]
    assert delays[4] == delays[5] == timedelta(hours=6)


def test_outbox_mail_waits_while_smtp_is_down_and_goes_out_later(session, smtp, tmp_path):
    now = utcnow()
    outbox.enqueue(session, _mail(), now)
    session.commit()
    smtp.down = True
    assert outbox.deliver_due(session, smtp.settings(tmp_path), now) == outbox.DeliveryReport(0, 1)
    row = session.scalars(select(OutboxMail)).one()
    assert row.attempts == 1 and row.sent_at is None and "SMTPConnectError" in row.last_error
    assert row.next_attempt_at == now + timedelta(minutes=1)
    smtp.down = False
    assert outbox.deliver_due(session, smtp.settings(tmp_path), now) == outbox.DeliveryReport(0, 0)
    later = now + timedelta(minutes=1)
    assert outbox.deliver_due(session, smtp.settings(tmp_path), later) == outbox.DeliveryReport(
        1, 0
    )
    assert [mail["Subject"] for mail in smtp.received] == ["Bericht 1"]
    assert smtp.received[0]["To"] == "truus1@example.org"
    session.refresh(row)
    assert row.sent_at == later and row.attempts == 2 and row.last_error is None


def test_outbox_sent_mail_is_not_sent_again(session, smtp, tmp_path):
    now = utcnow()
    outbox.enqueue(session, _mail(), now)
    session.commit()
    outbox.deliver_due(session, smtp.settings(tmp_path), now)
    outbox.deliver_due(session, smtp.settings(tmp_path), now + timedelta(days=1))
    assert len(smtp.received) == 1


def test_outbox_one_bad_message_does_not_stop_the_others(session, tmp_path):
    now = utcnow()
    for number in (1, 2, 3):
        outbox.enqueue(session, _mail(number), now)
    session.commit()
    sent: list[str] = []

    def send(mail: Mail, settings: MailSettings) -> None:
        if mail.subject == "Bericht 2":
            raise ValueError("kapot adres")
        sent.append(mail.subject)

    settings = MailSettings(sender="x@example.org", outbox_dir=tmp_path)
    assert outbox.deliver_due(session, settings, now, send=send) == outbox.DeliveryReport(2, 1)
    assert sent == ["Bericht 1", "Bericht 3"]
    assert outbox.state(session).waiting == 1


def test_outbox_two_workers_send_each_message_once(app, session, tmp_path):
    now = utcnow()
    for number in range(40):
        outbox.enqueue(session, _mail(number), now)
    session.commit()
    sent: list[str] = []
    lock = threading.Lock()

    def send(mail: Mail, settings: MailSettings) -> None:
        with lock:
            sent.append(mail.subject)

    engine = db.engine  # threads have no app context of their own

    def worker() -> None:
        with Session(engine) as own:
            outbox.deliver_due(own, MailSettings("x@example.org", tmp_path), now, send=send)

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    assert sorted(sent) == sorted(f"Bericht {number}" for number in range(40))
    assert _waiting(session) == 0


def test_outbox_purge_sent_keeps_waiting_mail(session, tmp_path):
    now = utcnow()
    outbox.enqueue(session, _mail(1), now - timedelta(days=10))
    outbox.enqueue(session, _mail(2), now)
    session.commit()
    settings = MailSettings("x@example.org", tmp_path)
    outbox.deliver_due(session, settings, now, limit=1, send=lambda mail, settings: None)
    assert outbox.purge_sent(session, now + timedelta(days=1)) == 1
    session.commit()
    state = outbox.state(session)
    assert (state.waiting, state.failing) == (1, 0)
    assert state.oldest is not None


SENDER = "Naoberkaart <noreply@naoberkaart.nl>"


def test_mail_carries_a_date_and_its_own_message_id(smtp, tmp_path):
    """Mail servers and spam filters expect both; each message gets an id of its own."""
    before = utcnow().replace(microsecond=0)
    deliver(_mail(1), smtp.settings(tmp_path))
    deliver(_mail(2), smtp.settings(tmp_path))
    first, second = smtp.received
    assert before <= first["Date"].datetime <= utcnow()
    assert first["Message-ID"].startswith("<") and first["Message-ID"].endswith("@naoberkaart.nl>")
    assert first["Message-ID"] != second["Message-ID"]


def test_mail_in_the_outbox_folder_carries_a_date_and_message_id(tmp_path):
    deliver(_mail(), MailSettings(sender=SENDER, outbox_dir=tmp_path))
    (written,) = tmp_path.glob("*.eml")
    message = BytesParser(policy=policy.default).parsebytes(written.read_bytes())
    assert message["Date"].datetime.tzinfo is not None
    assert message["Message-ID"].endswith("@naoberkaart.nl>")


def test_outbox_every_attempt_has_the_same_date_and_message_id(session, tmp_path):
    """Delivery is at least once: a message sent twice must show as one in a mail program."""
    written = utcnow().replace(microsecond=0) - timedelta(minutes=5)
    outbox.enqueue(session, _mail(), written)
    outbox.enqueue(session, _mail(2), written)
    session.commit()
    attempts: list[EmailMessage] = []

    def send(mail: Mail, settings: MailSettings) -> None:
        attempts.append(compose(mail, settings.sender))
        if len(attempts) == 1:
            raise smtplib.SMTPServerDisconnected("verbinding verbroken")

    settings = MailSettings(sender=SENDER, outbox_dir=tmp_path)
    outbox.deliver_due(session, settings, written, send=send)
    outbox.deliver_due(session, settings, written + timedelta(hours=1), send=send)
    failed, other, retried = attempts
    assert retried["Message-ID"] == failed["Message-ID"] != other["Message-ID"]
    assert retried["Date"].datetime == failed["Date"].datetime == written
