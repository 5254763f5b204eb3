"""Hostile titles and texts in a real browser: shown as text, no script runs, no dialog opens."""

from __future__ import annotations

import pytest

from portal.models import ListingKind
from tests.factories import make_listing, make_organisation, make_user

XSS = "<img src=x onerror=alert(1)>"
SCRIPT = '"><script>alert(1)</script>'

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("kind", [ListingKind.NEED, ListingKind.OFFER])
def test_hostile_listing_pages_open_no_dialog(page, watch, session, kind):
    owner = make_user(session, display_name=SCRIPT)
    organisation = make_organisation(session, name=XSS, description=SCRIPT, place="Roggel")
    listing = make_listing(
        session, owner=owner, kind=kind, title=XSS, description=SCRIPT, cost=XSS,
        organisation_id=organisation.id,
    )  # fmt: skip
    session.commit()
    for path in [
        f"/initiatieven/{listing.id}",
        "/initiatieven",
        f"/organisaties/{organisation.id}",
        "/organisaties",
        "/kaart/embed",
    ]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    page.goto(f"/initiatieven/{listing.id}")
    assert page.get_by_role("heading", level=1).inner_text() == XSS
    assert page.locator("main img[src='x']").count() == 0
    assert watch.dialogs == []
