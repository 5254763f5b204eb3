"""Words the domain writes for people — match explanations, day parts, dates — per language.

Flask-free: Babel formats numbers, dates, day names and lists for the reader's locale, and the
phrases come from the same catalogue as the pages (``translations/``), read with
``babel.support``. Dutch is the source language, so Dutch needs no catalogue. Phrases are marked
with ``N_`` (``domain.text``) where they are defined and translated here, with the reader's
locale, where they are used.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from gettext import NullTranslations
from pathlib import Path

from babel.dates import format_date, get_day_names
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.support import Translations

from .text import N_

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"
SOURCE_LOCALE = "nl"


@functools.cache
def _catalogue(locale: str) -> NullTranslations:
    if locale == SOURCE_LOCALE:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS_DIR), [locale])


def phrase(locale: str, message: str, **values: object) -> str:
    """`message` in the locale's words, with its ``%(name)s`` placeholders filled."""
    text = _catalogue(locale).gettext(message)
    return text % values if values else text


def listing_of(words: Sequence[str], locale: str, most: int = 3) -> str:
    """ "a, b en c"; beyond `most`: "a, b, c en 2 meer" (the locale's own list style)."""
    shown = list(words[:most])
    if len(words) > most:
        shown.append(phrase(locale, N_("%(count)s meer"), count=len(words) - most))
    return format_list(shown, locale=locale) if shown else ""


def kilometres(distance_km: float, locale: str) -> str:
    """ "2,1 km", "5 km", "35 km"; "< 0,1 km" in the same spot (the locale's decimal sign)."""
    rounded = round(distance_km, 1)
    if rounded < 0.1:
        return "< " + format_decimal(0.1, format="0.0", locale=locale) + " km"
    if rounded < 10:
        return format_decimal(rounded, format="0.#", locale=locale) + " km"
    return format_decimal(round(rounded), format="0", locale=locale) + " km"


DAY_CODES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PART_WORDS = {"morning": N_("ochtend"), "afternoon": N_("middag"), "evening": N_("avond")}
#: A day and a day part as one name: Dutch writes "dinsdagochtend", English "Tuesday morning".
DAY_PART = N_("%(day)s%(part)s")


def day_name(code: str, locale: str) -> str:
    """ "dinsdag" / "Tuesday" for ``"tue"``."""
    return get_day_names("wide", locale=locale)[DAY_CODES.index(code)]


def day_part_name(day: str, part: str, locale: str) -> str:
    """ "dinsdagochtend" / "Tuesday morning"."""
    return phrase(
        locale, DAY_PART, day=day_name(day, locale), part=phrase(locale, PART_WORDS[part])
    )


def day_and_date(name: str, day: date, locale: str) -> str:
    """ "dinsdagochtend 3 maart" / "Tuesday morning 3 March"."""
    return f"{name} {format_date(day, 'd MMMM', locale=locale)}"
