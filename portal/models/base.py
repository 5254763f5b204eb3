"""Shared column helpers for the models."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, Float, Index, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def enum_column(enum_class: type[enum.Enum], **kwargs) -> Enum:
    """Store an enum by its value as a plain string: portable across SQLite and PostgreSQL."""
    return Enum(
        enum_class,
        native_enum=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
        **kwargs,
    )


class UtcDateTime(TypeDecorator):
    """A moment, stored in UTC and read back timezone-aware in UTC on SQLite and PostgreSQL alike.

    SQLite keeps no time zone and hands back naive datetimes; every stored moment is UTC, so a
    naive value (on the way in or out) is UTC, and an aware one is converted to UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        return _in_utc(value)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return _in_utc(value)


def _in_utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


Timestamp = UtcDateTime()


class LocatedMixin:
    """Where something is: the exact point (private for residents) and the coarsened public one.

    Only the owner's own forms read the exact point; everything else, matching included, reads
    the public one (see ``portal.domain.matching``), so that is the point the index serves.
    """

    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    public_lat: Mapped[float | None] = mapped_column(Float)
    public_lon: Mapped[float | None] = mapped_column(Float)
    place_key: Mapped[str | None] = mapped_column(String(40), index=True)
    place_name: Mapped[str | None] = mapped_column(String(120))
    municipality: Mapped[str | None] = mapped_column(String(120), index=True)

    @declared_attr.directive
    def __table_args__(cls):  # noqa: N805
        return (Index(f"ix_{cls.__tablename__}_public_lat_lon", "public_lat", "public_lon"),)


class TimestampMixin:
    """Created and updated moments."""

    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
