"""Forms for contact, subscriptions and the outcome question."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length

from ..fields import DutchNumberField, MultiCheckboxField
from ..inputs import PortalForm


class MessageForm(PortalForm):
    body = TextAreaField(
        _l("Uw bericht"),
        validators=[DataRequired(_l("Schrijf een kort bericht.")), Length(max=2000)],
    )


class SubscribeForm(PortalForm):
    """Follow new listings near a village, without an account."""

    email = EmailField(
        _l("Uw e-mailadres"),
        validators=[
            DataRequired(_l("Vul uw e-mailadres in.")),
            Email(_l("Dit is geen geldig e-mailadres. Voorbeeld: naam@voorbeeld.nl")),
        ],
    )
    location_query = StringField(
        _l("Dorp of postcode"), validators=[DataRequired(_l("Vul een dorp of postcode in."))]
    )
    lat = HiddenField()
    lon = HiddenField()
    radius_km = DutchNumberField(_l("Tot hoe ver (km)"), minimum=1, maximum=50, default=5)
    themes = MultiCheckboxField(_l("Thema's (geen keuze is alles)"), choices=[])
