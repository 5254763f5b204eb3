"""Input no database can take is a 4xx at one place, never a 500 (issue 18, item 4).

A NUL byte in posted text is refused at the field with a Dutch message (PostgreSQL refuses NUL
in any string); an id outside 1..2³¹-1 in a URL is a 404 (PostgreSQL's integer ends at 2³¹-1,
SQLite's at 2⁶³-1). Run on both databases: TEST_DATABASE_URL=postgresql://… (make test-postgres).
"""

from __future__ import annotations

import io

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from portal.inputs import MAX_ID, IdConverter, PortalForm
from portal.models import (
    ApiToken,
    Conversation,
    Listing,
    Message,
    Organisation,
    Report,
    Role,
    User,
    VolunteerProfile,
    Wish,
)
from tests.factories import DEFAULT_PASSWORD, make_listing, make_theme, make_user
from tests.web.test_authorisation import ROUTES
from tests.web.test_forms import field_error

NUL = "Boodschappen\x00 doen"
NUL_MESSAGE = "onzichtbaar teken"
HUGE_IDS = [str(2**31), str(2**63), "9" * 40, "9" * 5000]


@pytest.fixture
def world(session):
    """A published listing of someone else, and a conversation of the logged-in resident."""
    make_theme(session, "naoberzorg")
    owner = make_user(session, Role.ORGANISATION)
    listing = make_listing(session, owner=owner)
    me = make_user(session)
    conversation = Conversation(listing=listing, initiator=me, recipient=owner)
    conversation.messages = [Message(sender=me, body="Ik help graag")]
    session.add(conversation)
    session.commit()
    return {"listing": listing.id, "conversation": conversation.id, "me": me, "owner": owner}


def _log_in(client, user) -> None:
    data = {"email": user.email, "password": DEFAULT_PASSWORD}
    assert client.post("/inloggen", data=data).status_code == 302


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


# (path, form data, field that holds the NUL, the rows that must not grow, logged in?)
NUL_CASES = {
    "login": ("/inloggen", {"email": "a\x00@example.org", "password": "x" * 12}, "email", None),
    "register": (
        "/registreren",
        {
            "account_type": "resident", "display_name": NUL, "email": "nieuw@example.org",
            "password": "een lang wachtwoord", "consent": "y",
        },
        "display_name",
        User,
    ),
    "forgot": ("/wachtwoord-vergeten", {"email": "a\x00@example.org"}, "email", None),
    "listing": (
        "/initiatieven/nieuw",
        {
            "kind": "need", "title": NUL, "description": "Wie helpt?", "themes": ["naoberzorg"],
            "location_query": "Roggel", "area_kind": "radius", "schedule_kind": "ongoing",
            "action": "publish",
        },
        "title",
        Listing,
    ),
    "listing place": (
        "/initiatieven/nieuw",
        {
            "kind": "need", "title": "Hulp", "themes": ["naoberzorg"], "location_query": NUL,
            "area_kind": "radius", "schedule_kind": "ongoing", "action": "publish",
        },
        "location_query",
        Listing,
    ),
    "organisation": (
        "/organisaties/nieuw",
        {"name": NUL, "kind": "kulturhus", "location_query": "Haarle"},
        "name",
        Organisation,
    ),
    "wish": ("/flessenpost", {"body": NUL, "location_query": "Roggel"}, "body", Wish),
    "message": ("/gesprekken/{conversation}", {"body": NUL}, "body", Message),
    "volunteer": (
        "/mijn/vrijwilliger",
        {"display_name": "Truus", "skills": NUL, "location_query": "Roggel"},
        "skills",
        VolunteerProfile,
    ),
    "report": ("/initiatieven/{listing}/melden", {"reason": NUL}, "reason", Report),
    "token": ("/mijn/api-sleutels", {"name": NUL}, "name", ApiToken),
    "subscribe": (
        "/volgen",
        {"email": "a@example.org", "location_query": NUL, "radius_km": "5"},
        "location_query",
        None,
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(NUL_CASES))
def test_nul_in_posted_text_is_refused_at_the_field(client, session, world, case):
    path, data, field, model = NUL_CASES[case]
    if "/inloggen" != path != "/registreren" and path != "/wachtwoord-vergeten":
        _log_in(client, world["me"])
    before = _count(session, model) if model else 0
    response = client.post(path.format(**world), data=data)
    assert response.status_code == 400, response.text[:300]
    assert NUL_MESSAGE in field_error(response.text, field)
    assert "\x00" not in response.text  # what was typed comes back, without the NUL
    if model:
        assert _count(session, model) == before


def test_every_form_refuses_nul(app):
    """A new form that forgets the base class fails here."""
    forms = set()
    pending = [FlaskForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            forms.add(subclass)
            pending.append(subclass)
    module_forms = {form for form in forms if form.__module__.startswith("portal.")}
    assert module_forms and all(issubclass(form, PortalForm) for form in module_forms)


def test_nul_in_the_csv_import_is_refused_with_a_message(client, session, login):
    from portal.domain.catalogue.themes import seed_themes

    seed_themes(session)
    session.commit()
    login(Role.OFFICER)
    content = b"naam,soort,plaats\nDorpshuis\x00 De Pol,dorpshuis,Haarle\n"
    form = {"upload": (io.BytesIO(content), "organisaties.csv")}
    response = client.post(
        "/dashboard/open-data/importeren", data=form, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert NUL_MESSAGE in response.text
    assert _count(session, Organisation) == 0


def _id_rules(app):
    for rule in app.url_map.iter_rules():
        ids = [
            name
            for name, converter in rule._converters.items()
            if isinstance(converter, IdConverter)
        ]
        if ids:
            yield rule, ids


def test_every_int_route_uses_the_id_converter(app):
    rules = [rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]
    assert rules
    for rule in rules:
        for name, converter in rule._converters.items():
            if f"<int:{name}>" in rule.rule:
                assert isinstance(converter, IdConverter), rule.rule
    assert app.url_map.converters["int"] is IdConverter


@pytest.mark.parametrize("huge", HUGE_IDS, ids=["2^31", "2^63", "40 digits", "5000 digits"])
def test_ids_out_of_range_are_404_on_every_route(app, session, world, huge):
    client = app.test_client()
    _log_in(client, world["me"])
    for rule, names in _id_rules(app):
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", str(huge) if name in names else "1")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, data={})
            assert response.status_code == 404, (path, method)


@pytest.mark.parametrize("path", ["/initiatieven/0", "/organisaties/0", f"/initiatieven/{MAX_ID}"])
def test_ids_at_the_edge_are_plain_404s(client, session, path):
    assert client.get(path).status_code == 404


def test_public_pages_with_huge_ids_named_in_the_issue(client, session):
    for path in ("/initiatieven/{}", "/organisaties/{}", "/initiatieven/{}/bewerken"):
        assert client.get(path.format(2**31)).status_code == 404


HOSTILE_QUERY = {
    "q": "hulp\x00", "near": "Roggel\x00", "theme": "naoberzorg\x00", "kind": "\x00",
    "page": str(2**63), "per_page": str(2**31), "limit": str(2**31), "radius_km": "1e400",
    "place": "gn\x00", "municipality": "\x00", "organisation_kind": "\x00", "lang": "\x00",
    "next": "/\x00", "toegewezen": "\x00",
}  # fmt: skip


@pytest.mark.parametrize(("endpoint", "method"), sorted(k for k in ROUTES if k[1] == "GET"))
def test_hostile_query_strings_never_give_a_500(app, session, world, endpoint, method):
    path, _ = ROUTES[(endpoint, method)]
    if endpoint == "static":
        return
    ids = {
        "listing": world["listing"], "organisation": 1, "conversation": world["conversation"],
        "place_key": "gn:2748413", "token_id": 1, "user": 1, "report": 1, "revision": 1, "wish": 1,
    }  # fmt: skip
    officer = make_user(session, Role.ADMIN)
    session.commit()
    client = app.test_client()
    _log_in(client, officer)
    response = client.get(path.format(**ids).split("?")[0], query_string=HOSTILE_QUERY)
    assert response.status_code < 500, (endpoint, response.status_code)


def test_a_huge_candidate_id_in_the_contact_form_is_refused(client, session, world):
    _log_in(client, world["owner"])  # only the owner may write to a listing's candidates
    data = {"candidate_kind": "listing", "candidate_id": str(2**63), "body": "Hallo"}
    response = client.post(f"/initiatieven/{world['listing']}/contact", data=data)
    assert response.status_code == 400
