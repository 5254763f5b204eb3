"""When an account last moved the point of a listing or volunteer profile (a probing brake)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import Timestamp, utcnow


class LocationMove(db.Model):
    """One change of an exact point by this account; kept a day (see ``domain.moves``)."""

    __tablename__ = "location_move"
    __table_args__ = (Index("ix_location_move_user_id_created_at", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
