"""Flessenpost: anonymous wishes for a place, moderated before anyone sees them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Timestamp, enum_column, utcnow
from .theme import THEME_DISPLAY_ORDER, Theme, theme_link_table


class WishStatus(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


wish_theme = theme_link_table("wish")


class Wish(db.Model):
    """An anonymous wish: no author is stored, only the place and themes."""

    __tablename__ = "wish"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    place_key: Mapped[str] = mapped_column(String(40), index=True)
    place_name: Mapped[str] = mapped_column(String(120))
    municipality: Mapped[str] = mapped_column(String(120))
    status: Mapped[WishStatus] = mapped_column(enum_column(WishStatus), default=WishStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    moderated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    moderated_at: Mapped[datetime | None] = mapped_column(Timestamp)

    themes: Mapped[list[Theme]] = relationship(
        secondary=wish_theme, lazy="selectin", order_by=THEME_DISPLAY_ORDER
    )
