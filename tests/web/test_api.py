"""The JSON API: filters, paging, errors and privacy (access rules: test_api_access.py)."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain.catalogue.listings import ConsentInput
from portal.models import ListingKind, ListingStatus, OrganisationKind
from tests.factories import (
    make_listing,
    make_organisation,
    make_theme,
    make_user,
)

API = "/api/v1"
#: A resident's exact home, with digits no village centre has.
HOME = (51.2512345, 5.9312345)


def error_of(response) -> dict:
    assert response.is_json, response.text
    return response.get_json()["error"]


@pytest.fixture
def listings(session):
    """A need and an offer in Roggel, an offer in Olst, plus a draft and a hidden one."""
    need = make_listing(session, title="Boodschappen op dinsdag", themes=("naoberzorg",))
    offer = make_listing(
        session, kind=ListingKind.OFFER, title="Klussen in huis", themes=("klussen",)
    )
    far = make_listing(
        session,
        kind=ListingKind.OFFER,
        place="Olst",
        title="Vervoer naar de markt",
        themes=("vervoer",),
    )
    draft = make_listing(session, title="Nog niet klaar", status=ListingStatus.DRAFT)
    hidden = make_listing(session, title="Verborgen vraag")
    hidden.hidden = True
    session.commit()
    return {"need": need, "offer": offer, "far": far, "draft": draft, "hidden": hidden}


def ids(response) -> set[int]:
    return {item["id"] for item in response.get_json()["items"]}


# --- listings: filters and paging -----------------------------------------------------------


def test_listings_show_published_visible_listings_only(client, listings):
    response = client.get(f"{API}/listings")
    assert response.status_code == 200
    expected = {listings[name].id for name in ("need", "offer", "far")}
    assert ids(response) == expected and response.get_json()["total"] == 3


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("kind=offer", {"offer", "far"}),
        ("kind=need&kind=offer", {"need", "offer", "far"}),
        ("theme=klussen", {"offer"}),
        ("theme=klussen&theme=vervoer", {"offer", "far"}),
        ("near=Roggel&radius_km=5", {"need", "offer"}),
        ("near=6088", {"need", "offer"}),
        ("near=Olst&kind=offer", {"far"}),
        ("q=boodschappen", {"need"}),
    ],
)
def test_listings_filter_like_the_list_page(client, listings, query, names):
    response = client.get(f"{API}/listings?{query}")
    assert response.status_code == 200
    assert ids(response) == {listings[name].id for name in names}


def test_listings_near_a_place_come_nearest_first_with_distance(client, listings):
    items = client.get(f"{API}/listings?near=Olst&radius_km=300").get_json()["items"]
    assert items[0]["id"] == listings["far"].id
    distances = [item["distance_km"] for item in items]
    assert distances == sorted(distances) and distances[-1] > 100


def test_listings_page_through_with_links(client, listings):
    first = client.get(f"{API}/listings?per_page=2&kind=offer&kind=need").get_json()
    assert (first["page"], first["per_page"], first["total"]) == (1, 2, 3)
    assert first["links"]["prev"] is None and "kind=offer" in first["links"]["next"]
    second = client.get(first["links"]["next"]).get_json()
    assert len(second["items"]) == 1 and second["links"]["next"] is None
    assert "page=1" in second["links"]["prev"]
    assert ids_of(first) | ids_of(second) == {listings[n].id for n in ("need", "offer", "far")}


def ids_of(body: dict) -> set[int]:
    return {item["id"] for item in body["items"]}


def test_listings_page_beyond_the_end_is_empty(client, listings):
    body = client.get(f"{API}/listings?page=50").get_json()
    assert body["items"] == [] and body["total"] == 3 and body["links"]["next"] is None


@pytest.mark.parametrize(
    ("path", "query", "parameter"),
    [
        ("/listings", "per_page=101", "per_page"),
        ("/listings", "per_page=0", "per_page"),
        ("/listings", "page=0", "page"),
        ("/listings", "page=-1", "page"),
        ("/listings", "page=twee", "page"),
        ("/listings", "page=1.5", "page"),
        ("/listings", "page=", "page"),
        ("/listings", "page=1&page=2", "page"),
        ("/listings", "radius_km=veel", "radius_km"),
        ("/listings", "radius_km=2,5", "radius_km"),
        ("/listings", "near=Roggel&radius_km=301", "radius_km"),
        ("/listings", "kind=organisation", "kind"),
        ("/listings", "kind=", "kind"),
        ("/listings", "theme=bestaat-niet", "theme"),
        ("/listings", "near=Atlantis", "near"),
        ("/listings", "near=Zevenhuizen", "near"),
        ("/listings", "near=" + "x" * 101, "near"),
        ("/listings", "q=%00", "q"),
        ("/organisations", "theme=naoberzorg%00", "theme"),
        ("/listings.geojson", "per_page=500", "per_page"),
        ("/organisations", "kind=need", "kind"),
        ("/organisations.geojson", "page=abc", "page"),
        ("/themes", "per_page=101", "per_page"),
        ("/places", "page=0", "page"),
        ("/places", "q=" + "x" * 201, "q"),
        ("/geocode", "", "q"),
        ("/geocode", "q=%20%20", "q"),
    ],
)
def test_bad_parameters_get_400_naming_the_parameter(client, listings, path, query, parameter):
    response = client.get(f"{API}{path}?{query}")
    assert response.status_code == 400
    error = error_of(response)
    assert error["parameter"] == parameter and error["status"] == 400 and error["detail"]


@pytest.mark.parametrize(
    "path", ["/listings/{draft}", "/listings/{hidden}", "/listings/999999", "/organisations/999999"]
)
def test_missing_or_private_things_are_404_in_json(client, listings, path):
    response = client.get(
        API + path.format(draft=listings["draft"].id, hidden=listings["hidden"].id)
    )
    assert response.status_code == 404 and error_of(response)["status"] == 404


@pytest.mark.parametrize("path", ["/listings/0", "/listings/abc", "/listings/99999999999999"])
def test_impossible_ids_are_404(client, session, path):
    assert client.get(API + path).status_code == 404


def test_public_data_may_be_read_by_other_websites_but_matches_not(client, listings):
    assert client.get(f"{API}/listings").headers["Access-Control-Allow-Origin"] == "*"
    matches = client.get(f"{API}/listings/{listings['need'].id}/matches")
    assert "Access-Control-Allow-Origin" not in matches.headers


def test_unknown_api_address_is_404_in_json(client, session):
    response = client.get(f"{API}/bestaat-niet")
    assert response.status_code == 404 and error_of(response)["status"] == 404


def test_listing_detail_has_its_stable_id_and_page(client, listings):
    body = client.get(f"{API}/listings/{listings['need'].id}").get_json()
    assert body["id"] == listings["need"].id and body["kind"] == "need"
    assert body["url"].endswith(f"/initiatieven/{listings['need'].id}")
    assert body["themes"] == ["naoberzorg"] and body["place"]["name"] == "Roggel"


def test_listings_geojson_is_a_feature_collection_of_public_points(client, listings):
    response = client.get(f"{API}/listings.geojson?kind=offer")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    body = response.get_json()
    assert body["type"] == "FeatureCollection" and body["total"] == 2
    far = next(f for f in body["features"] if f["id"] == listings["far"].id)
    lon, lat = far["geometry"]["coordinates"]
    assert (lat, lon) == (listings["far"].public_lat, listings["far"].public_lon)
    assert far["properties"]["approximate"] is True and "location" not in far["properties"]


# --- organisations, themes, places ----------------------------------------------------------


@pytest.fixture
def organisations(session):
    kulturhus = make_organisation(
        session, contact_email="info@kulturhus.example", contact_phone="0570 123456"
    )
    care = make_organisation(
        session, kind=OrganisationKind.CARE_PROVIDER, place="Raalte", themes=("naoberzorg",)
    )
    session.commit()
    return {"kulturhus": kulturhus, "care": care}


def test_organisations_filter_by_kind_and_theme(client, organisations):
    by_kind = client.get(f"{API}/organisations?kind=care_provider").get_json()
    by_theme = client.get(f"{API}/organisations?theme=dagbesteding").get_json()
    assert ids_of(by_kind) == {organisations["care"].id}
    assert ids_of(by_theme) == {organisations["kulturhus"].id}


def test_organisation_shows_its_public_contact_details(client, organisations):
    body = client.get(f"{API}/organisations/{organisations['kulturhus'].id}").get_json()
    assert body["contact"] == {"email": "info@kulturhus.example", "phone": "0570 123456"}
    assert body["location"]["approximate"] is False and body["kind"] == "kulturhus"


def test_organisations_geojson_near_a_place(client, organisations):
    body = client.get(f"{API}/organisations.geojson?near=Olst&radius_km=5").get_json()
    assert [feature["id"] for feature in body["features"]] == [organisations["kulturhus"].id]


def test_themes_list_every_slug(client, session):
    for slug in ("vervoer", "klussen", "naoberzorg"):
        make_theme(session, slug)
    session.commit()
    body = client.get(f"{API}/themes").get_json()
    assert {item["slug"] for item in body["items"]} == {"vervoer", "klussen", "naoberzorg"}
    assert body["total"] == 3 and set(body["items"][0]) == {
        "slug",
        "label_nl",
        "label_en",
        "colour",
        "icon",
    }


def test_places_suggest_names_then_postcodes_and_paginate(client, session):
    first = client.get(f"{API}/places?q=Roggel&per_page=2").get_json()
    second = client.get(first["links"]["next"]).get_json()
    assert [item["name"] for item in first["items"]] == ["Roggel", "Roggelse Dijk"]
    assert first["items"][0]["kind"] == "place"
    assert second["items"][0]["postcode"] == "6088" and first["total"] == 3


def test_places_without_q_list_all_places_by_key(client, session):
    body = client.get(f"{API}/places?per_page=100").get_json()
    keys = [item["key"] for item in body["items"]]
    assert body["total"] > 3000 and keys == sorted(keys)


# --- privacy --------------------------------------------------------------------------------


def _every_public_response(client, listing_id: int) -> str:
    paths = [
        "/listings",
        "/listings?near=Roggel",
        "/listings.geojson",
        f"/listings/{listing_id}",
        "/organisations",
        "/organisations.geojson",
    ]
    return "\n".join(client.get(API + path).text for path in paths)


def test_api_never_shows_a_residents_exact_location_or_contact(client, session):
    resident = make_user(session, phone="06 12345678")
    listing = make_listing(session, owner=resident, point=HOME)
    make_organisation(session, place="Roggel", themes=("naoberzorg",))
    session.commit()
    text = _every_public_response(client, listing.id)
    assert client.get(f"{API}/listings/{listing.id}").get_json()["location"]["approximate"]
    assert "51.25123" not in text and "5.93123" not in text
    assert (
        resident.email not in text and "12345678" not in text and resident.display_name not in text
    )


def test_api_never_shows_consent_for_a_need_posted_on_behalf(client, session):
    consent = ConsentInput(
        "mevrouw J. uit de Dorpsstraat",
        "haar dochter",
        date(2026, 11, 1),
        "Boodschappenhulp vinden",
    )
    listing = make_listing(session, consent=consent)
    session.commit()
    text = _every_public_response(client, listing.id)
    assert client.get(f"{API}/listings/{listing.id}").get_json()["on_behalf"] is True
    for secret in ("mevrouw J.", "haar dochter", "Boodschappenhulp vinden", "consent"):
        assert secret not in text
