"""Accounts and roles."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import Timestamp, TimestampMixin, enum_column


class Role(enum.Enum):
    """What an account may do; officers and admins are granted, never chosen at registration."""

    RESIDENT = "resident"
    ORGANISATION = "organisation"
    OFFICER = "officer"
    ADMIN = "admin"


class User(UserMixin, TimestampMixin, db.Model):
    """An account. `session_version` is part of the login id, so bumping it ends every session."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str] = mapped_column(String(40), default="")
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.RESIDENT)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: False from registration until the owner of the address follows the link in the mail;
    #: such an account cannot log in (nobody can take an address they do not read).
    email_confirmed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    privacy_consent_at: Mapped[datetime | None] = mapped_column(Timestamp)
    last_login_at: Mapped[datetime | None] = mapped_column(Timestamp)
    inactivity_warned_at: Mapped[datetime | None] = mapped_column(Timestamp)

    def get_id(self) -> str:
        """Flask-Login's alternative token: id plus session version."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_officer(self) -> bool:
        """Officers and admins see the municipal dashboard."""
        return self.role in (Role.OFFICER, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN
