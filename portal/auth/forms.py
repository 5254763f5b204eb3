"""Forms for accounts, with Dutch messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from ..domain.identity.passwords import MIN_LENGTH
from ..fields import options
from ..inputs import PortalForm
from ..labels import organisation_kind_choices


class RegisterForm(PortalForm):
    """Register as a resident or for an organisation."""

    account_type = RadioField(
        _l("Ik meld me aan als"),
        choices=options(
            [("resident", _l("Bewoner")), ("organisation", _l("Organisatie of initiatief"))]
        ),
        default="resident",
        validators=[DataRequired(_l("Kies bewoner of organisatie."))],
    )
    display_name = StringField(
        _l("Uw naam (zoals anderen die zien)"),
        validators=[DataRequired(_l("Vul uw naam in.")), Length(max=80)],
    )
    email = EmailField(
        _l("E-mailadres"),
        validators=[
            DataRequired(_l("Vul uw e-mailadres in.")),
            Email(_l("Dit is geen geldig e-mailadres. Voorbeeld: naam@voorbeeld.nl")),
            Length(max=254),
        ],
    )
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[
            DataRequired(_l("Kies een wachtwoord.")),
            Length(
                min=MIN_LENGTH,
                message=_l("Kies een wachtwoord van minstens %(n)s tekens.", n=MIN_LENGTH),
            ),
        ],
    )
    organisation_name = StringField(
        _l("Naam van de organisatie"), validators=[Optional(), Length(max=160)]
    )
    organisation_kind = SelectField(
        _l("Soort organisatie"), choices=organisation_kind_choices, validators=[Optional()]
    )
    consent = BooleanField(
        _l("Ik heb de privacyverklaring gelezen en ga akkoord"),
        validators=[DataRequired(_l("U kunt zich alleen aanmelden als u akkoord gaat."))],
    )

    def validate(self, extra_validators=None) -> bool:
        """An organisation account needs the organisation's name."""
        valid = super().validate(extra_validators)
        if (
            self.account_type.data == "organisation"
            and not (self.organisation_name.data or "").strip()
        ):
            self.organisation_name.errors = [
                *self.organisation_name.errors,
                _l("Vul de naam van de organisatie in."),
            ]
            return False
        return valid


class LoginForm(PortalForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(_l("Vul uw e-mailadres in."))])
    password = PasswordField(
        _l("Wachtwoord"), validators=[DataRequired(_l("Vul uw wachtwoord in."))]
    )
    remember = BooleanField(_l("Ingelogd blijven op deze computer"))


class ForgotPasswordForm(PortalForm):
    email = EmailField(
        _l("E-mailadres"),
        validators=[
            DataRequired(_l("Vul uw e-mailadres in.")),
            Email(_l("Dit is geen geldig e-mailadres. Voorbeeld: naam@voorbeeld.nl")),
        ],
    )


class ResetPasswordForm(PortalForm):
    password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[
            DataRequired(_l("Kies een wachtwoord.")),
            Length(
                min=MIN_LENGTH,
                message=_l("Kies een wachtwoord van minstens %(n)s tekens.", n=MIN_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Herhaal het nieuwe wachtwoord"),
        validators=[EqualTo("password", _l("De twee wachtwoorden zijn niet hetzelfde."))],
    )
