"""Weekly day parts ("tue-morning"): the shared vocabulary of schedules and availability.

Listings and volunteer profiles store slots as ``"<day>-<part>"`` strings, so forms, matching
and templates all speak the same small language; their names come from ``wording`` (Babel):
"dinsdagochtend", "Tuesday morning".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from ..wording import DAY_CODES, PART_WORDS, SOURCE_LOCALE, day_and_date, day_name, day_part_name

DAYS: tuple[str, ...] = DAY_CODES
PARTS: tuple[str, ...] = tuple(PART_WORDS)
SLOTS: tuple[str, ...] = tuple(f"{day}-{part}" for day in DAYS for part in PARTS)
_SLOT_ORDER = {slot: index for index, slot in enumerate(SLOTS)}

#: Dutch names, for reading what people type (imports): "dinsdag", "ochtend".
DAY_NAMES_NL = {day: day_name(day, SOURCE_LOCALE) for day in DAYS}
PART_NAMES_NL = dict(PART_WORDS)

#: The hour at which each day part starts (the morning starts at midnight).
_AFTERNOON_FROM = 12
_EVENING_FROM = 18


def is_slot(value: str) -> bool:
    """True for a known slot such as ``"tue-morning"``."""
    return value in _SLOT_ORDER


def clean(slots: Iterable[str] | None) -> tuple[str, ...]:
    """Known slots only, without duplicates, in week order (input from forms or JSON columns)."""
    if not slots:
        return ()
    return tuple(sorted(_SLOT_ORDER.keys() & set(slots), key=_SLOT_ORDER.__getitem__))


def overlap(a: Iterable[str] | None, b: Iterable[str] | None) -> tuple[str, ...]:
    """The slots both sides share, in week order: "beiden dinsdagochtend"."""
    return clean(set(a or ()) & set(b or ()))


def slot_label(slot: str, locale: str = SOURCE_LOCALE) -> str:
    """A slot's name: ``"dinsdagochtend"`` in Dutch, ``"Tuesday morning"`` in English."""
    if not is_slot(slot):
        return slot
    day, part = slot.split("-")
    return day_part_name(day, part, locale)


def slot_choices(locale: str = "nl") -> list[tuple[str, str]]:
    """(value, label) pairs for every slot, in week order, for checkbox fields."""
    return [(slot, slot_label(slot, locale)) for slot in SLOTS]


def day_of(day: date) -> str:
    """The day code of a date: ``"tue"`` for a Tuesday."""
    return DAYS[day.weekday()]


def part_of(moment: datetime) -> str:
    """The day part a moment falls in (local clock time): morning, afternoon or evening."""
    if moment.hour < _AFTERNOON_FROM:
        return "morning"
    return "afternoon" if moment.hour < _EVENING_FROM else "evening"


def slot_of(moment: datetime) -> str:
    """The slot of a moment: ``"tue-evening"`` for Tuesday 19:30."""
    return f"{day_of(moment.date())}-{part_of(moment)}"


def date_slots(day: date, slots: Iterable[str] | None = None) -> tuple[str, ...]:
    """The slots a one-off date occupies: the given slots on that weekday, else the whole day.

    A one-off activity stores its date plus, optionally, the day parts it uses; without parts
    it could be any time that day.
    """
    code = day_of(day)
    chosen = tuple(slot for slot in clean(slots) if slot.startswith(f"{code}-"))
    return chosen or tuple(f"{code}-{part}" for part in PARTS)


def date_label(day: date, slots: Iterable[str] | None = None, locale: str = SOURCE_LOCALE) -> str:
    """A one-off date with its day part when there is one: "dinsdagochtend 3 maart"."""
    parts = date_slots(day, slots)
    name = slot_label(parts[0], locale) if len(parts) == 1 else day_name(day_of(day), locale)
    return day_and_date(name, day, locale)
