"""The flessenpost form: no account, no name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..fields import MultiCheckboxField
from ..inputs import PortalForm


class WishForm(PortalForm):
    body = TextAreaField(
        _l("Uw wens"),
        validators=[
            DataRequired(_l("Schrijf uw wens op.")),
            Length(min=10, max=1000, message=_l("Schrijf tussen de 10 en 1000 tekens.")),
        ],
    )
    location_query = StringField(
        _l("Uw dorp of postcode"),
        validators=[DataRequired(_l("Vul uw dorp of postcode in.")), Length(max=100)],
    )
    themes = MultiCheckboxField(_l("Waar gaat het over?"), choices=[])
