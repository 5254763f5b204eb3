"""A second line behind public points: an account moves its points only a few times an hour.

Matching reads public points only (see ``portal.domain.matching``), so moving one's own listing
or volunteer profile teaches nothing finer than village centres. Moving points many times an
hour is still what a probe looks like, not a person who moved house, so it is refused. A move
is a new exact point for a listing (a new listing included) or a volunteer profile.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ...models import LocationMove
from ..errors import FieldError
from ..text import N_
from .geography import Location

WINDOW = timedelta(hours=1)
KEPT = timedelta(days=1)


def stored_location(row) -> Location | None:
    """Where a listing or volunteer profile is now, or None when it has no point yet."""
    if row is None or row.lat is None or row.lon is None:
        return None
    return Location(
        row.lat,
        row.lon,
        row.place_key or "",
        row.place_name or "",
        row.municipality or "",
        source="stored",
    )


def is_move(old_point: tuple[float | None, float | None] | None, location: Location) -> bool:
    """Whether saving `location` changes the stored exact point (None: nothing stored yet)."""
    return old_point is None or tuple(old_point) != (location.lat, location.lon)


def record_move(session: Session, user_id: int, now: datetime, per_hour: int) -> None:
    """Count one move, or refuse it (at the location field) when the hour's moves are used up."""
    recent = session.scalar(
        select(func.count()).where(
            LocationMove.user_id == user_id, LocationMove.created_at > now - WINDOW
        )
    )
    if recent >= per_hour:
        raise FieldError(
            "location_query",
            N_(
                "U heeft de plek vaak verplaatst. Probeer het over een uur opnieuw, of laat "
                "de plek zoals hij was."
            ),
        )
    session.add(LocationMove(user_id=user_id, created_at=now))


def forget_old_moves(session: Session, now: datetime) -> int:
    """Remove moves older than a day (the retention job); returns how many."""
    result = session.execute(delete(LocationMove).where(LocationMove.created_at < now - KEPT))
    return result.rowcount or 0
