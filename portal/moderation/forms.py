"""Forms for reporting a listing and for the officer's decisions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField, ValidationError
from wtforms.validators import AnyOf, DataRequired, Length

from ..inputs import PortalForm

# Decisions that take something away from the author need a reason they can read.
NEEDS_REASON = frozenset({"hide", "reject"})


class ReportForm(PortalForm):
    """ "Melden": what is wrong with this listing."""

    reason = TextAreaField(
        _l("Wat klopt er niet?"),
        validators=[
            DataRequired(_l("Schrijf kort op wat er niet klopt.")),
            Length(min=5, max=1000, message=_l("Schrijf tussen de 5 en 1000 tekens.")),
        ],
    )


class DecisionForm(PortalForm):
    """One decision from the queue: the button pressed and a note (required to hide or reject)."""

    decision = StringField(
        validators=[AnyOf(["keep", "hide", "approve", "reject"], message=_l("Kies een knop."))]
    )
    note = TextAreaField(
        _l("Reden of notitie"),
        validators=[Length(max=1000, message=_l("Schrijf hoogstens 1000 tekens."))],
    )

    def validate_note(self, field) -> None:
        """Hiding or rejecting needs a reason: the author will read it."""
        if self.decision.data in NEEDS_REASON and not (field.data or "").strip():
            raise ValidationError(_l("Schrijf op waarom. De schrijver krijgt deze reden te zien."))

    @property
    def reason(self) -> str:
        return (self.note.data or "").strip()


class HideForm(DecisionForm):
    """ "Verbergen" on the listing page: always a decision to hide, so always with a reason."""

    decision = HiddenField(
        default="hide", validators=[AnyOf(["hide"], message=_l("Kies een knop."))]
    )
