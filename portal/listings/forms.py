"""The listing form: what, where, when, for whom — grouped so each part reads on its own."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..fields import DutchNumberField, MultiCheckboxField, options
from ..inputs import PortalForm
from ..labels import CONTRIBUTIONS, REACH, choices
from ..models import AccessRoute, AreaKind, Involvement, ListingKind, ScheduleKind


def _optional_choices(enum_class) -> list[SelectChoice]:
    return options([("", _l("Niet van toepassing")), *choices(enum_class)])


class LocationMixin:
    """A place, postcode or address — or a point clicked on the map (hidden lat/lon)."""

    location_query = StringField(
        _l("Plaats, postcode of adres"),
        validators=[Length(max=200)],
    )
    lat = HiddenField()
    lon = HiddenField()


class ListingForm(LocationMixin, PortalForm):
    """Create or edit an offer, need or resource."""

    kind = RadioField(
        _l("Wat wilt u plaatsen?"),
        choices=options(
            [
                ("need", _l("Een vraag: ik zoek hulp, vrijwilligers, ruimte of geld")),
                ("offer", _l("Aanbod: ik bied hulp of een activiteit aan")),
                ("resource", _l("Ruimte en middelen: ik bied ruimte, spullen of geld aan")),
            ]
        ),
        validators=[DataRequired(_l("Kies wat u wilt plaatsen."))],
    )
    title = StringField(
        _l("Titel"),
        validators=[DataRequired(_l("Geef uw vraag of aanbod een korte titel.")), Length(max=160)],
    )
    description = TextAreaField(
        _l("Beschrijving"), validators=[Length(max=5000, message=_l("Maximaal 5000 tekens."))]
    )
    themes = MultiCheckboxField(
        _l("Thema's"), validators=[DataRequired(_l("Kies minstens één thema."))]
    )
    organisation_id = SelectField(_l("Namens"), choices=[], validators=[Optional()])
    radius_km = DutchNumberField(_l("Tot hoe ver (km)"), minimum=0, maximum=200, default=5)
    area_kind = RadioField(_l("Werkgebied"), choices=options(choices(AreaKind)), default="radius")
    area_villages = StringField(_l("Dorpen of wijken"), validators=[Length(max=500)])
    schedule_kind = RadioField(
        _l("Wanneer"), choices=options(choices(ScheduleKind)), default="ongoing"
    )
    event_date = DateField(_l("Datum"), validators=[Optional()], render_kw={"type": "date"})
    weekly_slots = MultiCheckboxField(_l("Op welke dagdelen"), choices=[])
    contributions = MultiCheckboxField(
        _l("Wat wordt er gevraagd of geboden?"), choices=options(CONTRIBUTIONS.items())
    )
    hours_per_week = DutchNumberField(_l("Uren per week"), minimum=0, maximum=80)
    involvement = SelectField(
        _l("Hoe zijn bewoners betrokken?"), choices=_optional_choices(Involvement), default=""
    )
    access_route = SelectField(
        _l("Hoe komt iemand erbij?"), choices=_optional_choices(AccessRoute), default=""
    )
    reach = MultiCheckboxField(_l("Hoe bereikt het mensen?"), choices=options(REACH.items()))
    cost = StringField(_l("Kosten"), validators=[Length(max=120)])
    age_min = DutchNumberField(_l("Leeftijd vanaf"), minimum=0, maximum=120, integer=True)
    age_max = DutchNumberField(_l("Leeftijd tot en met"), minimum=0, maximum=120, integer=True)
    capacity = DutchNumberField(_l("Aantal plekken"), minimum=0, maximum=10000, integer=True)
    spots_taken = DutchNumberField(_l("Plekken bezet"), minimum=0, maximum=10000, integer=True)
    on_behalf = BooleanField(_l("Ik plaats deze vraag voor iemand anders"))
    resident_reference = StringField(
        _l("Voor wie (alleen voor uzelf zichtbaar)"), validators=[Length(max=120)]
    )
    consent_given_by = StringField(_l("Wie gaf toestemming"), validators=[Length(max=120)])
    consent_given_on = DateField(
        _l("Datum van de toestemming"), validators=[Optional()], render_kw={"type": "date"}
    )
    consent_purpose = TextAreaField(
        _l("Waarvoor is toestemming gegeven"), validators=[Length(max=1000)]
    )

    def validate(self, extra_validators=None) -> bool:
        """The checks that span fields: consent when posting for someone, ages in order."""
        valid = super().validate(extra_validators)
        checks = (self._check_consent(), self._check_ages(), self._check_spots())
        return all(checks) and valid

    def _check_consent(self) -> bool:
        if not self.on_behalf.data:
            return True
        missing = [
            (
                self.resident_reference,
                _l("Schrijf op voor wie u dit plaatst (bijvoorbeeld initialen)."),
            ),
            (self.consent_given_by, _l("Schrijf op wie toestemming gaf.")),
            (self.consent_given_on, _l("Vul de datum van de toestemming in.")),
            (self.consent_purpose, _l("Schrijf op waarvoor toestemming is gegeven.")),
        ]
        for field, message in missing:
            if not field.data:
                field.errors = [*field.errors, message]
        if self.on_behalf.data and self.kind.data != ListingKind.NEED.value:
            self.on_behalf.errors = [
                *self.on_behalf.errors,
                _l("Alleen een vraag kan namens iemand anders."),
            ]
        return not any(field.errors for field, _message in missing) and not self.on_behalf.errors

    def _check_spots(self) -> bool:
        taken, capacity = self.spots_taken.data, self.capacity.data
        if not taken or (capacity is not None and taken <= capacity):
            return True
        message = _l("Er kunnen niet meer plekken bezet zijn dan er zijn.")
        self.spots_taken.errors = [*self.spots_taken.errors, message]
        return False

    def _check_ages(self) -> bool:
        low, high = self.age_min.data, self.age_max.data
        if low is None or high is None or low <= high:
            return True
        message = _l("Deze leeftijd is lager dan de leeftijd vanaf.")
        self.age_max.errors = [*self.age_max.errors, message]
        return False


class CloseForm(PortalForm):
    fulfilled = BooleanField(_l("Er is iemand gevonden: de vraag is beantwoord"))
