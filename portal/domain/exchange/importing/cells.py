"""Typed readers for a row's cells: each records a Dutch error for a bad value and returns a safe one."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from ...catalogue.schedule import DAY_NAMES_NL, DAYS, PART_NAMES_NL, PARTS, is_slot
from ...places.gazetteer import normalise
from ...places.geography import Location
from ...web_addresses import is_web_address
from .context import Context
from .places import Failure, PlaceQuery, locate, parse_number
from .report import nl

LOCATION_COLUMNS = ("adres", "postcode", "plaats", "lat", "lon")
_YES = {"ja", "j", "yes", "y", "true", "1", "x"}
_NO = {"nee", "n", "no", "false", "0", ""}
_SLOT_WORDS = {
    **{normalise(DAY_NAMES_NL[d] + PART_NAMES_NL[p]): f"{d}-{p}" for d in DAYS for p in PARTS},
    **{normalise(f"{DAY_NAMES_NL[d]} {PART_NAMES_NL[p]}"): f"{d}-{p}" for d in DAYS for p in PARTS},
}


def valid_email(value: str) -> bool:
    """A well-formed address (no DNS look-up: imports must work offline)."""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


class Row:
    """One row: typed readers that record a Dutch error and return a safe value."""

    def __init__(self, ctx: Context, file: str, number: int, values: dict[str, str]) -> None:
        self.ctx, self.file, self.row_number, self.values = ctx, file, number, values

    def get(self, column: str) -> str:
        return self.values.get(column, "") or ""

    def error(self, column: str, reason: str) -> None:
        self.ctx.error(self.file, self.row_number, column, reason)

    def text(self, column: str, max_length: int, required: bool = False) -> str:
        value = self.get(column)
        if required and not value:
            self.error(column, nl("Verplicht: vul dit in."))
        elif len(value) > max_length:
            self.error(column, nl("Te lang: hoogstens %(max)s tekens.", max=max_length))
        return value[:max_length]

    def choice(self, column: str, words: dict, options: str):
        value = self.get(column)
        found = words.get(normalise(value))
        if found is None:
            self.error(column, nl("Onbekende waarde ‘%(value)s’. Kies uit: %(options)s.",
                                  value=value, options=options))  # fmt: skip
        return found

    def number(self, column: str, low: float, high: float, integer: bool = False):
        value = self.get(column)
        if not value:
            return None
        number = parse_number(value)
        if number is None or (integer and not number.is_integer()):
            self.error(column, nl("Geen (geheel) getal: ‘%(value)s’.", value=value))
            return None
        if not low <= number <= high:
            self.error(column, nl("Moet tussen %(low)s en %(high)s liggen.", low=low, high=high))
            return None
        return int(number) if integer else number

    def url(self, column: str) -> str:
        value = self.get(column)
        if value and not is_web_address(value):
            self.error(column, nl("Vul een volledig webadres in, met https://."))
            return ""
        return value

    def email(self, column: str) -> str:
        value = self.get(column)
        if value and not valid_email(value):
            self.error(column, nl("Dit is geen geldig e-mailadres."))
            return ""
        return value

    def yes_no(self, column: str) -> bool:
        value = normalise(self.get(column))
        if value not in _YES | _NO:
            self.error(column, nl("Vul ja of nee in."))
        return value in _YES

    def themes(self, column: str) -> tuple[str, ...]:
        slugs = []
        for part in re.split(r"[;,|]", self.get(column)):
            if not part.strip():
                continue
            slug = self.ctx.themes.match(part)
            if slug is None:
                self.error(column, nl("Onbekend thema ‘%(theme)s’. Kies uit: %(known)s.",
                                      theme=part.strip(), known=self.ctx.themes.known()))  # fmt: skip
            elif slug not in slugs:
                slugs.append(slug)
        return tuple(slugs)

    def slots(self, column: str) -> tuple[str, ...]:
        slots = []
        for part in re.split(r"[;,|]", self.get(column)):
            word = normalise(part)
            slot = part.strip() if is_slot(part.strip()) else _SLOT_WORDS.get(word)
            if word and slot is None:
                self.error(column, nl("Onbekend moment ‘%(value)s’. Schrijf bijvoorbeeld "
                                      "‘dinsdagavond’.", value=part.strip()))  # fmt: skip
            elif slot and slot not in slots:
                slots.append(slot)
        return tuple(slots)

    def location(self, fallback: Location | None = None) -> Location | None:
        query = PlaceQuery(postcode=self.get("postcode"), place=self.get("plaats"),
                           address=self.get("adres"), lat=self.get("lat"), lon=self.get("lon"))  # fmt: skip
        if fallback is not None and not any(self.get(c) for c in LOCATION_COLUMNS):
            return fallback
        found = locate(query, strict=True)
        if isinstance(found, Failure):
            self.error(found.column, found.reason)
            return None
        return found
