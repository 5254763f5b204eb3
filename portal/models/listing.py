"""Listings: what people offer, need or make available, on the map."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import LocatedMixin, Timestamp, TimestampMixin, enum_column, utcnow
from .organisation import Organisation
from .theme import THEME_DISPLAY_ORDER, Theme, theme_link_table
from .user import User


class ListingKind(enum.Enum):
    OFFER = "offer"
    NEED = "need"
    RESOURCE = "resource"


class ListingStatus(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    EXPIRED = "expired"


class ScheduleKind(enum.Enum):
    ONCE = "once"
    WEEKLY = "weekly"
    ONGOING = "ongoing"


class AreaKind(enum.Enum):
    """How far an offer reaches: a radius, chosen villages, or the whole municipality."""

    RADIUS = "radius"
    VILLAGES = "villages"
    MUNICIPALITY = "municipality"


class Involvement(enum.Enum):
    """The municipality's ladder of how residents take part in the wijkteam."""

    PART_OF_TEAM = "part_of_team"
    CO_DECIDING = "co_deciding"
    CONSULTED = "consulted"
    SETUP = "setup"
    NOT_INVOLVED = "not_involved"


class AccessRoute(enum.Enum):
    OPEN = "open"
    VIA_TEAM = "via_team"
    WMO_DECISION = "wmo_decision"


listing_theme = theme_link_table("listing")


class Listing(LocatedMixin, TimestampMixin, db.Model):
    """An offer, need or resource. Residents' exact points stay private (see public_lat/lon)."""

    __tablename__ = "listing"
    __table_args__ = (
        Index("ix_listing_public_lat_lon", "public_lat", "public_lon"),
        # The public read paths (list, count, map data): see migration 0008.
        Index(
            "ix_listing_public_point",
            *("status", "hidden", "public_lat", "public_lon", "kind", "place_key"),
            *("published_at", "id"),
        ),
        Index("ix_listing_published_order", "status", "hidden", "published_at", "id"),
        Index("ix_listing_status_kind", "status", "kind"),
        # The map counts listings per village straight from this index (see docs/map.md).
        Index("ix_listing_map", "status", "hidden", "kind", "place_key", "public_lat"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ListingKind] = mapped_column(enum_column(ListingKind))
    status: Mapped[ListingStatus] = mapped_column(
        enum_column(ListingStatus), default=ListingStatus.DRAFT
    )
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    exact_location_public: Mapped[bool] = mapped_column(Boolean, default=False)

    radius_km: Mapped[float] = mapped_column(Float, default=5.0)
    area_kind: Mapped[AreaKind] = mapped_column(enum_column(AreaKind), default=AreaKind.RADIUS)
    area_places: Mapped[list[str]] = mapped_column(JSON, default=list)

    schedule_kind: Mapped[ScheduleKind] = mapped_column(
        enum_column(ScheduleKind), default=ScheduleKind.ONGOING
    )
    event_date: Mapped[date | None] = mapped_column(Date)
    weekly_slots: Mapped[list[str]] = mapped_column(JSON, default=list)
    contributions: Mapped[list[str]] = mapped_column(JSON, default=list)
    hours_per_week: Mapped[float | None] = mapped_column(Float)
    involvement: Mapped[Involvement | None] = mapped_column(enum_column(Involvement))
    access_route: Mapped[AccessRoute | None] = mapped_column(enum_column(AccessRoute))
    reach: Mapped[list[str]] = mapped_column(JSON, default=list)
    cost: Mapped[str] = mapped_column(String(120), default="")
    age_min: Mapped[int | None] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)
    capacity: Mapped[int | None] = mapped_column(Integer)
    spots_taken: Mapped[int] = mapped_column(Integer, default=0)
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)

    published_at: Mapped[datetime | None] = mapped_column(Timestamp)
    expires_at: Mapped[datetime | None] = mapped_column(Timestamp)
    confirmed_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(Timestamp)
    closed_at: Mapped[datetime | None] = mapped_column(Timestamp)
    fulfilled: Mapped[bool] = mapped_column(Boolean, default=False)
    search_text: Mapped[str] = mapped_column(Text, default="")

    themes: Mapped[list[Theme]] = relationship(
        secondary=listing_theme, lazy="selectin", order_by=THEME_DISPLAY_ORDER
    )
    owner: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    consent: Mapped[Consent | None] = relationship(
        back_populates="listing", cascade="all, delete-orphan", uselist=False
    )

    @property
    def spots_left(self) -> int | None:
        """Free places for a recurring activity with a capacity ("nog 3 plekken")."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.spots_taken, 0)


class Consent(db.Model):
    """A resident's consent for a need posted on their behalf. Private: never shown publicly."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listing.id", ondelete="CASCADE"), unique=True
    )
    resident_reference: Mapped[str] = mapped_column(String(120))
    given_by: Mapped[str] = mapped_column(String(120))
    given_on: Mapped[date] = mapped_column(Date)
    purpose: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    recorded_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    listing: Mapped[Listing] = relationship(back_populates="consent")
