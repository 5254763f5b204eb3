"""The offline gazetteer: look-ups, autocomplete, nearest place and the shipped data."""

from __future__ import annotations

import pytest

from portal.domain.places.gazetteer import (
    DATA_DIR,
    MUNICIPALITY,
    PLACE,
    POSTCODE,
    Gazetteer,
    GazetteerEntry,
    Lookup,
    default_gazetteer,
    haversine_km,
    normalise,
)

LAT_RANGE = (50.7, 53.7)
LON_RANGE = (3.3, 7.3)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


def best(gazetteer: Gazetteer, query: str) -> GazetteerEntry:
    found = gazetteer.lookup(query).best
    assert found is not None, f"{query!r} did not resolve"
    return found


def test_normalise_ignores_case_accents_and_punctuation():
    assert normalise("'s-Hertogenbosch") == normalise("s hertogenbosch") == "s hertogenbosch"
    assert normalise("Feanwâlden") == "feanwalden"
    assert normalise("  ROGGEL ") == "roggel"
    assert normalise("St. Michielsgestel") == normalise("Sint-Michielsgestel")


def test_haversine_km_measures_known_distance():
    assert haversine_km(52.0, 5.0, 52.0, 5.0) == 0
    assert haversine_km(52.0, 5.0, 53.0, 5.0) == pytest.approx(111.2, abs=0.2)


def test_load_counts():
    fresh = Gazetteer.from_directory(DATA_DIR)
    places = [e for e in fresh.places() if e.kind == PLACE]
    municipalities = [e for e in fresh.places() if e.kind == MUNICIPALITY]
    assert len(places) >= 1800
    assert len(municipalities) >= 340
    assert len(fresh.postcodes()) >= 4000


def test_coordinates_all_lie_in_the_netherlands(gazetteer):
    for entry in gazetteer.places() + gazetteer.postcodes():
        assert LAT_RANGE[0] <= entry.lat <= LAT_RANGE[1], entry
        assert LON_RANGE[0] <= entry.lon <= LON_RANGE[1], entry


def test_postcodes_all_resolve_by_lookup(gazetteer):
    for entry in gazetteer.postcodes():
        assert gazetteer.lookup(entry.postcode or "").best == entry
        assert entry.municipality and entry.province and entry.kind == POSTCODE


def test_postcodes_all_point_to_a_place_of_the_same_name(gazetteer):
    for entry in gazetteer.postcodes():
        place = gazetteer.village(entry)
        assert place.kind == PLACE
        assert (place.name, place.municipality) == (entry.name, entry.municipality)


@pytest.mark.parametrize("query", ["6088", "6088 AB", "6088AB", " 6088ab "])
def test_lookup_postcode_forms(gazetteer, query):
    found = best(gazetteer, query)
    assert (found.postcode, found.name, found.municipality) == ("6088", "Roggel", "Leudal")
    assert found.label == "6088 Roggel (Leudal)"


@pytest.mark.parametrize(
    "query", ["Roggel", "roggel", "ROGGEL", "Roggel, Leudal", "Roggel (Leudal)"]
)
def test_lookup_roggel_is_an_approximate_place_in_leudal(gazetteer, query):
    found = best(gazetteer, query)
    assert (found.name, found.municipality, found.province) == ("Roggel", "Leudal", "Limburg")
    assert found.kind == PLACE and found.approximate
    assert haversine_km(found.lat, found.lon, 51.26, 5.92) < 5
    assert found.label == "Roggel (Leudal)"


@pytest.mark.parametrize(
    ("query", "name", "municipality", "kind"),
    [
        ("Olst-Wijhe", "Olst-Wijhe", "Olst-Wijhe", MUNICIPALITY),
        ("olst wijhe", "Olst-Wijhe", "Olst-Wijhe", MUNICIPALITY),
        ("Peel en Maas", "Peel en Maas", "Peel en Maas", MUNICIPALITY),
        ("Leudal", "Leudal", "Leudal", MUNICIPALITY),
        ("Raalte", "Raalte", "Raalte", PLACE),
        ("Heino", "Heino", "Raalte", PLACE),
        ("Lierderholthuis", "Lierderholthuis", "Raalte", PLACE),
        ("Hatert", "Hatert", "Nijmegen", PLACE),
        ("'s-Hertogenbosch", "'s-Hertogenbosch", "'s-Hertogenbosch", PLACE),
        ("s hertogenbosch", "'s-Hertogenbosch", "'s-Hertogenbosch", PLACE),
        ("Den Bosch", "'s-Hertogenbosch", "'s-Hertogenbosch", PLACE),
        ("Den Haag", "Den Haag", "Den Haag", PLACE),
        ("'s-Gravenhage", "Den Haag", "Den Haag", PLACE),
        ("The Hague", "Den Haag", "Den Haag", PLACE),
        ("Feanwalden", "Feanwâlden", "Dantumadiel", PLACE),
    ],
)
def test_lookup_story_and_alias_names(gazetteer, query, name, municipality, kind):
    found = best(gazetteer, query)
    assert (found.name, found.municipality, found.kind) == (name, municipality, kind)


def test_lookup_municipality_and_its_seat_prefers_the_seat(gazetteer):
    found = gazetteer.lookup("Raalte")
    assert found.best is not None and found.best.kind == PLACE
    assert {entry.kind for entry in found.candidates} == {PLACE, MUNICIPALITY}


def test_lookup_lierderholthuis_lies_between_raalte_and_zwolle(gazetteer):
    found = best(gazetteer, "Lierderholthuis")
    assert found.approximate
    assert haversine_km(found.lat, found.lon, 52.455, 6.18) < 10


def test_lookup_hatert_is_in_the_nijmegen_postcode_area(gazetteer):
    hatert = best(gazetteer, "Hatert")
    for postcode in ("6534", "6535"):
        area = best(gazetteer, postcode)
        assert area.municipality == "Nijmegen"
        assert haversine_km(hatert.lat, hatert.lon, area.lat, area.lon) < 10


def test_lookup_ambiguous_name_lists_candidates_with_municipality(gazetteer):
    found = gazetteer.lookup("Zevenhuizen")
    assert found.best is None and found.ambiguous
    municipalities = {entry.municipality for entry in found.candidates}
    assert {"Zuidplas", "Westerkwartier"} <= municipalities
    assert all(entry.label.startswith("Zevenhuizen (") for entry in found.candidates)


def test_lookup_qualifier_picks_one_of_the_namesakes(gazetteer):
    found = best(gazetteer, "Zevenhuizen (Zuidplas)")
    assert found.municipality == "Zuidplas"
    assert best(gazetteer, "Zevenhuizen, Westerkwartier").municipality == "Westerkwartier"
    assert best(gazetteer, "Zevenhuizen, Zuid-Holland").municipality == "Zuidplas"


def test_lookup_municipality_seat_beats_namesakes(gazetteer):
    found = gazetteer.lookup("Hengelo")
    assert found.best is not None and found.best.municipality == "Hengelo"
    assert "Bronckhorst" in {entry.municipality for entry in found.candidates}
    assert best(gazetteer, "Hengelo (Gld)").municipality == "Bronckhorst"


@pytest.mark.parametrize(
    "query", ["", "   ", "xyzzy", "0000", "12345", "6088 ABC", "Roggel, Nowhere"]
)
def test_lookup_garbage_returns_empty(gazetteer, query):
    assert gazetteer.lookup(query) == Lookup(best=None, candidates=())


def test_suggest_lists_places_then_postcodes(gazetteer):
    suggestions = gazetteer.suggest("Rogg")
    assert [entry.kind for entry in suggestions[:2]] == [PLACE, POSTCODE]
    assert suggestions[0].name == "Roggel" and suggestions[1].postcode == "6088"
    assert gazetteer.suggest("Rogg", limit=1) == suggestions[:1]


def test_suggest_by_postcode_prefix(gazetteer):
    codes = [entry.postcode for entry in gazetteer.suggest("608", limit=20)]
    assert "6088" in codes and all(code and code.startswith("608") for code in codes)


def test_suggest_empty_prefix_returns_nothing(gazetteer):
    assert gazetteer.suggest("") == []
    assert gazetteer.suggest("zzzzqq") == []


def test_get_by_key(gazetteer):
    roggel = best(gazetteer, "Roggel")
    assert gazetteer.get(roggel.key) == roggel
    assert gazetteer.get("pc:6088") == best(gazetteer, "6088")
    assert gazetteer.get("nope:1") is None


def test_village_of_postcode_and_municipality(gazetteer):
    assert gazetteer.village(best(gazetteer, "6088")) == best(gazetteer, "Roggel")
    assert gazetteer.village(best(gazetteer, "Leudal")).municipality == "Leudal"
    raalte = gazetteer.get("gm:raalte")
    assert raalte is not None and raalte.kind == MUNICIPALITY
    assert gazetteer.village(raalte) == best(gazetteer, "Raalte")


def test_nearest_place_coarsens_to_the_village(gazetteer):
    hatert = best(gazetteer, "Hatert")
    assert gazetteer.nearest_place(hatert.lat + 0.001, hatert.lon - 0.001) == hatert
    heino = best(gazetteer, "Heino")
    assert gazetteer.nearest_place(heino.lat, heino.lon) == heino


def test_nearest_place_matches_brute_force_and_is_exact_only(gazetteer):
    exact = [e for e in gazetteer.places() if e.kind == PLACE and not e.approximate]
    points = [(50.8 + i * 0.061, 3.4 + (i * 0.37) % 3.8) for i in range(45)]
    for lat, lon in points:
        found = gazetteer.nearest_place(lat, lon)
        expected = min(haversine_km(lat, lon, e.lat, e.lon) for e in exact)
        assert not found.approximate
        assert haversine_km(lat, lon, found.lat, found.lon) == pytest.approx(expected)
