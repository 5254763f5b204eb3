"""Form fields that fit Dutch input habits."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectMultipleField, ValidationError, widgets
from wtforms.fields.choices import SelectChoice

from .domain.web_addresses import is_web_address


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """(value, label) pairs as the choices of a select, radio or checkbox field.

    WTForms 3.3 deprecates bare tuples as choices (they go in 3.4); the labels and the domain
    keep their (value, label) pairs, and forms turn them into options here.
    """
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (easier than a multi-select for everyone)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class DutchNumberField(Field):
    """A number typed the Dutch way ("2,5") or the English way ("2.5"); empty is None."""

    widget = widgets.TextInput()

    def __init__(
        self, label=None, validators=None, minimum=None, maximum=None, integer=False, **kwargs
    ):
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum, self.integer = minimum, maximum, integer
        self.raw = ""

    def _value(self) -> str:
        if self.raw:
            return self.raw
        if self.data is None:
            return ""
        return str(self.data).replace(".", ",")

    def process_formdata(self, valuelist) -> None:
        self.raw = (valuelist[0] if valuelist else "").strip()
        if not self.raw:
            self.data = None
            return
        try:
            value = float(self.raw.replace(",", "."))
        except ValueError as error:
            self.data = None
            raise ValueError(_l("Vul een getal in, bijvoorbeeld 2,5.")) from error
        self.data = int(value) if self.integer else value
        if self.integer and not value.is_integer():
            raise ValueError(_l("Vul een heel getal in."))
        self._check_range(value)

    def _check_range(self, value: float) -> None:
        too_low = self.minimum is not None and value < self.minimum
        too_high = self.maximum is not None and value > self.maximum
        if too_low or too_high:
            raise ValueError(
                _l(
                    "Vul een getal in tussen %(low)s en %(high)s.",
                    low=self.minimum,
                    high=self.maximum,
                )
            )


class WebAddress:
    """A form validator for links: the one rule of portal.domain.web_addresses (empty is allowed)."""

    def __init__(self, message: str | None = None) -> None:
        self.message = message or _l("Vul een volledig webadres in, met https://.")

    def __call__(self, _form, field: Field) -> None:
        if field.data and not is_web_address(field.data):
            raise ValidationError(self.message)
