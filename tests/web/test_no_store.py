"""Nothing answered to a logged-in user is kept by a browser or proxy cache (issue 18, item 8).

Generated from the URL map through the authorisation matrix: every route, asked by a logged-in
user who may use it, answers with `Cache-Control: no-store`. A new route fails
`test_every_route_has_an_entry` there until it has an entry, and is then checked here too.
"""

from __future__ import annotations

import pytest

from tests.factories import DEFAULT_PASSWORD
from tests.web.test_authorisation import ROLES, ROUTES, _scenario

SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def _best_role(expected: dict[str, int]) -> str:
    """The logged-in role that gets furthest on this route (a 2xx before anything else)."""
    return min(SIGNED_IN, key=lambda role: (expected[role] // 100 != 2, expected[role]))


def _needs_login(key: tuple[str, str]) -> bool:
    """Anonymous visitors get another answer than the user who may use the route."""
    expected = ROUTES[key][1]
    return key[0] != "static" and expected["anonymous"] != expected[_best_role(expected)]


NEEDS_LOGIN = sorted(key for key in ROUTES if _needs_login(key))
OPEN = sorted(key for key in ROUTES if key[0] != "static" and not _needs_login(key))


def _as_best_role(app, session, endpoint: str, method: str):
    world = _scenario(session)
    path, expected = ROUTES[(endpoint, method)]
    role = _best_role(expected)
    user = world["actors"][role]
    client = app.test_client()
    login = {"email": user.email, "password": DEFAULT_PASSWORD}
    assert client.post("/inloggen", data=login).status_code == 302
    response = client.open(path.format(**world["ids"]), method=method, data={})
    assert response.status_code == expected[role], (endpoint, method, role)
    return response


@pytest.mark.parametrize(("endpoint", "method"), NEEDS_LOGIN)
def test_every_route_that_needs_a_login_answers_with_no_store(app, session, endpoint, method):
    response = _as_best_role(app, session, endpoint, method)
    assert response.headers.get("Cache-Control") == "no-store", (endpoint, method)


@pytest.mark.parametrize(("endpoint", "method"), OPEN)
def test_every_page_a_logged_in_user_sees_is_no_store(app, session, endpoint, method):
    """Open pages show the user's name in the header; open data (JSON, tiles) stays cacheable."""
    response = _as_best_role(app, session, endpoint, method)
    if response.mimetype == "text/html" and response.status_code == 200:
        assert response.headers.get("Cache-Control") == "no-store", (endpoint, method)


def test_the_matrix_covers_the_personal_routes():
    needing = {endpoint for endpoint, _method in NEEDS_LOGIN}
    assert {"me.index", "contact.conversations", "contact.notifications"} <= needing
    assert {"me.download_my_data", "dashboard.export_csv", "open_data.package"} <= needing


@pytest.mark.parametrize(
    "path", ["/mijn", "/gesprekken", "/meldingen", "/mijn/gegevens.json", "/dashboard/export.csv"]
)
def test_personal_pages_and_downloads_are_no_store(client, login, path):
    from portal.models import Role

    login(Role.OFFICER)
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_public_pages_for_anonymous_visitors_stay_cacheable(client, session):
    assert "no-store" not in client.get("/initiatieven").headers.get("Cache-Control", "")
    with client.get("/static/css/portal.css") as response:
        assert "no-store" not in response.headers.get("Cache-Control", "")
