"""Build the offline gazetteer: ``portal/data/places.csv`` and ``portal/data/postcodes.csv``.

Sources (build-time only; none of them is a runtime dependency of the portal):

* GeoNames, the Netherlands — ``NL-populated-and-admin.txt`` (default:
  ``../shared/reference/geonames-nl/NL-populated-and-admin.txt``, the populated places and
  administrative units of GeoNames' ``NL.txt``): every village, town, locality
  (buurtschap) and city district with geonameid, alternate names, coordinates, feature code,
  admin1 = province code and admin2 = CBS municipality code. Data © GeoNames, CC BY 4.0.
* PyPI ``countrystatecity-postal-codes`` 2.0.1 — ``data/by-country/NL/postcodes.json``:
  4,072 Dutch 4-digit postcodes with a place name and no coordinates. ODbL 1.0, so the
  derived ``postcodes.csv`` stays ODbL 1.0.

Run from the repository root (the paths below are the defaults)::

    python3 -m venv /tmp/gazbuild
    /tmp/gazbuild/bin/pip install countrystatecity-postal-codes==2.0.1
    .venv/bin/python scripts/build_gazetteer.py \\
        --geonames ../shared/reference/geonames-nl/NL-populated-and-admin.txt \\
        --site-packages /tmp/gazbuild/lib/python3.11/site-packages

The output is deterministic: the same inputs give byte-identical CSV files.

How it works:

1. Places: every GeoNames village, town, capital, seat and locality (``PPL``, ``PPLA*``,
   ``PPLC``, ``PPLG``, ``PPLS``, ``PPLL``) at its own point (``gn:<geonameid>``), in the
   municipality its CBS code names today (``MUNICIPALITIES``, mergers up to 2025 applied;
   ``MUNICIPALITY_FIXES`` for the few GeoNames files wrongly). A place without a code takes
   the municipality its nearest neighbours agree on; the build prints every place whose
   neighbours all lie in one other municipality, for a hand check.
2. Districts (``PPLX``) are places too, of their city: the biggest place of the
   municipality within ``CITY_KM`` (Hatert -> Nijmegen). The same place listed twice
   (a ``PPL`` and a ``PPLL`` of one name within ``SAME_PLACE_KM``) is kept once.
3. Postcodes: a postcode's place name is matched (normalised; through aliases only when
   no place has it as its name; districts only when no village has it) to a GeoNames place.
   Homonyms are told apart by geography: the match must lie within ``MAX_MATCH_KM`` of the
   place of a numerically neighbouring postcode (same 2-digit region), judged over a few
   rounds starting from unambiguous names.
4. A place the table names but GeoNames lacks gets the municipality its resolved
   neighbouring postcodes vote for and the mean position of those neighbours in that
   municipality. Both its postcodes and its new place (``pp:<first postcode>``) are
   marked approximate.
5. Municipalities (``gm:<slug>``): the mean position of their places (not districts).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import math
import re
import statistics
import sys
import tempfile
import types
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gazetteer_tables import (  # noqa: E402  (scripts/ is not a package)
    EXTRA_ALIASES,
    MUNICIPALITIES,
    MUNICIPALITY_FIXES,
    NAME_FIXES,
    POSTCODE_MUNICIPALITY,
    POSTCODE_PLACES,
    PROVINCES,
)


def _load_gazetteer_module() -> types.ModuleType:
    """Load portal/domain/places/gazetteer.py by path: the same normalisation, without importing
    the portal package (and Flask) itself."""
    path = ROOT / "portal" / "domain" / "gazetteer.py"
    spec = importlib.util.spec_from_file_location("_gazetteer", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


_gazetteer = _load_gazetteer_module()
haversine_km = _gazetteer.haversine_km
normalise = _gazetteer.normalise

TMP = Path(tempfile.gettempdir())
DEFAULT_GEONAMES = ROOT.parent / "shared/reference/geonames-nl/NL-populated-and-admin.txt"
DEFAULT_SITE_PACKAGES = next(
    iter(sorted(TMP.glob("gazbuild/lib/python3*/site-packages"))),
    TMP / "gazbuild/lib/python3.11/site-packages",
)
OUT_DIR = ROOT / "portal" / "data"

#: GeoNames feature codes that are places of the gazetteer (not PPLH: historical; not
#: PPLCH: a religious centre). PPLX (a section of a city) becomes a district.
PLACE_FEATURES = frozenset({"PPL", "PPLA", "PPLA2", "PPLC", "PPLG", "PPLS", "PPLL"})
DISTRICT = "PPLX"
#: When one place is listed twice, the better-known feature is kept.
FEATURE_RANK = {"PPLC": 0, "PPLG": 0, "PPLA": 1, "PPLA2": 2, "PPL": 3, "PPLS": 4, "PPLL": 5}

#: A postcode's place must lie this close to the place of a numerically neighbouring
#: postcode. In sparse regions right matches lie up to ~25 km away; homonyms elsewhere in
#: the country (Geesteren, Velp, Voorst, Oosterend, Marle) lie 27 km or further.
MAX_MATCH_KM = 25.0
#: The same for a match through an alias (alternate names are looser: Oosterwijk).
MAX_ALIAS_MATCH_KM = 10.0
#: How many numerically nearest resolved postcodes are compared with a candidate.
NEIGHBOURS_FOR_MATCH = 4
#: A place name with this many postcodes is a town; a single candidate for it is trusted.
TOWN_POSTCODES = 3
#: Rounds of re-judging every postcode against the previous round's matches.
MATCH_ROUNDS = 3
#: How many resolved neighbours place a postcode whose village GeoNames lacks.
NEIGHBOURS_FOR_APPROXIMATION = 4
#: Two rows of one name and municipality this close are the same place.
SAME_PLACE_KM = 1.5
#: A district belongs to the biggest place of its municipality within this distance.
CITY_KM = 12.0
#: How many nearest places vote for the municipality of a place GeoNames gives none,
#: and are compared with every place's own municipality.
NEIGHBOURS_FOR_MUNICIPALITY = 5
#: ... counting only neighbours this close.
MUNICIPALITY_NEIGHBOUR_KM = 6.0

#: ... or this close, for a place GeoNames gives no municipality (Goessche Sas, Bommenede).
LONELY_PLACE_KM = 15.0

#: Qualifiers in postcode-table names: "Hengelo (Gld)", "Beuningen Gld", "Bleskensgraaf ca",
#: "Spaarndam gem. Haarlem".
_QUALIFIER_RE = re.compile(r"\s*\([^)]*\)\s*$|\s+(?:L|AC|NB|NH|Gld|Ut|GN|Gn|ca|gem\.?\s.+)$")
_LATIN_MAX = 0x24F


@dataclass
class Place:
    """A place being built; ``key`` is stable across rebuilds."""

    key: str
    name: str
    municipality: str
    lat: float
    lon: float
    population: int
    aliases: set[str] = field(default_factory=set)
    approximate: bool = False
    feature: str = "PPL"
    city: str = ""  # a district's city

    @property
    def is_district(self) -> bool:
        return self.feature == DISTRICT


@dataclass(frozen=True)
class GeoRow:
    """One populated-place row of the GeoNames dump."""

    geonameid: str
    name: str
    alternates: tuple[str, ...]
    lat: float
    lon: float
    feature: str
    admin1: str
    admin2: str
    population: int


@dataclass(frozen=True, order=True)
class PostcodeRow:
    """One row of the postcode table."""

    postcode: str
    locality: str


def read_geonames(path: Path) -> list[GeoRow]:
    """The places and districts of a GeoNames country dump (other rows are skipped)."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            if cols[8] != "NL" or cols[7] not in PLACE_FEATURES | {DISTRICT}:
                continue
            if not in_european_netherlands(float(cols[4]), float(cols[5])):
                continue  # Zeelandia (Sint Eustatius): the Caribbean Netherlands are not covered
            alternates = (*(a for a in cols[3].split(",") if a), cols[2])
            rows.append(
                GeoRow(
                    cols[0],
                    cols[1],
                    alternates,
                    float(cols[4]),
                    float(cols[5]),
                    cols[7],
                    cols[10],
                    cols[11],
                    int(cols[14] or 0),
                )
            )
    return sorted(rows, key=lambda row: int(row.geonameid))


def in_european_netherlands(lat: float, lon: float) -> bool:
    """A loose box around the European Netherlands."""
    return 50.6 <= lat <= 53.7 and 3.2 <= lon <= 7.3


def read_postcodes(path: Path) -> list[PostcodeRow]:
    """The Dutch 4-digit postcodes and their place names."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return sorted(PostcodeRow(item["code"], item["localityName"].strip()) for item in data)


def is_useful_alias(alias: str) -> bool:
    """Latin-script spellings only; no airport codes or "Gemeente X" forms."""
    return (
        len(alias) >= 3
        and all(ord(ch) <= _LATIN_MAX or ch == "\u2019" for ch in alias)
        and not alias.isupper()
        and not alias.startswith("Gemeen")
    )


def province_by_municipality(rows: Iterable[GeoRow]) -> dict[str, str]:
    """Each municipality's province: the one most of its GeoNames places are in."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        if row.admin2 in MUNICIPALITIES and row.admin1 in PROVINCES:
            votes[MUNICIPALITIES[row.admin2]][PROVINCES[row.admin1]] += 1
    return {name: counter.most_common(1)[0][0] for name, counter in votes.items()}


def geonames_places(rows: Iterable[GeoRow]) -> list[Place]:
    """One place per row, with its Latin-script alternate names as aliases; the
    municipality is empty when GeoNames gives no (known) CBS code."""
    places = []
    for row in rows:
        name = NAME_FIXES.get(row.name, row.name)
        aliases = {a for a in row.alternates if is_useful_alias(a)} | {row.name}
        aliases |= set(EXTRA_ALIASES.get(name, ()))
        key = f"gn:{row.geonameid}"
        municipality = MUNICIPALITY_FIXES.get(key) or MUNICIPALITIES.get(row.admin2, "")
        places.append(
            Place(
                key,
                name,
                municipality,
                row.lat,
                row.lon,
                row.population,
                aliases - {name},
                feature=row.feature,
            )
        )
    return places


def nearest(places: Iterable[Place], lat: float, lon: float) -> tuple[float, Place]:
    """The nearest place and its distance in km."""
    return min(
        ((haversine_km(lat, lon, p.lat, p.lon), p) for p in places), key=lambda pair: pair[0]
    )


def neighbour_finder(
    places: list[Place], km: float = MUNICIPALITY_NEIGHBOUR_KM
) -> Callable[[Place, int], list[Place]]:
    """For a place: up to ``count`` other places with a municipality within ``km``, nearest
    first (a grid index: 8,000 places)."""
    grid = _gazetteer._GridIndex([p for p in places if p.municipality])

    def neighbours(place: Place, count: int) -> list[Place]:
        near = grid.within(place.lat, place.lon, km)
        return [other for _, other in near if other is not place][:count]

    return neighbours


def fill_missing_municipalities(places: list[Place]) -> None:
    """A place without a CBS code takes the municipality most of its neighbours are in."""
    neighbours = neighbour_finder([p for p in places if not p.is_district], LONELY_PLACE_KM)
    for place in places:
        if not place.municipality:
            votes = Counter(o.municipality for o in neighbours(place, NEIGHBOURS_FOR_MUNICIPALITY))
            place.municipality = votes.most_common(1)[0][0]


def municipality_suspects(places: list[Place]) -> list[tuple[Place, str]]:
    """Places whose nearest neighbours all lie in one other municipality: the CBS code may be
    stale (printed for a hand check; confirmed ones go into ``MUNICIPALITY_FIXES``)."""
    villages = [p for p in places if not p.is_district]
    neighbours = neighbour_finder(villages)
    suspects = []
    for place in villages:
        near = neighbours(place, NEIGHBOURS_FOR_MUNICIPALITY)
        others = {o.municipality for o in near}
        if place.key in MUNICIPALITY_FIXES or len(near) < NEIGHBOURS_FOR_MUNICIPALITY:
            continue
        if len(others) == 1 and place.municipality not in others:
            suspects.append((place, others.pop()))
    return suspects


def merge_duplicates(places: list[Place]) -> list[Place]:
    """One place per name and municipality within ``SAME_PLACE_KM`` (GeoNames lists some
    villages both as PPL and as PPLL): the better-known feature stays, with both names."""
    groups: dict[tuple[str, str, bool], list[Place]] = defaultdict(list)
    for place in places:
        groups[(normalise(place.name), place.municipality, place.is_district)].append(place)
    dropped: set[str] = set()
    for group in groups.values():
        ordered = sorted(group, key=lambda p: (FEATURE_RANK.get(p.feature, 9), -p.population))
        for i, keep in enumerate(ordered):
            if keep.key in dropped:
                continue
            for other in ordered[i + 1 :]:
                close = haversine_km(keep.lat, keep.lon, other.lat, other.lon) <= SAME_PLACE_KM
                if other.key not in dropped and close:
                    keep.aliases |= other.aliases
                    keep.population = max(keep.population, other.population)
                    dropped.add(other.key)
    return [p for p in places if p.key not in dropped]


def assign_cities(places: list[Place]) -> None:
    """A district belongs to the biggest place of its municipality within ``CITY_KM``
    (else to the nearest one)."""
    by_municipality: dict[str, list[Place]] = defaultdict(list)
    for place in places:
        if not place.is_district:
            by_municipality[place.municipality].append(place)
    for district in (p for p in places if p.is_district):
        towns = by_municipality[district.municipality]
        around = [
            t for t in towns if haversine_km(district.lat, district.lon, t.lat, t.lon) <= CITY_KM
        ]
        if around:
            city = max(around, key=lambda t: (t.population, -FEATURE_RANK.get(t.feature, 9)))
        else:
            city = nearest(towns, district.lat, district.lon)[1]
        district.city = city.name


def slug(text: str) -> str:
    """``'s-Heerenberg`` -> ``s-heerenberg``."""
    return normalise(text).replace(" ", "-")


#: A postcode's candidate places, and whether they matched by alias only.
Candidates = tuple[list[Place], bool]


def base_locality(locality: str) -> str:
    """``Hengelo (Gld)`` -> ``Hengelo``."""
    return _QUALIFIER_RE.sub("", locality)


class PlaceIndex:
    """Places by normalised name and by normalised alias; districts apart (a postcode names a
    village or town, a district only when nothing else has the name)."""

    def __init__(self, places: Iterable[Place]) -> None:
        self.by_name: dict[str, list[Place]] = defaultdict(list)
        self.by_district_name: dict[str, list[Place]] = defaultdict(list)
        self.by_alias: dict[str, list[Place]] = defaultdict(list)
        self.by_key: dict[str, Place] = {}
        municipalities: set[str] = set()
        for place in places:
            self.by_key[place.key] = place
            municipalities.add(normalise(place.municipality))
            if place.is_district:
                self.by_district_name[normalise(place.name)].append(place)
                continue
            self.by_name[normalise(place.name)].append(place)
            for alias in {normalise(a) for a in place.aliases}:
                self.by_alias[alias].append(place)
        self.municipalities = sorted(municipalities, key=lambda name: (-len(name), name))

    def candidates(self, locality: str) -> Candidates:
        """Places called ``locality``; aliases only when no place has it as its name; and
        without a trailing municipality name ("Hoogvliet Rotterdam") when nothing matches."""
        key = normalise(base_locality(locality))
        found = self._candidates(key)
        if not found[0]:
            found = self._candidates(self._without_municipality(key))
        return found

    def _candidates(self, key: str) -> Candidates:
        if key in self.by_name:
            return self.by_name[key], False
        if key in self.by_district_name:
            return self.by_district_name[key], False
        return self.by_alias.get(key, []), True

    def _without_municipality(self, key: str) -> str:
        for municipality in self.municipalities:
            if key.endswith(f" {municipality}"):
                return key.removesuffix(f" {municipality}")
        return key

    def in_municipality(self, key: str, municipality: str) -> Place | None:
        """The place with normalised name ``key`` in ``municipality``, if there is one."""
        return next((p for p in self.by_name.get(key, []) if p.municipality == municipality), None)


def numeric_neighbours(code: str, known: dict[str, Place], count: int) -> list[str]:
    """The ``count`` codes of ``known`` numerically nearest to ``code`` in its 2-digit region
    (anywhere, if none of that region is known)."""
    others = [other for other in known if other != code]
    region = [other for other in others if other[:2] == code[:2]] or others
    return sorted(region, key=lambda other: (abs(int(other) - int(code)), other))[:count]


def distance_to_neighbours(code: str, place: Place, known: dict[str, Place]) -> float:
    """How far ``place`` lies from the nearest place of the neighbouring postcodes."""
    neighbours = numeric_neighbours(code, known, NEIGHBOURS_FOR_MATCH)
    return min(
        (haversine_km(place.lat, place.lon, known[n].lat, known[n].lon) for n in neighbours),
        default=math.inf,
    )


def choose_candidate(code: str, candidates: Candidates, known: dict[str, Place]) -> Place | None:
    """The candidate nearest to the neighbouring postcodes' places, if close enough."""
    places, by_alias = candidates
    limit = MAX_ALIAS_MATCH_KM if by_alias else MAX_MATCH_KM
    scored = [(distance_to_neighbours(code, place, known), place) for place in places]
    distance, place = min(scored, key=lambda pair: pair[0], default=(math.inf, None))
    return place if distance <= limit else None


def town_key(row: PostcodeRow) -> tuple[str, str]:
    """A place name within a 3-digit postcode block (Hoorn 162x is not Hoorn 8896)."""
    return normalise(row.locality), row.postcode[:3]


def resolve_postcodes(rows: list[PostcodeRow], index: PlaceIndex) -> dict[str, Place]:
    """Postcode -> GeoNames place, for the postcodes whose place GeoNames has.

    A town with ``TOWN_POSTCODES`` or more postcodes in one 3-digit block and a single
    candidate is taken as it is, and so are the ``POSTCODE_PLACES``. Other unambiguous
    names seed the neighbourhood; each round keeps the matches that lie near the places of
    the numerically neighbouring postcodes, and re-judges every postcode against those.
    """
    candidates = {row.postcode: index.candidates(row.locality) for row in rows}
    sizes = Counter(town_key(row) for row in rows)
    towns = {
        row.postcode: candidates[row.postcode][0][0]
        for row in rows
        if sizes[town_key(row)] >= TOWN_POSTCODES and len(candidates[row.postcode][0]) == 1
    }
    towns |= {code: index.by_key[key] for code, key in POSTCODE_PLACES.items()}
    resolved = towns | {
        code: places[0]
        for code, (places, by_alias) in candidates.items()
        if len(places) == 1 and not by_alias
    }
    for _ in range(MATCH_ROUNDS):
        known = resolved
        resolved = dict(towns)
        for code, cands in candidates.items():
            choice = None if code in towns else choose_candidate(code, cands, known)
            if choice is not None:
                resolved[code] = choice
    return resolved


def approximate_position(
    codes: list[str], resolved: dict[str, Place], centres: dict[str, tuple[float, float]]
) -> tuple[str, float, float]:
    """(municipality, lat, lon) for the postcodes of one place GeoNames lacks.

    For each postcode, the nearest resolved postcodes (numerically, in the same 2-digit
    region) name up to ``NEIGHBOURS_FOR_APPROXIMATION`` distinct places, each voting for
    its municipality with weight 1 / (difference in postcode). ``POSTCODE_MUNICIPALITY``
    overrides the vote. The position is the mean of the voting places in that municipality,
    else the municipality's centre, else the mean of all voting places.
    """
    voters: dict[str, Place] = {}
    votes: Counter[str] = Counter()
    for code in codes:
        for place, weight in neighbour_places(code, resolved):
            voters[place.key] = place
            votes[place.municipality] += weight
    known = [POSTCODE_MUNICIPALITY[code] for code in codes if code in POSTCODE_MUNICIPALITY]
    municipality = known[0] if known else votes.most_common(1)[0][0]
    members = [place for place in voters.values() if place.municipality == municipality]
    if not members and municipality in centres:
        return (municipality, *centres[municipality])
    members = members or list(voters.values())
    return (
        municipality,
        statistics.fmean(p.lat for p in members),
        statistics.fmean(p.lon for p in members),
    )


def neighbour_places(code: str, resolved: dict[str, Place]) -> list[tuple[Place, float]]:
    """Up to ``NEIGHBOURS_FOR_APPROXIMATION`` distinct places of the numerically nearest
    resolved postcodes, each weighted 1 / (difference in postcode) of its nearest one."""
    voters: dict[str, tuple[Place, float]] = {}
    for neighbour in numeric_neighbours(code, resolved, len(resolved)):
        place = resolved[neighbour]
        if place.key not in voters:
            if len(voters) == NEIGHBOURS_FOR_APPROXIMATION:
                break
            voters[place.key] = (place, 1 / abs(int(neighbour) - int(code)))
    return list(voters.values())


def municipality_centres(places: Iterable[Place]) -> dict[str, tuple[float, float]]:
    """Mean position of each municipality's exact places."""
    members: dict[str, list[Place]] = defaultdict(list)
    for place in places:
        if not place.approximate and not place.is_district:
            members[place.municipality].append(place)
    return {
        name: (statistics.fmean(p.lat for p in group), statistics.fmean(p.lon for p in group))
        for name, group in members.items()
    }


def postcode_only_places(
    rows: list[PostcodeRow], resolved: dict[str, Place], index: PlaceIndex
) -> dict[str, Place]:
    """Places for the postcodes left unresolved: one per place name and 2-digit region.

    A GeoNames place of that name in the estimated municipality is used as it is;
    otherwise a new, approximate place gets the estimated position.
    """
    groups: dict[tuple[str, str], list[PostcodeRow]] = defaultdict(list)
    for row in rows:
        if row.postcode not in resolved:
            groups[(normalise(base_locality(row.locality)), row.postcode[:2])].append(row)
    centres = municipality_centres(index.by_key.values())
    extra: dict[str, Place] = {}
    for (name, _), members in groups.items():
        codes = [row.postcode for row in members]
        municipality, lat, lon = approximate_position(codes, resolved, centres)
        place = index.in_municipality(name, municipality) or new_place(
            members, municipality, lat, lon
        )
        extra.update(dict.fromkeys(codes, place))
    return extra


def new_place(members: list[PostcodeRow], municipality: str, lat: float, lon: float) -> Place:
    """An approximate place for postcodes whose place GeoNames lacks; keyed on its first one."""
    name = base_locality(members[0].locality)
    aliases = {row.locality for row in members} - {name}
    return Place(f"pp:{members[0].postcode}", name, municipality, lat, lon, 0, aliases, True)


def add_postcode_aliases(rows: Iterable[PostcodeRow], resolved: dict[str, Place]) -> None:
    """The postcode table's spelling becomes an alias of the place it resolved to."""
    for row in rows:
        place = resolved[row.postcode]
        if normalise(row.locality) != normalise(place.name):
            place.aliases.add(row.locality)


def municipality_entries(places: Iterable[Place]) -> list[Place]:
    """One entry per municipality at the mean position of its places, districts left out (of
    its exact places when it has any; it is approximate when it has none)."""
    members: dict[str, list[Place]] = defaultdict(list)
    for place in places:
        if not place.is_district:
            members[place.municipality].append(place)
    entries = []
    for name, group in members.items():
        exact = [p for p in group if not p.approximate]
        used = exact or group
        entries.append(
            Place(
                f"gm:{slug(name)}",
                name,
                name,
                statistics.fmean(p.lat for p in used),
                statistics.fmean(p.lon for p in used),
                sum(p.population for p in group),
                approximate=not exact,
            )
        )
    return entries


def place_row(place: Place, kind: str, provinces: dict[str, str]) -> dict[str, object]:
    """A ``places.csv`` row."""
    return {
        "key": place.key,
        "name": place.name,
        "municipality": place.municipality,
        "province": provinces[place.municipality],
        "lat": f"{place.lat:.5f}",
        "lon": f"{place.lon:.5f}",
        "kind": kind,
        "approximate": int(place.approximate),
        "population": place.population,
        "aliases": "|".join(sorted(place.aliases - {place.name})),
        "city": place.city,
    }


def postcode_row(code: str, place: Place, provinces: dict[str, str]) -> dict[str, object]:
    """A ``postcodes.csv`` row."""
    return {
        "postcode": code,
        "place": place.name,
        "municipality": place.municipality,
        "province": provinces[place.municipality],
        "lat": f"{place.lat:.5f}",
        "lon": f"{place.lon:.5f}",
        "approximate": int(place.approximate),
        "place_key": place.key,
    }


def write_csv(path: Path, rows: list[dict[str, object]]) -> None:
    """Write rows with a header, LF line ends, UTF-8."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def gazetteer_places(geo_rows: list[GeoRow]) -> list[Place]:
    """The GeoNames places in today's municipalities, each once, districts with their city."""
    places = geonames_places(geo_rows)
    fill_missing_municipalities(places)
    places = merge_duplicates(places)
    assign_cities(places)
    for place, other in municipality_suspects(places):
        print(f"check: {place.key} {place.name} in {place.municipality}; neighbours: {other}")
    return places


def build(geonames: Path, postcodes: Path, out_dir: Path) -> None:
    """Read the two sources and write ``places.csv`` and ``postcodes.csv``."""
    geo_rows = read_geonames(geonames)
    provinces = province_by_municipality(geo_rows)
    places = gazetteer_places(geo_rows)
    postcode_rows = read_postcodes(postcodes)
    index = PlaceIndex(places)
    resolved = resolve_postcodes(postcode_rows, index)
    resolved.update(postcode_only_places(postcode_rows, resolved, index))
    add_postcode_aliases(postcode_rows, resolved)
    places += sorted(
        {p.key: p for p in resolved.values() if p.approximate}.values(), key=lambda p: p.key
    )
    place_rows = [place_row(p, "place", provinces) for p in places]
    place_rows += [place_row(m, "municipality", provinces) for m in municipality_entries(places)]
    place_rows.sort(key=lambda row: (row["kind"], normalise(str(row["name"])), row["key"]))
    code_rows = [postcode_row(r.postcode, resolved[r.postcode], provinces) for r in postcode_rows]
    write_csv(out_dir / "places.csv", place_rows)
    write_csv(out_dir / "postcodes.csv", code_rows)
    report(place_rows, code_rows)


def report(place_rows: list[dict[str, object]], postcode_rows: list[dict[str, object]]) -> None:
    """Print the counts a reviewer wants to see."""
    for name, rows in (("places.csv", place_rows), ("postcodes.csv", postcode_rows)):
        kinds = Counter((row.get("kind", "postcode"), row["approximate"]) for row in rows)
        summary = ", ".join(
            f"{kind} {'approximate' if approx else 'exact'}: {count}"
            for (kind, approx), count in sorted(kinds.items())
        )
        print(f"{name}: {len(rows)} rows ({summary})")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options (all paths have working defaults, see the module doc)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--geonames",
        type=Path,
        default=DEFAULT_GEONAMES,
        help="GeoNames NL-populated-and-admin.txt (default: %(default)s)",
    )
    parser.add_argument(
        "--site-packages",
        type=Path,
        default=DEFAULT_SITE_PACKAGES,
        help="where countrystatecity-postal-codes is installed",
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Build the gazetteer files."""
    args = parse_args(argv)
    postcodes = "countrystatecity_postal_codes/data/by-country/NL/postcodes.json"
    build(args.geonames, args.site_packages / postcodes, args.out)


if __name__ == "__main__":
    main()
