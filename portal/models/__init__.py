"""All models, importable from one place (Alembic sees them through this module)."""

from .audit import AuditEntry
from .listing import (
    AccessRoute,
    AreaKind,
    Consent,
    Involvement,
    Listing,
    ListingKind,
    ListingStatus,
    ScheduleKind,
)
from .match import Conversation, Match, MatchStatus, Message
from .organisation import Membership, Organisation, OrganisationKind
from .place import GeocodeCache, Place
from .theme import Theme
from .user import Role, User
from .volunteer import VolunteerProfile
from .wish import Wish, WishStatus

__all__ = [
    "AccessRoute",
    "AreaKind",
    "AuditEntry",
    "Consent",
    "Conversation",
    "GeocodeCache",
    "Involvement",
    "Listing",
    "ListingKind",
    "ListingStatus",
    "Match",
    "MatchStatus",
    "Membership",
    "Message",
    "Organisation",
    "OrganisationKind",
    "Place",
    "Role",
    "ScheduleKind",
    "Theme",
    "User",
    "VolunteerProfile",
    "Wish",
    "WishStatus",
]
