"""The Content-Security-Policy: no inline styles on any page, and only the embeddable map may be
framed by other sites (issue 18, item 12)."""

from __future__ import annotations

import re

import pytest

from tests.factories import DEFAULT_PASSWORD, make_listing
from tests.web.test_authorisation import ROUTES, _scenario

INLINE_STYLE = re.compile(r"<[^>]*\sstyle\s*=|<style[\s>]", re.IGNORECASE)
PAGES = sorted(key for key in ROUTES if key[1] == "GET" and key[0] != "static")


def _policy(response) -> dict[str, str]:
    directives = (
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    return {name: value for name, value in directives}


@pytest.mark.parametrize(("endpoint", "method"), PAGES)
def test_no_page_needs_inline_styles(app, session, endpoint, method):
    world = _scenario(session)
    admin = world["actors"]["admin"]
    client = app.test_client()
    login = {"email": admin.email, "password": DEFAULT_PASSWORD}
    assert client.post("/inloggen", data=login).status_code == 302
    path = ROUTES[(endpoint, method)][0].format(**world["ids"])
    response = client.get(path)
    assert _policy(response)["style-src"] == "'self'", endpoint
    if response.mimetype == "text/html":
        found = INLINE_STYLE.search(response.text)
        assert found is None, (endpoint, response.text[found.start() : found.start() + 120])


def test_theme_colours_are_svg_fills(client, session):
    listing = make_listing(session)
    session.commit()
    html = client.get(f"/initiatieven/{listing.id}").text
    colour = listing.themes[0].colour
    assert f'<circle cx="1" cy="1" r="1" fill="{colour}"/>' in html


def test_only_the_embed_route_may_be_framed_by_any_site(client, session):
    embed = client.get("/kaart/embed")
    assert _policy(embed)["frame-ancestors"] == "*" and "X-Frame-Options" not in embed.headers
    for path in (
        "/kaart/embed/../../mijn",
        "/kaart/embed/x",
        "/kaart/embedded",
        "/kaart/embed.json",
    ):
        response = client.get(path)
        assert _policy(response)["frame-ancestors"] == "'self'", path
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN", path
