"""Organisation profile and membership forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Email, Length, Optional

from ..fields import MultiCheckboxField, WebAddress
from ..inputs import PortalForm
from ..labels import organisation_kind_choices
from ..listings.forms import LocationMixin

ACCESSIBILITY_FIELDS = (
    "wheelchair_access",
    "accessible_toilet",
    "hearing_loop",
    "parking",
    "public_transport",
)


class OrganisationForm(LocationMixin, PortalForm):
    """What an organisation shows about itself; its address is public."""

    name = StringField(
        _l("Naam"), validators=[DataRequired(_l("Vul de naam in.")), Length(max=160)]
    )
    kind = SelectField(_l("Soort organisatie"), choices=organisation_kind_choices)
    description = TextAreaField(_l("Wat doet u?"), validators=[Length(max=5000)])
    address = StringField(_l("Adres (openbaar)"), validators=[Length(max=200)])
    themes = MultiCheckboxField(_l("Thema's"), choices=[])
    website = URLField(
        _l("Website"),
        validators=[Optional(), WebAddress()],
    )
    contact_email = EmailField(
        _l("E-mailadres voor contact (openbaar)"),
        validators=[Optional(), Email(_l("Dit is geen geldig e-mailadres."))],
    )
    contact_phone = StringField(_l("Telefoonnummer (openbaar)"), validators=[Length(max=40)])
    wheelchair_access = BooleanField(_l("Toegankelijk met een rolstoel"))
    accessible_toilet = BooleanField(_l("Aangepast toilet"))
    hearing_loop = BooleanField(_l("Ringleiding"))
    parking = BooleanField(_l("Parkeren bij de deur"))
    public_transport = BooleanField(_l("Bushalte of station dichtbij"))


class MemberForm(PortalForm):
    """Invite someone by e-mail address; they become a member once they accept."""

    email = EmailField(
        _l("E-mailadres van het nieuwe lid"),
        validators=[
            DataRequired(_l("Vul een e-mailadres in.")),
            Email(_l("Dit is geen geldig e-mailadres.")),
        ],
    )
    manager = BooleanField(_l("Mag het profiel en de leden beheren"))
