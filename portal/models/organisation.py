"""Organisations: kulturhusen, care providers, village councils, municipalities and more."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import LocatedMixin, Timestamp, TimestampMixin, enum_column, utcnow
from .theme import THEME_DISPLAY_ORDER, Theme, theme_link_table
from .user import User


class OrganisationKind(enum.Enum):
    """The kinds of organisation named in the design."""

    KULTURHUS = "kulturhus"
    CARE_PROVIDER = "care_provider"
    WELFARE = "welfare"
    VILLAGE_COUNCIL = "village_council"
    CITIZEN_INITIATIVE = "citizen_initiative"
    MUNICIPALITY = "municipality"
    SCHOOL = "school"
    BUSINESS = "business"
    FUND = "fund"


organisation_theme = theme_link_table("organisation")


class Organisation(LocatedMixin, TimestampMixin, db.Model):
    """An organisation with a public address, themes, members and an officer's verified mark."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(255), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_at: Mapped[datetime | None] = mapped_column(Timestamp)
    verified_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    confirmed_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(Timestamp)
    wheelchair_access: Mapped[bool] = mapped_column(Boolean, default=False)
    accessible_toilet: Mapped[bool] = mapped_column(Boolean, default=False)
    hearing_loop: Mapped[bool] = mapped_column(Boolean, default=False)
    parking: Mapped[bool] = mapped_column(Boolean, default=False)
    public_transport: Mapped[bool] = mapped_column(Boolean, default=False)

    themes: Mapped[list[Theme]] = relationship(
        secondary=organisation_theme, lazy="selectin", order_by=THEME_DISPLAY_ORDER
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )


class Membership(db.Model):
    """A user who acts for an organisation; `manager` may add members and edit the profile."""

    __tablename__ = "membership"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    manager: Mapped[bool] = mapped_column(Boolean, default=False)

    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(lazy="joined")


class MembershipInvitation(db.Model):
    """A manager invited an e-mail address; whoever holds that address may accept or decline.

    Kept by address, not by account, so the manager learns nothing about whether the address
    has an account; nobody becomes a member without accepting.
    """

    __tablename__ = "membership_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254), index=True)
    manager: Mapped[bool] = mapped_column(Boolean, default=False)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
