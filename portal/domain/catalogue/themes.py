"""The theme taxonomy seeded from the design, and helpers to read themes by slug."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Theme

SEED_THEMES: tuple[tuple[str, str, str, str], ...] = (
    ("dagbesteding", "Dagbesteding", "Day activities", "#8a4f00"),
    ("naoberzorg", "Naoberzorg (burenhulp)", "Neighbourly help", "#01689b"),
    ("ouders-helpen-ouders", "Ouders helpen ouders", "Parents helping parents", "#a90061"),
    ("mantelzorgondersteuning", "Mantelzorgondersteuning", "Support for carers", "#7a3e9d"),
    ("vervoer", "Vervoer", "Transport", "#275937"),
    ("maaltijden", "Maaltijden", "Meals", "#b3400b"),
    (
        "ontmoeting-eenzaamheid",
        "Ontmoeting en eenzaamheid",
        "Meeting people, loneliness",
        "#42145f",
    ),
    ("klussen", "Klussen", "Odd jobs", "#5c4300"),
    ("taal-digitaal", "Taal en digitaal", "Language and digital skills", "#00589c"),
    ("geldzaken-armoede", "Geldzaken en armoede", "Money matters and poverty", "#94001e"),
    ("jongeren-talent", "Jongeren en talent", "Young people and talent", "#006b5b"),
    ("ouderen", "Ouderen", "Older people", "#6b3a1e"),
    ("werk-participatie", "Werk en meedoen", "Work and participation", "#39477b"),
    ("wonen", "Wonen", "Housing", "#4d5a0a"),
)


def seed_themes(session: Session) -> int:
    """Insert the design's themes that are missing; returns how many were added."""
    existing = set(session.scalars(select(Theme.slug)))
    added = 0
    for order, (slug, label_nl, label_en, colour) in enumerate(SEED_THEMES):
        if slug not in existing:
            session.add(
                Theme(
                    slug=slug, label_nl=label_nl, label_en=label_en, colour=colour, sort_order=order
                )
            )
            added += 1
    session.flush()
    return added


@dataclass(frozen=True)
class ThemeRow:
    """A theme as plain values: safe to share between requests and to keep in a cache."""

    id: int
    slug: str
    label_nl: str
    label_en: str
    colour: str

    def label(self, locale: str = "nl") -> str:
        return self.label_en if locale == "en" else self.label_nl


def all_themes(session: Session) -> list[Theme]:
    """Every theme in display order."""
    return list(session.scalars(select(Theme).order_by(Theme.sort_order, Theme.slug)))


def theme_choices(session: Session, locale: str) -> list[tuple[str, str]]:
    """(slug, label) for every theme in display order: form choices and label lookups."""
    return [(theme.slug, theme.label(locale)) for theme in all_themes(session)]


def themes_by_slug(session: Session, slugs: Iterable[str]) -> list[Theme]:
    """The themes with these slugs (unknown slugs are ignored)."""
    wanted = set(slugs)
    if not wanted:
        return []
    return list(
        session.scalars(select(Theme).where(Theme.slug.in_(wanted)).order_by(Theme.sort_order))
    )
