"""The volunteer profile form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..fields import DutchNumberField, MultiCheckboxField
from ..inputs import PortalForm
from ..listings.forms import LocationMixin


class VolunteerForm(LocationMixin, PortalForm):
    """A resident's standing offer of help."""

    display_name = StringField(
        _l("Naam die anderen zien"),
        validators=[DataRequired(_l("Vul een naam in, bijvoorbeeld uw voornaam.")), Length(max=80)],
    )
    themes = MultiCheckboxField(
        _l("Waarmee wilt u helpen?"), validators=[DataRequired(_l("Kies minstens één thema."))]
    )
    skills = StringField(_l("Wat kunt u goed?"), validators=[Length(max=300)])
    availability = MultiCheckboxField(_l("Wanneer kunt u meestal?"), choices=[])
    travel_radius_km = DutchNumberField(
        _l("Hoe ver wilt u reizen (km)?"), minimum=0.5, maximum=100, default=5
    )
    max_open_matches = DutchNumberField(
        _l("Hoeveel vragen tegelijk?"), minimum=1, maximum=20, integer=True, default=3
    )
    paused = BooleanField(_l("Even pauzeren: laat mij nu niet zien"))


class DeleteAccountForm(PortalForm):
    """Deleting an account cannot be undone: ask for the password once more."""

    password = PasswordField(
        _l("Uw wachtwoord"), validators=[DataRequired(_l("Vul uw wachtwoord in."))]
    )
    confirm = BooleanField(
        _l("Ik begrijp dat dit niet ongedaan kan worden"),
        validators=[DataRequired(_l("Vink dit aan om door te gaan."))],
    )
