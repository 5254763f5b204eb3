"""Glue between the app's settings and the mail module."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale

from ..domain.mailing import outbox
from ..domain.mailing.delivery import Mail, MailSettings
from ..extensions import db
from ..models import User


def mail_settings() -> MailSettings:
    """The mail settings of the running app."""
    config = current_app.config
    return MailSettings(
        sender=config["MAIL_SENDER"],
        outbox_dir=config["MAIL_OUTBOX_DIR"],
        server=config["MAIL_SERVER"],
        port=config["MAIL_PORT"],
        username=config["MAIL_USERNAME"],
        password=config["MAIL_PASSWORD"],
        use_tls=config["MAIL_USE_TLS"],
    )


def send_template(to: str, subject: str, template: str, **context) -> None:
    """Render a plain-text mail template and queue it in the outbox table.

    It goes out when the caller commits (a rolled-back request sends nothing) and the
    `send-mail` worker delivers it: a slow or absent SMTP server never blocks a request.
    """
    body = render_template(template, **context)
    outbox.enqueue(db.session, Mail(to=to, subject=subject, body=body))


def mail_user(recipient: User, subject: str, template: str, **context) -> None:
    """`send_template` to an account in its own language: the subject (a `lazy_gettext` string)
    and the template are rendered under the recipient's locale, Dutch when they chose none."""
    with force_locale(recipient.locale or "nl"):
        send_template(recipient.email, str(subject), template, **context)
