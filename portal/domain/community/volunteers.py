"""Volunteer profiles: a resident's standing offer of help."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import User, VolunteerProfile
from ..catalogue.themes import themes_by_slug
from ..places.geography import Location, public_point


@dataclass(frozen=True)
class VolunteerInput:
    display_name: str
    theme_slugs: tuple[str, ...]
    skills: tuple[str, ...]
    availability: tuple[str, ...]
    travel_radius_km: float
    max_open_matches: int
    paused: bool
    location: Location


def profile_of(session: Session, user: User) -> VolunteerProfile | None:
    """The user's profile, if they made one."""
    return session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))


def parse_skills(text: str) -> tuple[str, ...]:
    """Free tags separated by commas: "koken, fietsen" → ("koken", "fietsen")."""
    return tuple(dict.fromkeys(tag.strip().lower() for tag in text.split(",") if tag.strip()))


def save_profile(session: Session, user: User, data: VolunteerInput) -> VolunteerProfile:
    """Create or update the profile; the public point is the village centre. Flushes."""
    profile = profile_of(session, user) or VolunteerProfile(user=user)
    session.add(profile)
    profile.display_name = data.display_name
    profile.themes = themes_by_slug(session, data.theme_slugs)
    profile.skills = list(data.skills)
    profile.availability = list(data.availability)
    profile.travel_radius_km = data.travel_radius_km
    profile.max_open_matches = data.max_open_matches
    profile.paused = data.paused
    location = data.location
    profile.lat, profile.lon = location.lat, location.lon
    profile.public_lat, profile.public_lon = public_point(location, exact_is_public=False)
    profile.place_key, profile.place_name = location.place_key, location.place_name
    profile.municipality = location.municipality
    session.flush()
    return profile
