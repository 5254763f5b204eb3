"""Schemathesis against /api/v1/openapi.json on a small seeded database.

Every operation gets generated requests, valid and invalid; no answer may be a 500 or break the
document (status codes, content types, headers, bodies). Kept small and without deadlines so it
runs in seconds.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from portal.api import openapi
from portal.domain.identity import api_tokens
from portal.extensions import db
from portal.models import ListingKind
from portal.models.base import utcnow
from tests.conftest import clear_tables
from tests.factories import (
    make_listing,
    make_organisation,
    make_theme,
    make_user,
    make_volunteer,
)

#: Values whose validity depends on the data (a place name, a theme slug): the schema cannot
#: list them, so a valid-looking unknown one may be refused with a 400 naming it.
LOOKUP_PARAMETERS = {"near", "theme"}


@pytest.fixture
def seeded(app):
    """A few listings, organisations and a volunteer, committed outside any request."""
    with app.app_context():
        session = db.session
        owner = make_user(session)
        for slug in ("naoberzorg", "dagbesteding", "vervoer"):
            make_theme(session, slug)
        need = make_listing(session, owner=owner, title="Boodschappen op dinsdag")
        make_listing(session, kind=ListingKind.OFFER, title="Boodschappendienst")
        make_listing(session, kind=ListingKind.RESOURCE, place="Olst", themes=("dagbesteding",))
        make_volunteer(session, point=(51.2512345, 5.9312345), travel_radius_km=10)
        organisation = make_organisation(session, themes=("dagbesteding", "naoberzorg"))
        secret = api_tokens.create_token(session, owner, "schemathesis", utcnow()).secret
        session.commit()
        seeded = SimpleNamespace(
            need=need.id, organisation=organisation.id, bearer={"Authorization": f"Bearer {secret}"}
        )
    yield seeded
    with app.app_context():
        clear_tables()


def only_lookups_refuse_valid_input(ctx, response, case) -> None:
    """Valid input is accepted; only an unknown place or theme may still be a 400."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 400:
        return
    parameter = response.json()["error"].get("parameter")
    assert parameter in LOOKUP_PARAMETERS, f"valid input refused: {parameter}"


#: The document /api/v1/openapi.json serves, loaded at import; `_served_by` points it at the test
#: app. (schemathesis.pytest.from_fixture, which loaded it from the app, does not run on pytest 9.)
schema = schemathesis.openapi.from_dict(openapi.document())


def _served_by(app, operation) -> None:
    """Send the requests of a test and of its checks to the test app (in-process WSGI)."""
    operation.app = operation.schema.app = app


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_openapi_document(case, app, seeded):
    _served_by(app, case.operation)
    response = case.call_and_validate(
        headers=seeded.bearer,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[only_lookups_refuse_valid_input],
    )
    assert response.status_code < 500


@pytest.mark.parametrize(
    ("path", "arguments"),
    [
        ("/listings", {"query": {"near": "Roggel", "theme": ["naoberzorg"]}}),
        ("/listings.geojson", {"query": {"kind": ["offer", "need"]}}),
        ("/listings/{listing_id}", {"path_parameters": {"listing_id": "need"}}),
        ("/listings/{listing_id}/matches", {"path_parameters": {"listing_id": "need"}}),
        ("/organisations", {"query": {"near": "Olst", "kind": ["kulturhus"]}}),
        ("/organisations/{organisation_id}", {"path_parameters": {"organisation_id": "org"}}),
        ("/themes", {}),
        ("/places", {"query": {"q": "Roggel"}}),
        ("/geocode", {"query": {"q": "Roggel"}}),
    ],
)
def test_real_answers_for_seeded_data_fit_the_document(app, seeded, path, arguments):
    """The generated ids rarely exist; these calls make sure the 200 bodies are checked too."""
    ids = {"need": seeded.need, "org": seeded.organisation}
    if "path_parameters" in arguments:
        arguments = {
            "path_parameters": {k: ids[v] for k, v in arguments["path_parameters"].items()}
        }
    operation = schema[path]["GET"]
    _served_by(app, operation)
    case = operation.Case(**arguments)
    response = case.call_and_validate(headers=seeded.bearer)
    assert response.status_code == 200
    body = response.json()
    assert body.get("items") or body.get("features") or body.get("id") or body.get("best")
