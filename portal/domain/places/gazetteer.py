"""The offline gazetteer: Dutch places, municipalities and 4-digit postcode areas.

Request-free and Flask-free: it reads ``portal/data/places.csv`` and
``portal/data/postcodes.csv`` (built by ``scripts/build_gazetteer.py``) and answers
look-ups, autocomplete and nearest-place questions from memory.

Place data © GeoNames (CC BY 4.0); the postcode table is ODbL 1.0 (see
``portal/data/README.md``).

How a name is resolved (``Gazetteer.lookup``):

1. ``"6088"``, ``"6088 AB"`` and ``"6088AB"`` resolve to the 4-digit postcode area.
2. Otherwise the text is normalised (case, accents and punctuation ignored) and matched
   against the names of places and municipalities; only when nothing matches by name,
   against aliases (``Den Bosch``, ``'s-Gravenhage``, Dutch or Frisian spellings, ...).
3. ``"Roggel, Leudal"``, ``"Roggel (Leudal)"`` or ``"Hatert Nijmegen"`` keeps only the
   candidates in that municipality, city or province.
4. Several candidates: the best one is chosen only when the choice is clear —
   a municipality entry gives way to its own seat of the same name ("Raalte" the village),
   a municipality seat beats namesakes elsewhere ("Hengelo" is the one in Overijssel),
   the only namesake with postcodes of its own beats hamlets and districts ("Heibloem" is
   the village in Leudal), and a place at least ten times bigger than every other namesake
   wins — unless the size of one of them is unknown. Otherwise ``best`` is None and the
   caller shows ``candidates`` (with their municipality).

Districts (PPLX in GeoNames: Hatert, Dukenburg) are places with a ``city``; their label is
``Hatert (Nijmegen)``.

Where a point lies (``Gazetteer.place_at``): there are no boundary polygons offline. A point
within the core of a village, town or district (``CORE_KM`` around its point, more for a
town) belongs to the nearest such place: a click anywhere in Roggel is Roggel, not the
buurtschap Mortel 700 m from its centre, and a click in Hatert is Hatert (Nijmegen). Outside
every core, the municipality is the one the nearest places vote for (each weighted by
1 / distance²), and the point belongs to the nearest place of it, a hamlet included.

Approximate entries (``approximate=True``) are the few places the postcode table names but
GeoNames lacks: their position is estimated from neighbouring postcodes. ``place_at`` and
``nearest_place`` only return exact places, so a coarsened point is always labelled with a
real village centre.
"""

from __future__ import annotations

import bisect
import csv
import functools
import itertools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[2] / "data"

PLACE = "place"
MUNICIPALITY = "municipality"
POSTCODE = "postcode"

#: A place is "much bigger" than its namesakes at this population ratio.
DOMINANCE_RATIO = 10

#: The municipality of a point: its nearest places within ``VOTE_KM`` vote, each with weight
#: 1 / distance² (the distance counted as at least ``MIN_VOTE_KM``).
VOTERS = 5
VOTE_KM = 5.0
MIN_VOTE_KM = 0.3
#: How far a point is looked at around (beyond it, the nearest place anywhere).
SEARCH_KM = 12.0
#: The core of a village (or district) around its point; a town's is bigger. Inside it, the
#: village beats hamlets and buurtschappen that GeoNames lists within its built-up area.
CORE_KM = 0.8
TOWN_CORE_KM = 1.5
TOWN_POPULATION = 10_000
#: A place of this size is a village even without a postcode of its own.
VILLAGE_POPULATION = 1_000

_POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s*(?:[a-zA-Z]{2})?\s*$")
_QUALIFIED_RE = re.compile(r"^(?P<name>[^,()]+?)\s*(?:,\s*(?P<a>[^,()]+)|\((?P<b>[^()]+)\))\s*$")
_APOSTROPHES = str.maketrans("", "", "'`\u2019\u2018\u00b4")  # apostrophe look-alikes
_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")
_GRID_DEG = 0.1
_NEAR_TIE = 1.05  # projected distances² this close to the best are re-ranked by haversine
_EARTH_RADIUS_KM = 6371.0088
_KM_PER_DEGREE = 111.19


def normalise(text: str) -> str:
    """Fold case, accents and punctuation: ``'s-Hertogenbosch`` -> ``s hertogenbosch``.

    ``St.`` / ``St`` is read as ``Sint`` so "St. Michielsgestel" finds "Sint-Michielsgestel".
    """
    plain = text.translate(_APOSTROPHES)
    if not plain.isascii():
        decomposed = unicodedata.normalize("NFKD", plain)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _NON_ALNUM_RE.sub(" ", plain.casefold()).split()
    return " ".join("sint" if word == "st" else word for word in words)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class GazetteerEntry:
    """One place, municipality or postcode area with its (centre) coordinates."""

    key: str
    name: str
    municipality: str
    province: str
    lat: float
    lon: float
    kind: str  # PLACE | MUNICIPALITY | POSTCODE
    approximate: bool
    postcode: str | None = None
    population: int = 0  # GeoNames population; 0 when unknown (approximate places)
    place_key: str | None = None  # for a postcode area: the key of its place
    city: str = ""  # for a district: its city (Hatert -> Nijmegen)

    @property
    def label(self) -> str:
        """Human label: ``Roggel (Leudal)``, ``6088 Roggel (Leudal)``, ``Raalte`` (the seat),
        ``Leudal (gemeente)``, ``Hatert (Nijmegen)`` (a district of its city)."""
        if self.kind == MUNICIPALITY:
            return f"{self.name} (gemeente)"
        prefix = f"{self.postcode} " if self.postcode else ""
        if self.city:
            return f"{prefix}{self.name} ({self.city})"
        if normalise(self.name) == normalise(self.municipality):
            return f"{prefix}{self.name}"
        if normalise(self.name) == _bare(self.municipality):
            return f"{prefix}{self.municipality}"  # Bergen in Bergen (NH): "Bergen (NH)"
        return f"{prefix}{self.name} ({self.municipality})"

    @property
    def is_seat(self) -> bool:
        """True for a place that carries its municipality's name (Raalte in Raalte)."""
        return self.kind == PLACE and normalise(self.name) == _bare(self.municipality)

    @property
    def is_district(self) -> bool:
        """True for a district of a city (Hatert in Nijmegen)."""
        return bool(self.city)

    def areas(self) -> set[str]:
        """The normalised names that may qualify this entry: municipality, city, province."""
        names = (self.municipality, self.city, self.province)
        return {normalise(name) for name in names if name} | {_bare(self.municipality)}


@dataclass(frozen=True)
class Lookup:
    """The answer to a look-up: a clear ``best`` match, or None with the ``candidates``."""

    best: GazetteerEntry | None
    candidates: tuple[GazetteerEntry, ...]

    @property
    def ambiguous(self) -> bool:
        """True when there are candidates but no clear best one."""
        return self.best is None and bool(self.candidates)


EMPTY = Lookup(best=None, candidates=())


def _bare(municipality: str) -> str:
    """Normalised municipality name without a qualifier: ``Bergen (NH)`` -> ``bergen``."""
    return normalise(municipality.split("(", maxsplit=1)[0])


def _pick_best(
    candidates: list[GazetteerEntry], postal: Collection[str] = ()
) -> GazetteerEntry | None:
    """Choose the clear winner among same-named candidates, or None (see module doc).
    ``postal`` holds the keys of the places with a postcode area of their own."""
    places = [entry for entry in candidates if entry.kind != MUNICIPALITY]
    if len(candidates) == 1 or not places:
        return candidates[0] if len(candidates) == 1 else None
    if len(places) == 1:
        seat_of_own = all(m.name == places[0].municipality for m in candidates if m not in places)
        return places[0] if seat_of_own else None
    for rule in (lambda entry: entry.is_seat, lambda entry: entry.key in postal):
        chosen = [entry for entry in places if rule(entry)]
        if len(chosen) == 1:
            return chosen[0]
    return _much_bigger(places)


def _much_bigger(places: list[GazetteerEntry]) -> GazetteerEntry | None:
    """The place at least ``DOMINANCE_RATIO`` times bigger than every namesake, if any."""
    if any(entry.population <= 0 for entry in places):
        return None  # a place's size is unknown: it may be the bigger one
    ranked = sorted(places, key=lambda entry: entry.population, reverse=True)
    if ranked[0].population >= DOMINANCE_RATIO * ranked[1].population:
        return ranked[0]
    return None


def _grid_cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / _GRID_DEG), math.floor(lon / _GRID_DEG)


class _GridIndex:
    """Points bucketed in 0.1° cells; nearest search walks rings of cells outwards.

    Distances are compared on a local equirectangular projection around the query point
    (exact enough to rank places a few kilometres apart, and much cheaper than haversine).
    """

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self._cells: dict[tuple[int, int], list[tuple[float, float, GazetteerEntry]]] = defaultdict(
            list
        )
        for entry in entries:
            self._cells[_grid_cell(entry.lat, entry.lon)].append((entry.lat, entry.lon, entry))
        rows = [row for row, _ in self._cells] or [0]
        cols = [col for _, col in self._cells] or [0]
        self._bounds = (min(rows), max(rows), min(cols), max(cols))

    def nearest(self, lat: float, lon: float) -> GazetteerEntry | None:
        """The entry nearest to the point, or None when the index is empty."""
        row, col = _grid_cell(lat, lon)
        x_scale = max(math.cos(math.radians(lat)), 0.01)
        seen: list[tuple[float, GazetteerEntry]] = []
        best_d2 = math.inf
        for ring in range(self._rings_needed(row, col) + 1):
            for p_lat, p_lon, entry in self._ring_entries(row, col, ring):
                d2 = (p_lat - lat) ** 2 + ((p_lon - lon) * x_scale) ** 2
                if d2 <= best_d2 * _NEAR_TIE:
                    seen.append((d2, entry))
                    best_d2 = min(best_d2, d2)
            # Anything beyond this ring lies at least `ring` whole cells away.
            if seen and best_d2 * _NEAR_TIE <= (ring * _GRID_DEG * x_scale) ** 2:
                break
        ties = [entry for d2, entry in seen if d2 <= best_d2 * _NEAR_TIE]
        return min(ties, key=lambda e: haversine_km(lat, lon, e.lat, e.lon), default=None)

    def within(self, lat: float, lon: float, km: float) -> list[tuple[float, GazetteerEntry]]:
        """The entries within ``km`` of the point with their distance, nearest first."""
        dlat = km / _KM_PER_DEGREE
        dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
        row_range = range(
            math.floor((lat - dlat) / _GRID_DEG), math.floor((lat + dlat) / _GRID_DEG) + 1
        )
        col_range = range(
            math.floor((lon - dlon) / _GRID_DEG), math.floor((lon + dlon) / _GRID_DEG) + 1
        )
        found = [
            (haversine_km(lat, lon, p_lat, p_lon), entry)
            for row in row_range
            for col in col_range
            for p_lat, p_lon, entry in self._cells.get((row, col), ())
        ]
        return sorted(
            ((d, entry) for d, entry in found if d <= km), key=lambda pair: (pair[0], pair[1].key)
        )

    def _rings_needed(self, row: int, col: int) -> int:
        rmin, rmax, cmin, cmax = self._bounds
        return max(abs(row - rmin), abs(row - rmax), abs(col - cmin), abs(col - cmax))

    def _ring_entries(
        self, row: int, col: int, ring: int
    ) -> Iterable[tuple[float, float, GazetteerEntry]]:
        rmin, rmax, cmin, cmax = self._bounds
        for r in range(max(row - ring, rmin), min(row + ring, rmax) + 1):
            step = 1 if abs(r - row) == ring else 2 * ring
            for c in range(col - ring, col + ring + 1, step):
                if cmin <= c <= cmax:
                    yield from self._cells.get((r, c), ())


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return [dict(zip(header, row, strict=True)) for row in reader]


def _place_from_row(row: dict[str, str]) -> tuple[GazetteerEntry, list[str]]:
    entry = GazetteerEntry(
        key=row["key"],
        name=row["name"],
        municipality=row["municipality"],
        province=row["province"],
        lat=float(row["lat"]),
        lon=float(row["lon"]),
        kind=row["kind"],
        approximate=row["approximate"] == "1",
        population=int(row["population"] or 0),
        city=row.get("city", ""),
    )
    return entry, row["aliases"].split("|") if row["aliases"] else []


def _postcode_from_row(row: dict[str, str]) -> GazetteerEntry:
    return GazetteerEntry(
        key=f"pc:{row['postcode']}",
        name=row["place"],
        municipality=row["municipality"],
        province=row["province"],
        lat=float(row["lat"]),
        lon=float(row["lon"]),
        kind=POSTCODE,
        approximate=row["approximate"] == "1",
        postcode=row["postcode"],
        place_key=row["place_key"] or None,
    )


class Gazetteer:
    """In-memory indexes over the places, municipalities and postcode areas."""

    def __init__(
        self,
        places: Iterable[tuple[GazetteerEntry, Iterable[str]]],
        postcodes: Iterable[GazetteerEntry],
    ) -> None:
        """Index ``places`` (each with its aliases) and ``postcodes``."""
        self._by_name: dict[str, list[GazetteerEntry]] = defaultdict(list)
        self._by_alias: dict[str, list[GazetteerEntry]] = defaultdict(list)
        self._by_key: dict[str, GazetteerEntry] = {}
        for entry, aliases in places:
            self._add_place(entry, aliases)
        self._postcodes = {entry.postcode: entry for entry in postcodes if entry.postcode}
        self._by_key.update({entry.key: entry for entry in self._postcodes.values()})
        self._places = [e for e in self._by_key.values() if e.kind != POSTCODE]
        self._grid = _GridIndex(e for e in self._places if e.kind == PLACE and not e.approximate)
        self._sorted_names = sorted(self._by_name)
        self._postcode_list = self.postcodes()
        self._postcodes_by_place: dict[str, list[GazetteerEntry]] = defaultdict(list)
        for entry in self._postcode_list:
            self._postcodes_by_place[entry.place_key or ""].append(entry)
        self._postal = frozenset(self._postcodes_by_place) - {""}

    def _add_place(self, entry: GazetteerEntry, aliases: Iterable[str]) -> None:
        self._by_key[entry.key] = entry
        own = normalise(entry.name)
        self._by_name[own].append(entry)
        for alias in {normalise(alias) for alias in aliases} - {own, ""}:
            self._by_alias[alias].append(entry)

    @classmethod
    def from_directory(cls, directory: Path = DATA_DIR) -> Gazetteer:
        """Load ``places.csv`` and ``postcodes.csv`` from ``directory``."""
        places = [_place_from_row(row) for row in _read_rows(directory / "places.csv")]
        postcodes = [_postcode_from_row(row) for row in _read_rows(directory / "postcodes.csv")]
        return cls(places, postcodes)

    def lookup(self, query: str) -> Lookup:
        """Resolve a postcode, place or municipality name (see the module doc)."""
        postcode = _POSTCODE_RE.match(query or "")
        if postcode:
            entry = self._postcodes.get(postcode.group(1))
            return Lookup(best=entry, candidates=(entry,)) if entry else EMPTY
        candidates = self._name_candidates(normalise(query or ""))
        if not candidates:
            candidates = self._qualified_candidates(query or "")
        if not candidates:
            candidates = self._trailing_area_candidates(normalise(query or ""))
        if not candidates:
            return EMPTY
        ordered = sorted(candidates, key=_candidate_order)
        return Lookup(best=_pick_best(ordered, self._postal), candidates=tuple(ordered))

    def _name_candidates(self, key: str) -> list[GazetteerEntry]:
        if not key:
            return []
        return list(self._by_name.get(key) or self._by_alias.get(key) or [])

    def _qualified_candidates(self, query: str) -> list[GazetteerEntry]:
        """``Roggel, Leudal`` / ``Hatert (Nijmegen)``: the name within a municipality, city or
        province."""
        match = _QUALIFIED_RE.match(query)
        if not match:
            return []
        area = normalise(match.group("a") or match.group("b") or "")
        return self._in_area(normalise(match.group("name")), area)

    def _trailing_area_candidates(self, key: str) -> list[GazetteerEntry]:
        """``Hatert Nijmegen`` / ``Roggel Leudal``: a name followed by its area without a comma
        (the longest name that leaves an area is tried first)."""
        words = key.split()
        for cut in range(len(words) - 1, 0, -1):
            found = self._in_area(" ".join(words[:cut]), " ".join(words[cut:]))
            if found:
                return found
        return []

    def _in_area(self, name: str, area: str) -> list[GazetteerEntry]:
        if not area:
            return []
        return [entry for entry in self._name_candidates(name) if area in entry.areas()]

    def suggest(self, prefix: str, limit: int = 8) -> list[GazetteerEntry]:
        """Autocomplete: places and municipalities whose name starts with ``prefix``, then
        the postcode areas whose code starts with it, or of the places found."""
        key = normalise(prefix or "")
        if not key or limit <= 0:
            return []
        found = sorted(self._names_starting_with(key), key=lambda e: self._suggest_order(e, key))
        digits = key.replace(" ", "")
        if digits.isdigit():
            found += [e for e in self._postcode_list if (e.postcode or "").startswith(digits)]
        else:
            found += [pc for place in found for pc in self._postcodes_by_place.get(place.key, ())]
        return found[:limit]

    def _suggest_order(self, entry: GazetteerEntry, key: str) -> tuple[bool, bool, bool, int, str]:
        """Exact names first, then places before municipalities, villages (with postcodes of
        their own) before hamlets, bigger first."""
        return (
            normalise(entry.name) != key,
            entry.kind == MUNICIPALITY,
            entry.key not in self._postal,
            -entry.population,
            entry.name,
        )

    def _names_starting_with(self, key: str) -> list[GazetteerEntry]:
        start = bisect.bisect_left(self._sorted_names, key)
        matches: list[GazetteerEntry] = []
        for name in itertools.islice(self._sorted_names, start, None):
            if not name.startswith(key):
                break
            matches.extend(self._by_name[name])
        return matches

    def get(self, key: str) -> GazetteerEntry | None:
        """The entry with this key (``gn:…``, ``gm:…``, ``pc:6088``, …), or None."""
        return self._by_key.get(key)

    def nearest_place(self, lat: float, lon: float) -> GazetteerEntry:
        """The nearest exact (not approximate) entry of kind ``place``, of any size. Fast
        enough to call in bulk (a grid index). To file a point, use ``place_at``."""
        entry = self._grid.nearest(lat, lon)
        if entry is None:
            raise LookupError("the gazetteer has no places")
        return entry

    def place_at(self, lat: float, lon: float) -> GazetteerEntry:
        """The village or district a point lies in (see the module doc): the nearest village
        or district whose core the point lies in; else the village of the nearest place of
        the municipality its nearest places vote for."""
        around = self._grid.within(lat, lon, SEARCH_KM)
        if not around:
            return self.village_of(self.nearest_place(lat, lon))
        cores = [entry for d, entry in around if self._is_village(entry) and d <= _core_km(entry)]
        if cores:
            return cores[0]
        municipality = _voted_municipality(around)
        return self.village_of(
            next(entry for _, entry in around if entry.municipality == municipality)
        )

    def village_of(self, place: GazetteerEntry) -> GazetteerEntry:
        """A village or district itself; a hamlet's nearest village of its municipality.

        Everything is filed under villages and districts, never under a hamlet of a few
        dozen people: a resident's public point is the centre of the place they are filed
        under, and a hamlet's centre would come close to showing where they live.
        """
        if place.kind != PLACE or self._is_village(place):
            return place
        around = self._grid.within(place.lat, place.lon, SEARCH_KM)
        villages = [entry for _, entry in around if self._is_village(entry)]
        same = [entry for entry in villages if entry.municipality == place.municipality]
        return next(iter(same or villages), place)

    def _is_village(self, entry: GazetteerEntry) -> bool:
        """A village, town or district, not a hamlet: it has a postcode area of its own, or
        is a district, or has ``VILLAGE_POPULATION`` inhabitants."""
        return (
            entry.key in self._postal
            or entry.is_district
            or (entry.population >= VILLAGE_POPULATION)
        )

    def village(self, entry: GazetteerEntry) -> GazetteerEntry:
        """The place an entry stands for: a village or district itself (a hamlet: its village),
        a postcode area's place (Roggel for 6088), a municipality's seat of the same name, else
        the village the entry's point lies in."""
        if entry.kind == PLACE:
            return self.village_of(entry)
        if entry.kind == POSTCODE and entry.place_key in self._by_key:
            return self._by_key[entry.place_key]
        seat = next(
            (
                place
                for place in self._by_name.get(_bare(entry.name), ())
                if place.kind == PLACE and place.municipality == entry.municipality
            ),
            None,
        )
        return seat or self.place_at(entry.lat, entry.lon)

    def places(self) -> list[GazetteerEntry]:
        """All places and municipalities (not the postcode areas)."""
        return list(self._places)

    def postcodes(self) -> list[GazetteerEntry]:
        """All postcode areas, by postcode."""
        return [self._postcodes[code] for code in sorted(self._postcodes)]


def _voted_municipality(around: list[tuple[float, GazetteerEntry]]) -> str:
    """The municipality the nearest places (distance, entry; nearest first) vote for, each
    with weight 1 / distance²: the nearest count most, a stray GeoNames code is outvoted."""
    voters = [(d, e) for d, e in around[:VOTERS] if d <= VOTE_KM] or around[:1]
    votes: dict[str, float] = defaultdict(float)
    for distance, entry in voters:
        votes[entry.municipality] += 1 / max(distance, MIN_VOTE_KM) ** 2
    return max(sorted(votes), key=votes.__getitem__)


def _core_km(entry: GazetteerEntry) -> float:
    """How far a village's (or town's) built-up core reaches around its point."""
    return TOWN_CORE_KM if entry.population >= TOWN_POPULATION else CORE_KM


def _candidate_order(entry: GazetteerEntry) -> tuple[int, int, str, str]:
    """Places before municipalities, bigger first, then by municipality."""
    return (entry.kind == MUNICIPALITY, -entry.population, entry.municipality, entry.key)


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer shipped in ``portal/data`` (loaded once per process)."""
    return Gazetteer.from_directory(DATA_DIR)
