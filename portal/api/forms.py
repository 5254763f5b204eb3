"""Forms for the personal API tokens (CSRF-protected like every form of the portal)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..domain.identity.api_tokens import MAX_NAME_LENGTH
from ..inputs import PortalForm


class TokenForm(PortalForm):
    """A name, so the user later knows which app or script uses which key."""

    name = StringField(
        _l("Naam van de sleutel"),
        validators=[
            DataRequired(_l("Geef de sleutel een naam, bijvoorbeeld de naam van uw app.")),
            Length(max=MAX_NAME_LENGTH, message=_l("Hoogstens 80 tekens.")),
        ],
    )


class RevokeForm(PortalForm):
    """No fields: the CSRF token alone."""
