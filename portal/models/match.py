"""Matches between a need and what could answer it, and the contact that follows."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Timestamp, TimestampMixin, enum_column, utcnow
from .listing import Listing
from .organisation import Organisation
from .user import User
from .volunteer import VolunteerProfile


class MatchStatus(enum.Enum):
    SUGGESTED = "suggested"
    CONTACTED = "contacted"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Match(TimestampMixin, db.Model):
    """A scored pair: a listing and one candidate (listing, volunteer profile or organisation)."""

    __tablename__ = "match"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listing.id", ondelete="CASCADE"), index=True
    )
    candidate_listing_id: Mapped[int | None] = mapped_column(
        ForeignKey("listing.id", ondelete="CASCADE"), index=True
    )
    volunteer_profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("volunteer_profile.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[MatchStatus] = mapped_column(
        enum_column(MatchStatus), default=MatchStatus.SUGGESTED
    )
    score: Mapped[float] = mapped_column(Float)
    distance_km: Mapped[float] = mapped_column(Float)
    shared_themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    score_parts: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    explanation: Mapped[str] = mapped_column(String(300))
    contacted_at: Mapped[datetime | None] = mapped_column(Timestamp)
    helped: Mapped[bool | None] = mapped_column(Boolean)
    outcome_asked_at: Mapped[datetime | None] = mapped_column(Timestamp)

    listing: Mapped[Listing] = relationship(foreign_keys=[listing_id])
    candidate_listing: Mapped[Listing | None] = relationship(foreign_keys=[candidate_listing_id])
    volunteer_profile: Mapped[VolunteerProfile | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class Conversation(TimestampMixin, db.Model):
    """Contact between two users about a listing; details are shared only once accepted."""

    __tablename__ = "conversation"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int | None] = mapped_column(
        ForeignKey("listing.id", ondelete="SET NULL"), index=True
    )
    match_id: Mapped[int | None] = mapped_column(
        ForeignKey("match.id", ondelete="SET NULL"), index=True
    )
    initiator_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[MatchStatus] = mapped_column(
        enum_column(MatchStatus), default=MatchStatus.CONTACTED
    )
    accepted_at: Mapped[datetime | None] = mapped_column(Timestamp)

    listing: Mapped[Listing | None] = relationship()
    initiator: Mapped[User | None] = relationship(foreign_keys=[initiator_id])
    recipient: Mapped[User | None] = relationship(foreign_keys=[recipient_id])
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", order_by="Message.id"
    )


class Message(db.Model):
    """One message in a conversation; the sender becomes NULL when their account is deleted."""

    __tablename__ = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), index=True
    )
    sender_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(Timestamp)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    sender: Mapped[User | None] = relationship()
