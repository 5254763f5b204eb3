"""Tell a user something happened: a notification in the header and an e-mail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from ..extensions import db
from ..links import absolute
from ..models import Notification, User
from .mailer import mail_user


def notify(user: User, text: str, link: str) -> None:
    """Store an in-app notification and mail it (both go with the caller's commit)."""
    db.session.add(Notification(user_id=user.id, text=text, link=link))
    mail_user(
        user,
        _l("Nieuw op Naoberkaart"),
        "mail/notification.txt",
        user=user,
        text=text,
        link=absolute(link),
    )


def unread_count() -> int:
    """How many notifications the logged-in user has not read (shown in the header)."""
    if not current_user.is_authenticated:
        return 0
    unread = select(func.count(Notification.id)).where(
        Notification.user_id == current_user.id, Notification.read_at.is_(None)
    )
    return db.session.scalar(unread) or 0
