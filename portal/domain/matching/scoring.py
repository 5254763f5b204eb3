"""Scoring a found row and giving its reasons (weights and parts: see the package doc)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..catalogue.schedule import overlap
from ..places.gazetteer import haversine_km
from .explaining import explanation
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
    Reason,
    Schedule,
    Subject,
)

# --- scoring and explaining ----------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """A found row with its score; explained only if it makes the top of its side."""

    found: Found
    distance_km: float
    shared: tuple[tuple[str, str, str], ...]  # (slug, Dutch label, English label)
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
    """The candidate as shown, with its reasons (and their Dutch wording)."""
    found = scored.found
    reasons = (
        _materials(subject, found),
        _distance(subject, found, scored.distance_km),
        Reason("themes", tuple((nl, en) for _slug, nl, en in scored.shared))
        if scored.shared
        else None,
        _time(subject.schedule, found.schedule)[1],
        Reason("verified") if side == ORGANISATION and found.verified else None,
    )
    shown = tuple(reason for reason in reasons if reason is not None)
    return Candidate(
        kind=side,
        id=found.id,
        title=found.title,
        place_name=found.place_name,
        distance_km=scored.distance_km,
        shared_themes=tuple(slug for slug, _nl, _en in scored.shared),
        score=round(scored.score, 4),
        score_parts={name: round(value, 4) for name, value in scored.parts.items()},
        explanation=explanation(shown),
        listing_kind=found.listing_kind,
        reasons=shown,
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


def _materials(subject: Subject, found: Found) -> Reason | None:
    """ "biedt spullen aan" / "vraagt geld": a material kind both sides name."""
    asked, brought = _asked_and_brought(subject, found)
    kinds = tuple(sorted(asked & brought & MATERIAL))
    if not kinds:
        return None
    return Reason("offers" if subject.kind == NEED else "asks", kinds)


def _distance(subject: Subject, found: Found, distance_km: float) -> Reason:
    """ "zelfde dorp" within one village (residents share its centre), else the distance."""
    if subject.place_key and subject.place_key == found.place_key:
        return Reason("same_place")
    return Reason("distance", (distance_km,))


def _time(subject: Schedule, candidate: Schedule) -> tuple[float, Reason | None]:
    """Shared day parts rank higher; a date or week with none in common ranks lower."""
    if not subject.slots or not candidate.slots:
        return NEUTRAL, None
    if subject.day and candidate.day and subject.day != candidate.day:
        return 0.0, Reason("other_date")
    day = subject.day or candidate.day
    common = overlap(subject.slots, candidate.slots)
    if not common:
        return 0.0, Reason("not_on_date", (day.isoformat(),)) if day else Reason("other_slots")
    score = 0.75 + 0.25 * len(common) / min(len(subject.slots), len(candidate.slots))
    if day:
        return score, Reason("on_date", (day.isoformat(), common))
    return score, Reason("together", common)


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
