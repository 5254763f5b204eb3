"""Scoring a found row and explaining it in Dutch (weights and parts: see the package doc)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..catalogue.schedule import date_label, overlap, slot_label
from ..places.gazetteer import haversine_km
from .values import (
    FRESH_DAYS,
    HALF_DISTANCE_KM,
    MATERIAL,
    NEED,
    NEUTRAL,
    ORGANISATION,
    STALE_DAYS,
    WEIGHTS,
    Candidate,
    Found,
    Schedule,
    Subject,
)

SAME_PLACE = "zelfde dorp"
MATERIAL_WORDS = {"space": "ruimte", "money": "geld", "materials": "spullen"}


def dutch_km(distance_km: float) -> str:
    """A distance the Dutch way: "2,1 km", "35 km"; "< 0,1 km" in the same spot."""
    rounded = round(distance_km, 1)
    if rounded < 0.1:
        return "< 0,1 km"
    if rounded < 10:
        return f"{rounded:.1f}".replace(".", ",") + " km"
    return f"{round(rounded)} km"


# --- scoring and explaining ----------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """A found row with its score; explained only if it makes the top of its side."""

    found: Found
    distance_km: float
    shared: tuple[tuple[str, str], ...]
    parts: dict[str, float]
    score: float

    def rank(self) -> tuple:
        return (-self.score, self.distance_km, self.found.id)


def rank_candidate(candidate: Candidate) -> tuple:
    return (-candidate.score, candidate.distance_km, candidate.kind, candidate.id)


def score(subject: Subject, found: Found, now: datetime) -> Scored:
    """Score parts, weighted so that they add up to the score (each part is 0..weight)."""
    distance = round(haversine_km(subject.lat, subject.lon, found.lat, found.lon), 1)
    shared = tuple(theme for key, theme in subject.themes.items() if key in found.theme_ids)
    raw = {
        "distance": 1 / (1 + distance / HALF_DISTANCE_KM),
        "themes": len(shared) / len(subject.themes),
        "asks": _asks(subject, found),
        "time": _time(subject.schedule, found.schedule)[0],
        "freshness": _freshness(found.fresh_at, now),
        "load": _load(found.busy, found.max_open),
        "verified": 1.0 if found.verified else 0.0,
    }
    parts = {name: WEIGHTS[name] * value for name, value in raw.items()}
    return Scored(found, distance, shared, parts, sum(parts.values()))


def explain(side: str, subject: Subject, scored: Scored) -> Candidate:
    """The candidate as shown, with its Dutch explanation."""
    found = scored.found
    words = [
        _materials_text(subject, found),
        _distance_text(subject, found, scored.distance_km),
        _themes_text([label for _, label in scored.shared]),
        _time(subject.schedule, found.schedule)[1],
    ]
    if side == ORGANISATION and found.verified:
        words.append("geverifieerd")
    return Candidate(
        kind=side,
        id=found.id,
        title=found.title,
        place_name=found.place_name,
        distance_km=scored.distance_km,
        shared_themes=tuple(slug for slug, _ in scored.shared),
        score=round(scored.score, 4),
        score_parts={name: round(value, 4) for name, value in scored.parts.items()},
        explanation=" · ".join(word for word in words if word),
        listing_kind=found.listing_kind,
    )


def _asked_and_brought(subject: Subject, found: Found) -> tuple[frozenset, frozenset]:
    """What the need asks for and what the helping side brings, whichever the subject is."""
    if subject.kind == NEED:
        return subject.contributions, found.contributions
    return found.contributions, subject.contributions


def _asks(subject: Subject, found: Found) -> float:
    """The share of what the need asks for that the other side brings (unknown: neutral)."""
    asked, brought = _asked_and_brought(subject, found)
    if not asked or not brought:
        return NEUTRAL
    return len(asked & brought) / len(asked)


def _materials_text(subject: Subject, found: Found) -> str:
    """ "biedt spullen aan" / "vraagt geld": a material kind both sides name."""
    asked, brought = _asked_and_brought(subject, found)
    kinds = sorted(asked & brought & MATERIAL)
    if not kinds:
        return ""
    words = _join([MATERIAL_WORDS[kind] for kind in kinds])
    return f"biedt {words} aan" if subject.kind == NEED else f"vraagt {words}"


def _distance_text(subject: Subject, found: Found, distance_km: float) -> str:
    """ "zelfde dorp" within one village (residents share its centre), else the distance."""
    if subject.place_key and subject.place_key == found.place_key:
        return SAME_PLACE
    return dutch_km(distance_km)


def _time(subject: Schedule, candidate: Schedule) -> tuple[float, str]:
    """Shared day parts rank higher; a date or week with none in common ranks lower."""
    if not subject.slots or not candidate.slots:
        return NEUTRAL, ""
    if subject.day and candidate.day and subject.day != candidate.day:
        return 0.0, "andere datum"
    day = subject.day or candidate.day
    common = overlap(subject.slots, candidate.slots)
    if not common:
        return 0.0, f"niet op {date_label(day)}" if day else "andere dagdelen"
    score = 0.75 + 0.25 * len(common) / min(len(subject.slots), len(candidate.slots))
    if day:
        return score, f"kan op {date_label(day, common)}"
    return score, "beiden " + _join([slot_label(slot) for slot in common])


def _freshness(moment: datetime | None, now: datetime) -> float:
    """Confirmed within a month counts fully, fading to nothing after a year."""
    if moment is None:
        return NEUTRAL
    age_days = (now - moment).total_seconds() / 86400
    return min(max((STALE_DAYS - age_days) / (STALE_DAYS - FRESH_DAYS), 0.0), 1.0)


def _load(busy: int, max_open: int | None) -> float:
    """Work spreads over people: fewer open matches is better."""
    if max_open:
        return max(1 - busy / max_open, 0.0)
    return 1 / (1 + busy)


def _themes_text(labels: list[str]) -> str:
    if not labels:
        return ""
    names = _join([label.lower() for label in labels])
    return f"zelfde thema: {names}" if len(labels) == 1 else f"zelfde thema's: {names}"


def _join(words: list[str], most: int = 3) -> str:
    """ "a", "a en b", "a, b en c", "a, b, c en 2 meer"."""
    if len(words) > most:
        return ", ".join(words[:most]) + f" en {len(words) - most} meer"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " en " + words[-1]
