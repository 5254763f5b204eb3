"""Themes: the taxonomy that offers, needs, organisations and volunteers share."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

#: How every theme list reads (forms, cards, a listing's or organisation's page, the API): the
#: `order_by` of each `themes` relationship, evaluated once the mapper is configured.
THEME_DISPLAY_ORDER = "[Theme.sort_order, Theme.slug]"


class Theme(db.Model):
    """A theme with a slug for URLs, Dutch and English labels and a map colour."""

    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    label_nl: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    colour: Mapped[str] = mapped_column(String(7), default="#01689b")
    icon: Mapped[str] = mapped_column(String(40), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    def label(self, locale: str = "nl") -> str:
        """The label in the given language."""
        return self.label_en if locale == "en" else self.label_nl


def theme_link_table(owner: str) -> Table:
    """An association table between `owner` and theme."""
    return Table(
        f"{owner}_theme",
        db.metadata,
        Column(f"{owner}_id", ForeignKey(f"{owner}.id", ondelete="CASCADE"), primary_key=True),
        Column(
            "theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True, index=True
        ),
    )
