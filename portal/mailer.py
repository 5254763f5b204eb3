"""Glue between the app's settings and the mail module."""

from __future__ import annotations

from flask import current_app, render_template

from .domain.mail import Mail, MailSettings, deliver


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
    """Render a plain-text mail template and send it."""
    body = render_template(template, **context)
    deliver(Mail(to=to, subject=subject, body=body), mail_settings())
