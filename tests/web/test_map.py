"""The map pages and their JSON through the Flask test client."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from flask import render_template_string

from config import DEFAULT_TILE_ATTRIBUTION
from portal.domain.places import geography
from portal.domain.places.gazetteer import default_gazetteer
from portal.models import ListingKind, ListingStatus
from tests.factories import make_listing, make_organisation

CONFIG = re.compile(r'<script type="application/json" id="nk-map-config">(.*?)</script>', re.S)
XSS = "<img src=x onerror=alert(1)>"


def map_config(html: str) -> dict:
    """The JSON the page hands to static/js/map.js."""
    return json.loads(CONFIG.search(html).group(1))


def counts_by_place(payload: dict) -> dict[str, int]:
    return {row[1]: sum(row[4]) for row in payload["places"]}


def seed(session):
    """Three offers in Roggel, two needs in Olst, one organisation in Olst, and noise."""
    offers = [make_listing(session, kind=ListingKind.OFFER, place="Roggel") for _ in range(3)]
    needs = [
        make_listing(session, kind=ListingKind.NEED, place="Olst", themes=("vervoer",))
        for _ in range(2)
    ]
    make_listing(session, kind=ListingKind.OFFER, place="Roggel", status=ListingStatus.DRAFT)
    make_listing(session, kind=ListingKind.OFFER, place="Roggel").hidden = True
    organisation = make_organisation(session, place="Olst")
    session.commit()
    return offers, needs, organisation


def test_map_counts_published_items_per_village(client, session):
    seed(session)
    response = client.get("/kaart")
    assert response.status_code == 200
    payload = map_config(response.text)["data"]
    assert payload["total"] == 6
    assert counts_by_place(payload) == {"Roggel": 3, "Olst": 3}
    assert "6 initiatieven op de kaart" in response.text


def test_map_filters_come_from_query_parameters(client, session):
    seed(session)
    response = client.get("/kaart?kind=need&theme=vervoer")
    config = map_config(response.text)
    assert config["data"]["total"] == 2
    assert config["data"]["layers"] == ["need"]
    assert config["query"] == {"kind": ["need"], "theme": ["vervoer"]}
    assert 'value="need" checked' in response.text
    assert 'value="vervoer" checked' in response.text


def test_map_data_json_uses_the_same_filters(client, session):
    seed(session)
    assert client.get("/kaart/data.json?kind=offer").json["total"] == 3
    assert client.get("/kaart/data.json?kind=organisation").json["total"] == 1
    assert client.get("/kaart/data.json?q=bestaatnergens").json["total"] == 0


def test_map_layers_are_named_with_their_counts(client, session):
    seed(session)
    layers = map_config(client.get("/kaart").text)["frame"]["layers"]
    assert layers == {
        "offer": "Aanbod (3)", "need": "Vraag (2)", "resource": "Ruimte en middelen (0)",
        "organisation": "Organisaties (1)",
    }  # fmt: skip


def test_every_selection_with_the_same_kinds_shares_one_map(client, session):
    seed(session)
    first = client.get("/kaart?near=Roggel&radius_km=5").text
    second = client.get("/kaart?near=Olst&radius_km=25").text
    script = re.compile(r'<script(?: nonce="[^"]+")?>(var map_.*?)</script>', re.S)
    assert script.search(first).group(1) == script.search(second).group(1)
    assert map_config(first)["frame"] != map_config(second)["frame"]


def test_map_near_centres_on_place_and_draws_radius(client, session):
    seed(session)
    response = client.get("/kaart?near=Roggel&radius_km=5")
    frame = map_config(response.text)["frame"]
    roggel = default_gazetteer().lookup("Roggel").best
    assert frame["radius"] == {"centre": [roggel.lat, roggel.lon], "metres": 5000.0}
    (south, west), (north, east) = frame["bounds"]
    assert south < roggel.lat < north and west < roggel.lon < east
    assert round((north - south) * 111.2 / 2, 1) == 5.0
    assert counts_by_place(map_config(response.text)["data"]) == {"Roggel": 3}
    assert "Binnen 5 km rond Roggel" in response.text


def test_map_unknown_place_is_explained_next_to_the_field(client, session):
    response = client.get("/kaart?near=Nergenshuizen&radius_km=abc")
    assert response.status_code == 200
    assert 'id="kaart-near-error"' in response.text
    assert 'value="Nergenshuizen"' in response.text
    assert 'value="abc"' in response.text


def test_map_links_to_the_same_selection_as_a_list(client, session):
    response = client.get("/kaart?kind=need&theme=vervoer")
    assert 'href="/initiatieven?kind=need&amp;theme=vervoer"' in response.text


def test_map_has_skip_link_and_labelled_map(client, session):
    html = client.get("/kaart").text
    assert 'href="#na-de-kaart"' in html and 'id="na-de-kaart"' in html
    assert re.search(r'<div class="folium-map" role="region" aria-label="[^"]+"', html)


def test_map_village_items_list_titles_kinds_themes_and_links(client, session):
    offers, _, _ = seed(session)
    key = offers[0].place_key
    body = client.get(f"/kaart/data.json?place={key}").json
    assert body["total"] == 3 and body["place"] == "Roggel"
    item = body["items"][0]
    assert set(item) == {"id", "kind", "title", "themes", "place", "url"}
    assert item["kind"] == "offer" and item["themes"] == ["naoberzorg"]
    assert {i["url"] for i in body["items"]} == {f"/initiatieven/{o.id}" for o in offers}


def test_map_village_items_include_organisations(client, session):
    *_, organisation = seed(session)
    body = client.get(f"/kaart/data.json?place={organisation.place_key}").json
    assert body["total"] == 3
    assert body["items"][-1]["url"] == f"/organisaties/{organisation.id}"
    assert body["items"][-1]["kind"] == "organisation"


def test_map_village_items_are_paginated(client, session):
    listings = [make_listing(session, place="Roggel") for _ in range(23)]
    session.commit()
    key = listings[0].place_key
    first = client.get(f"/kaart/data.json?place={key}").json
    second = client.get(f"/kaart/data.json?place={key}&page=2").json
    assert (first["total"], len(first["items"]), len(second["items"])) == (23, 20, 3)
    ids = {item["id"] for item in first["items"] + second["items"]}
    assert ids == {listing.id for listing in listings}


def test_map_themes_json_counts_themes_per_village(client, session):
    _, needs, _ = seed(session)
    body = client.get("/kaart/themes.json").json
    themes = [row[0] for row in map_config(client.get("/kaart").text)["data"]["themes"]]
    olst = dict(zip(*[iter(body["places"][needs[0].place_key])] * 2, strict=True))
    assert {themes[index]: number for index, number in olst.items()} == {
        "vervoer": 2,
        "dagbesteding": 1,
    }


def test_map_never_sends_residents_exact_points(client, session):
    village = default_gazetteer().lookup("Roggel").best
    exact = (round(village.lat + 0.0123, 6), round(village.lon - 0.0171, 6))
    listing = make_listing(session, place="Roggel", point=exact, title=XSS)
    session.commit()
    assert (listing.lat, listing.lon) == exact
    assert (listing.public_lat, listing.public_lon) != exact
    bodies = [
        client.get(url).text
        for url in (
            "/kaart",
            "/kaart/embed",
            "/kaart/data.json",
            "/kaart/themes.json",
            f"/kaart/data.json?place={listing.place_key}",
        )
    ]
    for value in (*exact, listing.lat, listing.lon):
        for text in (repr(value), f"{value:.4f}", f"{value:.3f}"):
            assert not any(text in body for body in bodies), text


def test_map_page_never_carries_titles_in_html(client, session):
    make_listing(session, title=XSS)
    session.commit()
    for url in ("/kaart", "/kaart/embed"):
        assert "<img src=x" not in client.get(url).text
    data = client.get("/kaart/data.json?place=" + geography_key("Roggel"))
    assert data.mimetype == "application/json"
    assert data.json["items"][0]["title"] == XSS


def geography_key(place: str) -> str:
    return geography.from_entry(default_gazetteer().lookup(place).best).place_key


def test_map_embed_has_no_portal_chrome_and_may_be_framed(client, session):
    seed(session)
    response = client.get("/kaart/embed?kind=offer")
    html = response.text
    assert response.status_code == 200
    assert "site-header" not in html and "site-footer" not in html
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    assert map_config(html)["embed"] is True
    assert map_config(html)["data"]["total"] == 3


def test_map_page_itself_may_not_be_framed(client, session):
    response = client.get("/kaart")
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors *" not in response.headers["Content-Security-Policy"]


def hosts_in(html: str) -> set[str]:
    """Every host named in a URL anywhere in the page (attributes, inline JSON and script)."""
    text = html.replace("\\u002f", "/").replace("\\/", "/")
    return set(re.findall(r"(?:https?:)?//([\w.-]+(?::\d+)?)", text))


def test_map_pages_name_no_third_party_hosts(app, client, session, monkeypatch):
    tile_host = "tiles.example.nl"
    monkeypatch.setitem(app.config, "TILE_URL", f"https://{tile_host}/{{z}}/{{x}}/{{y}}.png")
    seed(session)
    allowed = {
        tile_host,
        urlsplit(app.config["PUBLIC_BASE_URL"]).netloc,
        *hosts_in(DEFAULT_TILE_ATTRIBUTION),  # a link in the credits, never loaded
    }
    for url in ("/kaart", "/kaart/embed"):
        response = client.get(url)
        assert hosts_in(response.text) <= allowed, url
        assert (
            f"img-src 'self' data: https://{tile_host}"
            in (response.headers["Content-Security-Policy"])
        )
        for tag in re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"([^\"]+)\"", response.text):
            assert tag.startswith("/static/"), tag


def test_map_test_tiles_are_a_local_blank_png(client):
    response = client.get("/test-tiles/7/65/42.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")


def test_map_folium_assets_point_at_our_static_copies(client):
    from portal.domain.catalogue import maps

    source = Path(maps.__file__).read_text()
    assert "cdn" not in source.lower() and "unpkg" not in source.lower()
    assert all(
        (Path(__file__).parents[2] / path.lstrip("/")).exists()
        for path in (
            f"{maps.LEAFLET}/leaflet.js",
            f"{maps.CLUSTER}/leaflet.markercluster.js",
        )
    )


def test_small_map_macro_renders_a_point_without_inline_script(app):
    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "map/_small_map.html" import small_map %}'
            '{{ small_map(51.2429, 5.9278, label="Roggel") }}'
        )
    assert "data-nk-small-map" in html and 'data-lat="51.2429"' in html
    assert 'aria-label="Kaart: ligging van Roggel"' in html
    assert "<script" not in html and 'name="lat"' not in html


def test_small_map_macro_in_a_form_writes_hidden_lat_lon(app):
    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "map/_small_map.html" import small_map %}{{ small_map(editable=True) }}'
        )
    assert '<input type="hidden" name="lat" id="kleine-kaart-lat" value="">' in html
    assert '<input type="hidden" name="lon" id="kleine-kaart-lon" value="">' in html
    assert 'data-lat-input="kleine-kaart-lat"' in html and 'role="status"' in html
