"""Who may do what: every route and every role, generated from the app's URL map.

A new route without an entry in ROUTES fails `test_every_route_has_an_entry`, so access rules
are decided when a route is added, not discovered later.
"""

from __future__ import annotations

import pytest

from portal.domain.catalogue import listings
from portal.models import (
    ApiToken,
    Conversation,
    ListingRevision,
    ListingStatus,
    MembershipInvitation,
    Message,
    OrganisationRevision,
    Report,
    Role,
    Wish,
)
from tests.factories import DEFAULT_PASSWORD, make_listing, make_organisation, make_user

ROLES = ("anonymous", "resident", "member", "other_member", "officer", "admin")


def each(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def roles(default: int, **overrides: int) -> dict[str, int]:
    return {**each(default), **overrides}


PUBLIC = each(200)
LOGIN = roles(200, anonymous=302)
OFFICER = roles(403, anonymous=302, officer=200, admin=200)
ADMIN = roles(403, anonymous=302, admin=200)
LISTING_EDITORS = roles(403, anonymous=302, member=302, admin=302)
MODERATORS = roles(403, anonymous=302, officer=302, admin=302)
DECIDERS = roles(403, anonymous=302, officer=400, admin=400)  # an empty decision is refused
PARTICIPANTS = roles(404, anonymous=302, member=200, other_member=200)

# (endpoint, method) -> (path template, expected status per role). Paths use {listing},
# {organisation}, {conversation}, {wish}, {token_id}, {user}, {report}, {revision} from the scenario below.
ROUTES: dict[tuple[str, str], tuple[str, dict[str, int]]] = {
    ("main.home", "GET"): ("/", PUBLIC),
    ("main.privacy", "GET"): ("/privacy", PUBLIC),
    ("main.accessibility", "GET"): ("/toegankelijkheid", PUBLIC),
    ("main.healthz", "GET"): ("/healthz", PUBLIC),
    ("main.set_language", "GET"): ("/taal?lang=en", each(302)),
    ("static", "GET"): ("/static/css/portal.css", PUBLIC),
    ("auth.login", "GET"): ("/inloggen", PUBLIC),
    ("auth.login", "POST"): ("/inloggen", each(400)),
    ("auth.register", "GET"): ("/registreren", PUBLIC),
    ("auth.register", "POST"): ("/registreren", each(400)),
    ("auth.forgot_password", "GET"): ("/wachtwoord-vergeten", PUBLIC),
    ("auth.forgot_password", "POST"): ("/wachtwoord-vergeten", each(400)),
    ("auth.reset_password", "GET"): ("/wachtwoord-herstellen/vals", each(400)),
    ("auth.reset_password", "POST"): ("/wachtwoord-herstellen/vals", each(400)),
    ("auth.logout", "POST"): ("/uitloggen", each(302)),
    ("auth.check_mail", "GET"): ("/registreren/kijk-in-uw-mail", PUBLIC),
    ("auth.confirm_email", "GET"): ("/registreren/bevestigen/vals", each(400)),
    ("auth.confirm_email", "POST"): ("/registreren/bevestigen/vals", each(400)),
    ("admin.users", "GET"): ("/beheer/gebruikers", ADMIN),
    ("admin.audit_log", "GET"): ("/beheer/audit", ADMIN),
    ("admin.set_role", "POST"): (
        "/beheer/gebruikers/{user}/rol",
        roles(403, anonymous=302, admin=400),
    ),
    ("listings.index", "GET"): ("/initiatieven", PUBLIC),
    ("listings.detail", "GET"): ("/initiatieven/{listing}", PUBLIC),
    ("listings.create", "GET"): ("/initiatieven/nieuw", LOGIN),
    ("listings.create", "POST"): ("/initiatieven/nieuw", roles(400, anonymous=302)),
    ("listings.edit", "GET"): (
        "/initiatieven/{listing}/bewerken",
        roles(403, anonymous=404, member=200, admin=200),
    ),
    ("listings.edit", "POST"): (
        "/initiatieven/{listing}/bewerken",
        roles(403, anonymous=404, member=400, admin=400),
    ),
    ("listings.publish", "POST"): ("/initiatieven/{listing}/publiceren", LISTING_EDITORS),
    ("listings.renew", "POST"): ("/initiatieven/{listing}/verlengen", LISTING_EDITORS),
    ("listings.close", "POST"): ("/initiatieven/{listing}/sluiten", LISTING_EDITORS),
    ("moderation.hide_listing", "POST"): ("/initiatieven/{listing}/verbergen", DECIDERS),
    ("moderation.show_listing", "POST"): ("/initiatieven/{listing}/tonen", MODERATORS),
    ("moderation.check_listing", "POST"): ("/initiatieven/{listing}/controleren", MODERATORS),
    ("listings.freshness_link", "GET"): ("/initiatieven/actueel/vals", each(400)),
    ("listings.freshness_link", "POST"): ("/initiatieven/actueel/vals", each(400)),
    ("organisations.index", "GET"): ("/organisaties", PUBLIC),
    ("organisations.detail", "GET"): ("/organisaties/{organisation}", PUBLIC),
    ("organisations.create", "GET"): ("/organisaties/nieuw", LOGIN),
    ("organisations.create", "POST"): ("/organisaties/nieuw", roles(400, anonymous=302)),
    ("organisations.edit", "GET"): (
        "/organisaties/{organisation}/bewerken",
        roles(403, anonymous=302, member=200, admin=200),
    ),
    ("organisations.edit", "POST"): (
        "/organisaties/{organisation}/bewerken",
        roles(403, anonymous=302, member=400, admin=400),
    ),
    ("organisations.add_member", "POST"): (
        "/organisaties/{organisation}/leden",
        roles(403, anonymous=302, member=400, admin=400),
    ),
    ("organisations.verify", "POST"): ("/organisaties/{organisation}/verifieren", MODERATORS),
    ("me.index", "GET"): ("/mijn", LOGIN),
    ("me.volunteer", "GET"): ("/mijn/vrijwilliger", LOGIN),
    ("me.volunteer", "POST"): ("/mijn/vrijwilliger", roles(400, anonymous=302)),
    ("me.my_data", "GET"): ("/mijn/gegevens", LOGIN),
    ("me.download_my_data", "GET"): ("/mijn/gegevens.json", LOGIN),
    ("me.delete_account", "POST"): ("/mijn/verwijderen", roles(400, anonymous=302)),
    ("me.answer_invitation", "POST"): (
        "/mijn/uitnodigingen/{invitation}/accepteren",
        roles(404, anonymous=302, member=302),
    ),
    ("api_tokens.index", "GET"): ("/mijn/api-sleutels", LOGIN),
    ("api_tokens.create", "POST"): ("/mijn/api-sleutels", roles(400, anonymous=302)),
    ("api_tokens.revoke", "POST"): (
        "/mijn/api-sleutels/{token_id}/intrekken",
        roles(404, anonymous=302, member=302),
    ),
    ("wishes.index", "GET"): ("/flessenpost", PUBLIC),
    ("wishes.index", "POST"): ("/flessenpost", each(400)),
    ("wishes.place", "GET"): ("/flessenpost/{place_key}", PUBLIC),
    ("noticeboard.sheet", "GET"): ("/prikbord/{place_key}", PUBLIC),
    ("wishes.moderation", "GET"): ("/flessenpost/moderatie", OFFICER),
    ("wishes.decide", "POST"): (
        "/flessenpost/moderatie/{wish}",
        roles(403, anonymous=302, officer=400, admin=400),
    ),
    ("moderation.queue", "GET"): ("/dashboard/aandacht", OFFICER),
    ("moderation.verify_organisation", "POST"): (
        "/dashboard/aandacht/organisaties/{organisation}/verifieren",
        MODERATORS,
    ),
    ("moderation.decide_listing", "POST"): ("/dashboard/aandacht/initiatieven/{listing}", DECIDERS),
    ("moderation.decide_report", "POST"): ("/dashboard/aandacht/meldingen/{report}", DECIDERS),
    ("moderation.decide_revision", "POST"): (
        "/dashboard/aandacht/wijzigingen/{revision}",
        DECIDERS,
    ),
    ("moderation.decide_organisation_revision", "POST"): (
        "/dashboard/aandacht/organisatiewijzigingen/{organisation_revision}",
        DECIDERS,
    ),
    ("moderation.assign", "POST"): (
        "/dashboard/aandacht/initiatieven/{listing}/oppakken",
        MODERATORS,
    ),
    ("moderation.close", "POST"): (
        "/dashboard/aandacht/initiatieven/{listing}/afsluiten",
        MODERATORS,
    ),
    ("moderation.report", "GET"): ("/initiatieven/{listing}/melden", PUBLIC),
    ("moderation.report", "POST"): ("/initiatieven/{listing}/melden", each(400)),
    ("contact.start", "POST"): ("/initiatieven/{listing}/contact", each(302)),
    ("contact.conversations", "GET"): ("/gesprekken", LOGIN),
    ("contact.conversation", "GET"): ("/gesprekken/{conversation}", PARTICIPANTS),
    ("contact.conversation", "POST"): (
        "/gesprekken/{conversation}",
        {**PARTICIPANTS, "member": 400, "other_member": 400},
    ),
    ("contact.answer", "POST"): (
        "/gesprekken/{conversation}/antwoord",
        {**PARTICIPANTS, "member": 302, "other_member": 403},
    ),
    ("contact.notifications", "GET"): ("/meldingen", LOGIN),
    ("contact.subscribe", "GET"): ("/volgen", PUBLIC),
    ("contact.subscribe", "POST"): ("/volgen", each(400)),
    ("contact.confirm_subscription", "GET"): ("/volgen/bevestigen/vals", each(400)),
    ("contact.confirm_subscription", "POST"): ("/volgen/bevestigen/vals", each(400)),
    ("contact.unsubscribe", "GET"): ("/volgen/afmelden/vals", PUBLIC),
    ("contact.unsubscribe", "POST"): ("/volgen/afmelden/vals", PUBLIC),
    ("contact.outcome", "GET"): ("/uitkomst/vals", each(400)),
    ("contact.outcome", "POST"): ("/uitkomst/vals", each(400)),
    ("map.index", "GET"): ("/kaart", PUBLIC),
    ("map.embed", "GET"): ("/kaart/embed", PUBLIC),
    ("map.data", "GET"): ("/kaart/data.json", PUBLIC),
    ("map.themes", "GET"): ("/kaart/themes.json", PUBLIC),
    ("map_test_tile", "GET"): ("/test-tiles/1/1/1.png", PUBLIC),
    ("api.docs", "GET"): ("/api/v1/docs", PUBLIC),
    ("api.openapi_document", "GET"): ("/api/v1/openapi.json", PUBLIC),
    ("api.geocode", "GET"): ("/api/v1/geocode?q=Roggel", PUBLIC),
    ("api.listings", "GET"): ("/api/v1/listings", PUBLIC),
    ("api.listingsgeojson", "GET"): ("/api/v1/listings.geojson", PUBLIC),
    ("api.listing", "GET"): ("/api/v1/listings/{listing}", PUBLIC),
    ("api.listing_matches", "GET"): (
        "/api/v1/listings/{listing}/matches",
        roles(403, anonymous=401, member=200, admin=200),
    ),
    ("api.organisations", "GET"): ("/api/v1/organisations", PUBLIC),
    ("api.organisationsgeojson", "GET"): ("/api/v1/organisations.geojson", PUBLIC),
    ("api.organisation", "GET"): ("/api/v1/organisations/{organisation}", PUBLIC),
    ("api.places", "GET"): ("/api/v1/places?q=Rog", PUBLIC),
    ("api.themes", "GET"): ("/api/v1/themes", PUBLIC),
    ("dashboard.index", "GET"): ("/dashboard", OFFICER),
    ("dashboard.export_csv", "GET"): ("/dashboard/export.csv", OFFICER),
    ("dashboard.export_geojson", "GET"): ("/dashboard/export.geojson", OFFICER),
    ("dashboard.monitor_csv", "GET"): ("/dashboard/monitor.csv", OFFICER),
    ("dashboard.gap", "GET"): ("/dashboard/gaten/{place_key}?theme=naoberzorg", OFFICER),
    ("open_data.index", "GET"): ("/dashboard/open-data", OFFICER),
    ("open_data.package", "GET"): ("/dashboard/open-data/hsds.zip", OFFICER),
    ("open_data.document", "GET"): ("/dashboard/open-data/hsds.json", OFFICER),
    ("open_data.upload", "POST"): (
        "/dashboard/open-data/importeren",
        roles(403, anonymous=302, officer=400, admin=400),
    ),
}


def test_every_route_has_an_entry(app):
    served = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert served - ROUTES.keys() == set(), "add these routes to ROUTES"
    assert ROUTES.keys() - served == set(), "these routes no longer exist"


def _scenario(session) -> dict[str, object]:
    """One listing of an organisation, a conversation about it, a wish, a token."""
    member, other = make_user(session, Role.ORGANISATION), make_user(session, Role.ORGANISATION)
    organisation = make_organisation(session, members=(member,))
    other_club = make_organisation(session, members=(other,), name="Andere club")
    listing = make_listing(
        session, owner=member, organisation_id=organisation.id, status=ListingStatus.PUBLISHED
    )
    conversation = Conversation(listing=listing, initiator=other, recipient=member)
    conversation.messages = [Message(sender=other, body="Ik help graag")]
    wish = Wish(
        body="Een bankje bij de kerk",
        place_key=listing.place_key,
        place_name="Roggel",
        municipality="Leudal",
    )
    token = ApiToken(user=member, name="test", token_hash="0" * 64, prefix="nk_test")
    report = Report(listing=listing, reason="Klopt niet")
    revision = ListingRevision(
        listing=listing, author=member, data=listings.input_to_json(listings.input_of(listing))
    )
    organisation_revision = OrganisationRevision(
        organisation=organisation, author=member, data={"name": "Nieuwe naam"}
    )
    invitation = MembershipInvitation(organisation=other_club, email=member.email)
    session.add_all(
        [conversation, wish, token, report, revision, organisation_revision, invitation]
    )
    actors = {
        "resident": make_user(session),
        "member": member,
        "other_member": other,
        "officer": make_user(session, Role.OFFICER),
        "admin": make_user(session, Role.ADMIN),
    }
    session.commit()
    ids = {
        "listing": listing.id, "organisation": organisation.id, "conversation": conversation.id,
        "wish": wish.id, "token_id": token.id, "user": actors["resident"].id,
        "place_key": listing.place_key, "report": report.id, "revision": revision.id,
        "organisation_revision": organisation_revision.id, "invitation": invitation.id,
    }  # fmt: skip
    return {"actors": actors, "ids": ids}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "method"), sorted(ROUTES))
def test_route_gives_each_role_its_status(app, session, endpoint, method, role):
    world = _scenario(session)
    path, expected = ROUTES[(endpoint, method)]
    client = app.test_client()
    if role != "anonymous":
        user = world["actors"][role]
        assert (
            client.post(
                "/inloggen", data={"email": user.email, "password": DEFAULT_PASSWORD}
            ).status_code
            == 302
        )
    response = client.open(path.format(**world["ids"]), method=method, data={})
    response.close()  # static files are streamed from an open file
    assert response.status_code == expected[role], (endpoint, method, role)
