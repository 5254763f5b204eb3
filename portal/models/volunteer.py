"""A resident's standing offer of help."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import LocatedMixin, TimestampMixin
from .theme import THEME_DISPLAY_ORDER, Theme, theme_link_table
from .user import User

volunteer_profile_theme = theme_link_table("volunteer_profile")


class VolunteerProfile(LocatedMixin, TimestampMixin, db.Model):
    """Themes, skills, weekly day parts and how far the volunteer travels; can be paused."""

    __tablename__ = "volunteer_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    availability: Mapped[list[str]] = mapped_column(JSON, default=list)
    travel_radius_km: Mapped[float] = mapped_column(Float, default=5.0)
    max_open_matches: Mapped[int] = mapped_column(Integer, default=3)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)

    themes: Mapped[list[Theme]] = relationship(
        secondary=volunteer_profile_theme, lazy="selectin", order_by=THEME_DISPLAY_ORDER
    )
    user: Mapped[User] = relationship()
