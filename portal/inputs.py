"""Input that no database can store is refused where it enters: forms and URLs.

- A NUL byte in posted text: PostgreSQL refuses NUL in every string, so a form holding one
  would end in a 500. Every form derives from `PortalForm`, which takes the NUL out of what
  was typed (so the page shows the text without it) and puts a Dutch message at the field.
- An id in a URL: PostgreSQL's integer ends at 2³¹-1 (SQLite's at 2⁶³-1) and a query with a
  larger number fails. The app's `int` converter is `IdConverter`: only 1..2³¹-1 match, anything
  else is a 404 before a view runs. `parse_id` does the same for an id in a form or a query.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter, ValidationError

NUL = "\x00"
MAX_ID = 2**31 - 1
MAX_ID_DIGITS = len(str(MAX_ID))
NUL_MESSAGE = _l(
    "Hier stond een onzichtbaar teken (NUL) in dat we niet kunnen bewaren. We hebben het "
    "weggehaald: kijk de tekst na en verstuur hem opnieuw."
)


def without_nul(formdata) -> tuple[MultiDict, frozenset[str]]:
    """The posted values without NUL characters, and the names of the fields that had one."""
    cleaned: MultiDict = MultiDict()
    refused = set()
    for name, value in formdata.items(multi=True):
        has_nul = isinstance(value, str) and NUL in value
        if has_nul:
            refused.add(name)
        cleaned.add(name, value.replace(NUL, "") if has_nul else value)
    return cleaned, frozenset(refused)


class PortalForm(FlaskForm):
    """The base of every form of the portal."""

    class Meta:
        def wrap_formdata(self, form, formdata):
            formdata = super().wrap_formdata(form, formdata)  # type: ignore[misc]
            if formdata is None:
                return None
            cleaned, form.nul_fields = without_nul(formdata)
            return cleaned if form.nul_fields else formdata

    nul_fields: frozenset[str] = frozenset()

    def validate(self, extra_validators=None) -> bool:
        """The fields' own checks, then: a field that held a NUL is refused."""
        valid = super().validate(extra_validators)
        for field in self:
            if field.name in self.nul_fields:
                field.errors.append(str(NUL_MESSAGE))
                valid = False
        return valid


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: a whole number from 1 to 2³¹-1, or the route does not match."""

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str) -> int:
        if len(value.lstrip("0")) > MAX_ID_DIGITS:  # int() of 5,000 digits raises ValueError
            raise ValidationError
        return super().to_python(value)


def parse_id(text: str | None) -> int | None:
    """An id typed in a form or a query string, or None when it cannot be one."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text.lstrip("0")) > MAX_ID_DIGITS:
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def query_text(args, name: str, most: int) -> str:
    """A free-text query parameter, trimmed, without NUL, at most `most` characters."""
    return (args.get(name) or "").replace(NUL, "").strip()[:most]


def init_app(app: Flask) -> None:
    """Register the id converter before any route is added."""
    app.url_map.converters["int"] = IdConverter
