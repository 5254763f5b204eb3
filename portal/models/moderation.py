"""Moderation: reports about listings, edits waiting for review, and who looks after a listing."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Timestamp, enum_column, utcnow
from .listing import Listing
from .organisation import Organisation
from .user import User


class ReportStatus(enum.Enum):
    OPEN = "open"
    KEPT = "kept"
    HIDDEN = "hidden"


class RevisionStatus(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Report(db.Model):
    """Someone (maybe anonymous) says a listing is wrong; an officer keeps or hides it."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listing.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[ReportStatus] = mapped_column(
        enum_column(ReportStatus), default=ReportStatus.OPEN, index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    decided_at: Mapped[datetime | None] = mapped_column(Timestamp)

    listing: Mapped[Listing] = relationship()


class ListingRevision(db.Model):
    """An edit to a published listing that waits for review; `data` is the submitted form, as JSON."""

    __tablename__ = "listing_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listing.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    data: Mapped[dict] = mapped_column(JSON)
    status: Mapped[RevisionStatus] = mapped_column(
        enum_column(RevisionStatus), default=RevisionStatus.PENDING, index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    decided_at: Mapped[datetime | None] = mapped_column(Timestamp)

    listing: Mapped[Listing] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class ListingCare(db.Model):
    """Moderation state of one listing: who looks after it, and why it was hidden (for the author)."""

    __tablename__ = "listing_care"

    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listing.id", ondelete="CASCADE"), primary_key=True
    )
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    assigned_at: Mapped[datetime | None] = mapped_column(Timestamp)
    hidden_reason: Mapped[str] = mapped_column(Text, default="")

    assignee: Mapped[User | None] = relationship()


class OrganisationRevision(db.Model):
    """A change to what visitors trust a verified organisation by (name, kind, website, contact):
    it waits for an officer while the old version, with the mark, stays live. `data` holds
    only the changed fields, as JSON."""

    __tablename__ = "organisation_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    data: Mapped[dict] = mapped_column(JSON)
    status: Mapped[RevisionStatus] = mapped_column(
        enum_column(RevisionStatus), default=RevisionStatus.PENDING, index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    decided_at: Mapped[datetime | None] = mapped_column(Timestamp)

    organisation: Mapped[Organisation] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
