"""In-app notifications, digests already sent, and e-mail subscriptions without an account."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import Timestamp, utcnow


class Notification(db.Model):
    """Something that happened for a user: a new message, an accepted contact, a match."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    link: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(Timestamp)


class DigestEntry(db.Model):
    """A need already sent to a volunteer in a digest: never send the same match twice."""

    __tablename__ = "digest_entry"
    __table_args__ = (UniqueConstraint("volunteer_profile_id", "listing_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_profile_id: Mapped[int] = mapped_column(
        ForeignKey("volunteer_profile.id", ondelete="CASCADE")
    )
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listing.id", ondelete="CASCADE"), index=True
    )
    sent_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class Subscription(db.Model):
    """Anyone can follow new listings for a village and themes (double opt-in)."""

    __tablename__ = "subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    place_key: Mapped[str] = mapped_column(String(40))
    place_name: Mapped[str] = mapped_column(String(120))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    radius_km: Mapped[float] = mapped_column(Float, default=5.0)
    theme_slugs: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(Timestamp)
    last_sent_at: Mapped[datetime | None] = mapped_column(Timestamp)
