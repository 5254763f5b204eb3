"""A candidate's reasons in words, in the reader's language: "biedt spullen aan · 3 km · …".

Scoring gives each candidate its reasons as plain values (`Reason`); this module words them for
one locale with the catalogue and Babel, so the same candidate reads in Dutch on one page and in
English on the next (and Dutch in stored matches and the API).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import date

from ..catalogue.schedule import date_label, slot_label
from ..text import N_
from ..wording import SOURCE_LOCALE, kilometres, listing_of, phrase
from .values import Reason

MATERIAL_WORDS = {"space": N_("ruimte"), "money": N_("geld"), "materials": N_("spullen")}
FIXED = {
    "same_place": N_("zelfde dorp"),
    "other_date": N_("andere datum"),
    "other_slots": N_("andere dagdelen"),
    "verified": N_("geverifieerd"),
}


def explanation(reasons: Iterable[Reason], locale: str = SOURCE_LOCALE) -> str:
    """The reasons as one line: "zelfde dorp · zelfde thema: vervoer · beiden dinsdagochtend"."""
    return " · ".join(_worded(reason, locale) for reason in reasons)


@functools.lru_cache(maxsize=8192)
def _worded(reason: Reason, locale: str) -> str:
    """One reason in words; kept, since Babel's formatting costs more than a query's scoring
    and the same few reasons recur (distances are rounded to 100 m)."""
    if reason.code in FIXED:
        return phrase(locale, FIXED[reason.code])
    return _WORDERS[reason.code](reason.values, locale)


def _things(kinds: tuple[str, ...], locale: str) -> str:
    return listing_of([phrase(locale, MATERIAL_WORDS[kind]) for kind in kinds], locale)


def _themes(labels: tuple[tuple[str, str], ...], locale: str) -> str:
    """Each label is (Dutch, English)."""
    names = listing_of([(en if locale == "en" else nl).lower() for nl, en in labels], locale)
    single = len(labels) == 1
    return phrase(
        locale, N_("zelfde thema: %(names)s") if single else N_("zelfde thema's: %(names)s"),
        names=names,
    )  # fmt: skip


def _day(iso: str) -> date:
    return date.fromisoformat(iso)


def _together(slots: tuple[str, ...], locale: str) -> str:
    names = listing_of([slot_label(slot, locale) for slot in slots], locale)
    return phrase(locale, N_("beiden %(slots)s"), slots=names)


_WORDERS: dict[str, Callable[[tuple, str], str]] = {
    "offers": lambda kinds, locale: phrase(
        locale, N_("biedt %(things)s aan"), things=_things(kinds, locale)
    ),
    "asks": lambda kinds, locale: phrase(
        locale, N_("vraagt %(things)s"), things=_things(kinds, locale)
    ),
    "distance": lambda values, locale: kilometres(values[0], locale),
    "themes": _themes,
    "together": _together,
    "on_date": lambda values, locale: phrase(
        locale, N_("kan op %(date)s"), date=date_label(_day(values[0]), values[1], locale)
    ),
    "not_on_date": lambda values, locale: phrase(
        locale, N_("niet op %(date)s"), date=date_label(_day(values[0]), None, locale)
    ),
}
