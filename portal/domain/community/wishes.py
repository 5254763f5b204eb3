"""Flessenpost: anonymous wishes, moderated before anyone sees them, shown as counts per place."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Theme, User, Wish, WishStatus
from ...models.wish import wish_theme
from ..catalogue.themes import themes_by_slug
from ..places.geography import Location


def leave_wish(
    session: Session, body: str, location: Location, theme_slugs: tuple[str, ...]
) -> Wish:
    """Store a wish with only its village and themes: nothing about who left it."""
    wish = Wish(
        body=body.strip(),
        place_key=location.place_key,
        place_name=location.place_name,
        municipality=location.municipality,
        themes=themes_by_slug(session, theme_slugs),
    )
    session.add(wish)
    session.flush()
    return wish


def moderate(wish: Wish, moderator: User, approve: bool, now: datetime) -> None:
    """Approve or reject a wish, recording who decided and when."""
    wish.status = WishStatus.APPROVED if approve else WishStatus.REJECTED
    wish.moderated_by_id = moderator.id
    wish.moderated_at = now


def pending(session: Session) -> list[Wish]:
    """Wishes waiting for a moderator, oldest first."""
    return list(
        session.scalars(select(Wish).where(Wish.status == WishStatus.PENDING).order_by(Wish.id))
    )


@dataclass(frozen=True)
class PlaceWishes:
    """Approved wishes of one village: how many per theme."""

    place_key: str
    place_name: str
    municipality: str
    per_theme: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.per_theme.values())


def counts_per_place(session: Session, municipality: str | None = None) -> list[PlaceWishes]:
    """Approved wishes per village and theme, most wishes first."""
    statement = (
        select(Wish.place_key, Wish.place_name, Wish.municipality, Theme.slug, func.count(Wish.id))
        .join(wish_theme, wish_theme.c.wish_id == Wish.id)
        .join(Theme, Theme.id == wish_theme.c.theme_id)
        .where(Wish.status == WishStatus.APPROVED)
        .group_by(Wish.place_key, Wish.place_name, Wish.municipality, Theme.slug)
    )
    if municipality:
        statement = statement.where(Wish.municipality == municipality)
    grouped: dict[tuple[str, str, str], dict[str, int]] = defaultdict(dict)
    for key, name, gemeente, slug, number in session.execute(statement):
        grouped[(key, name, gemeente)][slug] = number
    places = [PlaceWishes(*place, per_theme) for place, per_theme in grouped.items()]
    return sorted(places, key=lambda place: (-place.total, place.place_name))


def approved_for_place(session: Session, place_key: str) -> list[Wish]:
    """The approved wishes of one village, newest first (read together at the kulturhus)."""
    return list(
        session.scalars(
            select(Wish)
            .where(Wish.status == WishStatus.APPROVED, Wish.place_key == place_key)
            .order_by(Wish.created_at.desc())
        )
    )
