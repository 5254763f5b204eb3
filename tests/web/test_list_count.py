"""The list's capped count, and cached results that are fresh right after a write."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from portal.domain.catalogue import filters, listings
from portal.models import Listing, ListingKind, Theme
from portal.models.base import utcnow
from tests.factories import make_listing


@pytest.fixture
def count_limit(app, monkeypatch):
    monkeypatch.setitem(app.config, "LIST_COUNT_LIMIT", 3)
    return 3


def test_capped_count_says_more_than(client, session, count_limit):
    for _ in range(count_limit + 1):
        make_listing(session, place="Roggel")
    session.commit()
    page = client.get("/initiatieven").get_data(as_text=True)
    assert "Meer dan 3 resultaten" in page
    near = client.get("/initiatieven?near=Roggel&radius_km=5").get_data(as_text=True)
    assert "Meer dan 3 resultaten binnen 5 km van Roggel" in near


def test_count_up_to_the_limit_is_exact(client, session, count_limit):
    for _ in range(count_limit):
        make_listing(session)
    session.commit()
    page = client.get("/initiatieven").get_data(as_text=True)
    assert "3 resultaten" in page
    assert "Meer dan" not in page


def test_default_limit_reads_meer_dan_1000(app):
    assert app.config["LIST_COUNT_LIMIT"] == 1000
    with app.test_request_context():
        template = app.jinja_env.from_string("{{ 1000|number }}")
        assert template.render() == "1.000"


def test_capped_count_reads_at_most_limit_plus_one(session):
    for _ in range(5):
        make_listing(session)
    session.flush()
    statement = filters.ListingFilter().listings(session)
    assert filters.count(session, statement) == 5
    assert filters.count(session, statement, limit=2) == 3
    page = filters.listing_page(session, filters.ListingFilter(per_page=2), count_limit=2)
    assert (page.total, page.capped, len(page.items), page.pages) == (2, True, 2, 1)
    deep = filters.listing_page(session, filters.ListingFilter(page=3, per_page=2), count_limit=2)
    assert (deep.total, deep.capped, len(deep.items)) == (2, True, 1)
    exact = filters.listing_page(session, filters.ListingFilter(page=2, per_page=2), 10)
    assert (exact.total, exact.capped, exact.pages, exact.has_next) == (5, False, 3, True)
    newest_first = [
        listing.id for listing in filters.listing_page(session, filters.ListingFilter(), 10).items
    ]
    assert newest_first == sorted(newest_first, reverse=True)


def test_list_is_fresh_after_a_new_listing(client, session):
    make_listing(session, title="Eerste boodschappenhulp")
    session.commit()
    assert "1 resultaat" in client.get("/initiatieven").get_data(as_text=True)
    make_listing(session, title="Tweede boodschappenhulp")
    session.commit()
    page = client.get("/initiatieven").get_data(as_text=True)
    assert "2 resultaten" in page
    assert "Tweede boodschappenhulp" in page


def test_list_is_fresh_after_hiding_with_a_bulk_update(client, session):
    listing = make_listing(session, title="Verdwijnt zo")
    session.commit()
    assert "Verdwijnt zo" in client.get("/initiatieven").get_data(as_text=True)
    session.execute(update(Listing).where(Listing.id == listing.id).values(hidden=True))
    session.commit()
    assert "Verdwijnt zo" not in client.get("/initiatieven").get_data(as_text=True)


def test_map_data_is_fresh_after_an_edit(client, session):
    listing = make_listing(session, place="Roggel", kind=ListingKind.NEED)
    session.commit()
    body = json.loads(client.get("/kaart/data.json").data)
    assert body["total"] == 1
    assert json.loads(client.get("/kaart/data.json").data) == body  # served from the cache
    listings.close(listing, utcnow(), fulfilled=True)
    session.commit()
    assert json.loads(client.get("/kaart/data.json").data)["total"] == 0


def test_map_data_errors_are_per_request(client, session):
    make_listing(session)
    session.commit()
    plain = json.loads(client.get("/kaart/data.json").data)
    wrong = json.loads(client.get("/kaart/data.json?radius_km=abc").data)
    assert plain["errors"] == {}
    assert "radius_km" in wrong["errors"]
    assert wrong["total"] == plain["total"]


def test_detail_candidates_are_fresh_after_a_new_offer(client, session):
    need = make_listing(session, kind=ListingKind.NEED, title="Hulp bij boodschappen gezocht")
    session.commit()
    before = client.get(f"/initiatieven/{need.id}").get_data(as_text=True)
    assert "Boodschappen rijden wij" not in before
    make_listing(session, kind=ListingKind.OFFER, title="Boodschappen rijden wij")
    session.commit()
    after = client.get(f"/initiatieven/{need.id}").get_data(as_text=True)
    assert "Boodschappen rijden wij" in after


def test_theme_labels_are_fresh_after_an_edit(client, session):
    make_listing(session, themes=("naoberzorg",))
    session.commit()
    assert "Hulp van de buren" not in client.get("/initiatieven").get_data(as_text=True)
    theme = session.scalar(select(Theme).where(Theme.slug == "naoberzorg"))
    theme.label_nl = "Hulp van de buren"
    session.commit()
    assert "Hulp van de buren" in client.get("/initiatieven").get_data(as_text=True)
    assert "Hulp van de buren" in client.get("/kaart").get_data(as_text=True)


def test_theme_filter_on_list_and_map_data(client, session):
    make_listing(session, title="Vervoer naar de markt", themes=("vervoer",))
    make_listing(session, title="Koffie bij de buren", themes=("naoberzorg",))
    session.commit()
    page = client.get("/initiatieven?theme=vervoer").get_data(as_text=True)
    assert "Vervoer naar de markt" in page and "Koffie bij de buren" not in page
    assert "Niets gevonden" in client.get("/initiatieven?theme=bestaat-niet").get_data(as_text=True)
    assert json.loads(client.get("/kaart/data.json?theme=naoberzorg&kind=need").data)["total"] == 1
    assert json.loads(client.get("/kaart/data.json?theme=bestaat-niet").data)["total"] == 0
