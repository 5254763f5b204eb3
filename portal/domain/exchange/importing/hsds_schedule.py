"""HSDS schedules read as our weekly day parts or a single date; other rules are left for the report."""

from __future__ import annotations

from datetime import date

from ...catalogue.schedule import DAYS, PARTS
from ..hsds.vocabulary import RRULE_DAYS
from .hsds_tables import Package

_RRULE_TO_DAY = {code: day for day, code in RRULE_DAYS.items()}
_PART_HOURS = {"morning": (0, 12), "afternoon": (12, 18), "evening": (18, 24)}


def _parts(opens: str, closes: str) -> list[str]:
    """The day parts a time span touches (morning before 12, afternoon before 18)."""
    start = int(opens[:2]) if opens[:2].isdigit() else 0
    end = int(closes[:2]) if closes[:2].isdigit() else 24
    touched = [part for part, (low, high) in _PART_HOURS.items() if start < high and end > low]
    return touched or list(PARTS)


def _weekly_slots(row: dict[str, str]) -> list[str]:
    """The day parts of a weekly schedule row: its ``byday`` days at the hours it is open."""
    codes = [d.strip()[-2:] for d in row["byday"].split(",")]
    chosen = [_RRULE_TO_DAY[code] for code in codes if code in _RRULE_TO_DAY]
    parts = _parts(row.get("opens_at", ""), row.get("closes_at", ""))
    return [f"{day}-{part}" for day in chosen for part in parts]


def _single_date(row: dict[str, str]) -> date | None:
    """The date of a one-off schedule row (``count`` 1 with a ``dtstart``), if it reads as one."""
    if row.get("count") != "1" or not row.get("dtstart"):
        return None
    try:
        return date.fromisoformat(row["dtstart"][:10])
    except ValueError:
        return None


def read_schedule(pkg: Package, service_id: str) -> tuple[tuple[str, ...], date | None]:
    """Weekly day parts (in week order) and a single date from a service's schedules."""
    slots: list[str] = []
    once = None
    for number, row in pkg.children("schedule", "service_id", service_id):
        if row.get("freq", "").upper() in ("", "WEEKLY") and row.get("byday"):
            slots += _weekly_slots(row)
        elif (single := _single_date(row)) is not None:
            once = single
        else:
            continue
        pkg.use("schedule", number)
    return tuple(s for s in (f"{d}-{p}" for d in DAYS for p in PARTS) if s in slots), once
