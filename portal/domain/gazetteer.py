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
3. ``"Roggel, Leudal"`` or ``"Roggel (Leudal)"`` keeps only the candidates in that
   municipality (or province).
4. Several candidates: the best one is chosen only when the choice is clear —
   a municipality entry gives way to its own seat of the same name ("Raalte" the village),
   a municipality seat beats namesakes elsewhere ("Hengelo" is the one in Overijssel),
   and a place at least ten times bigger than every other namesake wins — unless one of
   them is approximate (its size is unknown). Otherwise ``best`` is None and the caller
   shows ``candidates`` (with their municipality).

Approximate entries (``approximate=True``) are places the postcode table names but GeoNames
lacks (Roggel): their position is estimated from neighbouring postcodes, and several of them
can share one estimated point. ``nearest_place`` therefore only returns exact places, so a
coarsened point is always labelled with a real village centre.
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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

PLACE = "place"
MUNICIPALITY = "municipality"
POSTCODE = "postcode"

#: A place is "much bigger" than its namesakes at this population ratio.
DOMINANCE_RATIO = 10

_POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s*(?:[a-zA-Z]{2})?\s*$")
_QUALIFIED_RE = re.compile(r"^(?P<name>[^,()]+?)\s*(?:,\s*(?P<a>[^,()]+)|\((?P<b>[^()]+)\))\s*$")
_APOSTROPHES = str.maketrans("", "", "'`\u2019\u2018\u00b4")  # apostrophe look-alikes
_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")
_GRID_DEG = 0.1
_NEAR_TIE = 1.05  # projected distances² this close to the best are re-ranked by haversine
_EARTH_RADIUS_KM = 6371.0088


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

    @property
    def label(self) -> str:
        """Human label: ``Roggel (Leudal)``, ``6088 Roggel (Leudal)``, ``Raalte`` (the seat),
        ``Leudal (gemeente)``."""
        if self.kind == MUNICIPALITY:
            return f"{self.name} (gemeente)"
        prefix = f"{self.postcode} " if self.postcode else ""
        if normalise(self.name) == normalise(self.municipality):
            return f"{prefix}{self.name}"
        if normalise(self.name) == _bare(self.municipality):
            return f"{prefix}{self.municipality}"  # Bergen in Bergen (NH): "Bergen (NH)"
        return f"{prefix}{self.name} ({self.municipality})"

    @property
    def is_seat(self) -> bool:
        """True for a place that carries its municipality's name (Raalte in Raalte)."""
        return self.kind == PLACE and normalise(self.name) == _bare(self.municipality)


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


def _pick_best(candidates: list[GazetteerEntry]) -> GazetteerEntry | None:
    """Choose the clear winner among same-named candidates, or None (see module doc)."""
    places = [entry for entry in candidates if entry.kind != MUNICIPALITY]
    if len(candidates) == 1 or not places:
        return candidates[0] if len(candidates) == 1 else None
    if len(places) == 1:
        seat_of_own = all(m.name == places[0].municipality for m in candidates if m not in places)
        return places[0] if seat_of_own else None
    seats = [entry for entry in places if entry.is_seat]
    if len(seats) == 1:
        return seats[0]
    if any(entry.population <= 0 for entry in places):
        return None  # an approximate place's size is unknown: it may be the bigger one
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
            return EMPTY
        ordered = sorted(candidates, key=_candidate_order)
        return Lookup(best=_pick_best(ordered), candidates=tuple(ordered))

    def _name_candidates(self, key: str) -> list[GazetteerEntry]:
        if not key:
            return []
        return list(self._by_name.get(key) or self._by_alias.get(key) or [])

    def _qualified_candidates(self, query: str) -> list[GazetteerEntry]:
        """``Roggel, Leudal`` / ``Roggel (Leudal)``: the name within a municipality or province."""
        match = _QUALIFIED_RE.match(query)
        if not match:
            return []
        area = normalise(match.group("a") or match.group("b") or "")
        return [
            entry
            for entry in self._name_candidates(normalise(match.group("name")))
            if area
            in (normalise(entry.municipality), _bare(entry.municipality), normalise(entry.province))
        ]

    def suggest(self, prefix: str, limit: int = 8) -> list[GazetteerEntry]:
        """Autocomplete: places and municipalities whose name starts with ``prefix``, then
        the postcode areas whose code starts with it, or of the places found."""
        key = normalise(prefix or "")
        if not key or limit <= 0:
            return []
        found = sorted(self._names_starting_with(key), key=lambda e: _suggest_order(e, key))
        digits = key.replace(" ", "")
        if digits.isdigit():
            found += [e for e in self._postcode_list if (e.postcode or "").startswith(digits)]
        else:
            found += [pc for place in found for pc in self._postcodes_by_place.get(place.key, ())]
        return found[:limit]

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
        """The nearest exact (not approximate) entry of kind ``place``: coarsens a point to
        its village centre. Fast enough to call in bulk (a grid index)."""
        entry = self._grid.nearest(lat, lon)
        if entry is None:
            raise LookupError("the gazetteer has no places")
        return entry

    def village(self, entry: GazetteerEntry) -> GazetteerEntry:
        """The place an entry stands for: a place itself, a postcode area's place (Roggel for
        6088), a municipality's seat of the same name, else the exact place nearest to it."""
        if entry.kind == PLACE:
            return entry
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
        return seat or self.nearest_place(entry.lat, entry.lon)

    def places(self) -> list[GazetteerEntry]:
        """All places and municipalities (not the postcode areas)."""
        return list(self._places)

    def postcodes(self) -> list[GazetteerEntry]:
        """All postcode areas, by postcode."""
        return [self._postcodes[code] for code in sorted(self._postcodes)]


def _candidate_order(entry: GazetteerEntry) -> tuple[int, int, str]:
    """Places before municipalities, bigger first, then by municipality."""
    return (entry.kind == MUNICIPALITY, -entry.population, entry.municipality)


def _suggest_order(entry: GazetteerEntry, key: str) -> tuple[bool, bool, int, str]:
    """Exact names first, then places before municipalities, bigger first."""
    return (normalise(entry.name) != key, entry.kind == MUNICIPALITY, -entry.population, entry.name)


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer shipped in ``portal/data`` (loaded once per process)."""
    return Gazetteer.from_directory(DATA_DIR)
