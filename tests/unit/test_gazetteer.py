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


#: GeoNames points (geonameid, lat, lon) of the demo villages and districts.
GEONAMES_POINTS = {
    "Roggel": (2747990, 51.26333, 5.92361),
    "Neer": (2750456, 51.26, 5.98889),
    "Lierderholthuis": (2751637, 52.43667, 6.19167),
    "Heino": (2754502, 52.43661, 6.23282),
    "Heeten": (2754621, 52.33167, 6.27917),
    "Olst": (2749626, 52.3375, 6.10972),
    "Wijhe": (2744489, 52.38667, 6.13472),
    "Panningen": (2748737, 51.32667, 5.97917),
    "Helden": (2754482, 51.31917, 6.0),
    "Hatert": (2754773, 51.80635, 5.83057),
    "Dukenburg": (2756495, 51.81336, 5.79909),
}


@pytest.mark.parametrize("name", sorted(GEONAMES_POINTS))
def test_demo_villages_and_districts_sit_at_their_geonames_point(gazetteer, name):
    geonameid, lat, lon = GEONAMES_POINTS[name]
    found = best(gazetteer, name)
    assert found.key == f"gn:{geonameid}" and not found.approximate
    assert haversine_km(found.lat, found.lon, lat, lon) < 0.3


def test_villages_of_one_municipality_no_longer_share_a_point(gazetteer):
    leudal = [e for e in gazetteer.places() if e.kind == PLACE and e.municipality == "Leudal"]
    assert len({(e.lat, e.lon) for e in leudal}) == len(leudal) > 16
    points = {(best(gazetteer, n).lat, best(gazetteer, n).lon) for n in ("Roggel", "Neer")}
    assert len(points) == 2


def test_at_most_one_percent_of_places_are_estimated(gazetteer):
    places = [e for e in gazetteer.places() if e.kind == PLACE]
    estimated = [e for e in places if e.approximate]
    assert len(places) > 7000 and len(estimated) <= 0.01 * len(places)


def test_data_readme_states_the_shipped_counts(gazetteer):
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    places = [e for e in gazetteer.places() if e.kind == PLACE]
    districts = sum(1 for e in places if e.is_district)
    estimated = sum(1 for e in places if e.approximate)
    line = next(line for line in readme.splitlines() if line.startswith("| `places.csv`"))
    assert f"{len(places):,} places ({districts:,} city districts, {estimated} estimated)" in line


@pytest.mark.parametrize(
    "query", ["Roggel", "roggel", "ROGGEL", "Roggel, Leudal", "Roggel (Leudal)", "Roggel Leudal"]
)
def test_lookup_roggel_is_a_place_in_leudal(gazetteer, query):
    found = best(gazetteer, query)
    assert (found.name, found.municipality, found.province) == ("Roggel", "Leudal", "Limburg")
    assert found.kind == PLACE and not found.approximate
    assert found.label == "Roggel (Leudal)"


@pytest.mark.parametrize(
    ("postcode", "label"),
    [("6088", "6088 Roggel (Leudal)"), ("8144", "8144 Lierderholthuis (Raalte)")],
)
def test_postcode_area_is_labelled_with_its_own_place(gazetteer, postcode, label):
    area = best(gazetteer, postcode)
    assert area.label == label and not area.approximate
    assert gazetteer.village(area).name == label.split()[1]


@pytest.mark.parametrize(
    "query",
    ["Hatert", "Hatert Nijmegen", "Hatert, Nijmegen", "Hatert (Nijmegen)", "hatert nijmegen"],
)
def test_district_is_a_place_of_its_city(gazetteer, query):
    found = best(gazetteer, query)
    assert found.key == "gn:2754773" and found.city == "Nijmegen" and found.is_district
    assert found.label == "Hatert (Nijmegen)"


def test_homonyms_are_told_apart_by_municipality(gazetteer):
    haarle = gazetteer.lookup("Haarle")
    assert haarle.ambiguous
    assert [e.label for e in haarle.candidates] == ["Haarle (Hellendoorn)", "Haarle (Tubbergen)"]
    assert best(gazetteer, "Haarle, Tubbergen").municipality == "Tubbergen"
    # The only Heibloem with postcodes of its own is the village in Leudal.
    assert best(gazetteer, "Heibloem").municipality == "Leudal"
    assert best(gazetteer, "Heibloem, Bernheze").municipality == "Bernheze"


@pytest.mark.parametrize(
    ("point", "name"),
    [
        ((51.26333, 5.92361), "Roggel"),  # Roggel's own point
        ((51.26300, 5.93000), "Roggel"),  # in Roggel, 450 m east: nearer the buurtschap Mortel
        ((51.26170, 5.89900), "Heythuysen"),  # a farm by the hamlet Roligt: filed under its village
        ((51.80260, 5.82440), "Hatert"),  # a street in Hatert; hamlets of Heumen nearby
        ((51.81300, 5.79800), "Dukenburg"),
        ((52.43600, 6.19000), "Lierderholthuis"),  # Olst-Wijhe's Wechterholt 2 km off
        ((51.23583, 5.95694), "Haelen"),
    ],
)
def test_place_at_files_a_point_under_the_village_it_lies_in(gazetteer, point, name):
    assert gazetteer.place_at(*point).name == name


def test_place_at_outside_every_core_takes_the_municipality_most_neighbours_are_in(gazetteer):
    # Between Roggel and Neer (both Leudal), 1.5 km from each: not Peel en Maas's villages.
    found = gazetteer.place_at(51.2700, 5.9550)
    assert found.municipality == "Leudal"


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
    assert suggestions[0].name == "Roggel" and suggestions[-1].postcode == "6088"
    assert [entry.kind for entry in suggestions] == [PLACE] * (len(suggestions) - 1) + [POSTCODE]
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


def test_a_hamlet_is_filed_under_its_village_never_on_its_own():
    gazetteer = default_gazetteer()
    hamlet = gazetteer.lookup("Roligt").best
    assert hamlet is not None and gazetteer.village_of(hamlet).key != hamlet.key
    assert gazetteer.village(hamlet).municipality == hamlet.municipality == "Leudal"
    for entry in gazetteer.places():
        filed = gazetteer.place_at(entry.lat, entry.lon)
        assert gazetteer.village_of(filed) == filed, entry.name
