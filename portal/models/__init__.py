"""All models, importable from one place (Alembic sees them through this module)."""

from .api_token import ApiToken
from .audit import AuditEntry
from .contact import DigestEntry, Notification, Subscription
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
from .location_move import LocationMove
from .match import Conversation, Match, MatchStatus, Message
from .moderation import (
    ListingCare,
    ListingRevision,
    OrganisationRevision,
    Report,
    ReportStatus,
    RevisionStatus,
)
from .organisation import Membership, MembershipInvitation, Organisation, OrganisationKind
from .outbox import OutboxMail
from .place import GeocodeCache, Place
from .theme import Theme
from .user import Role, User
from .volunteer import VolunteerProfile
from .wish import Wish, WishStatus

__all__ = [
    "AccessRoute",
    "ApiToken",
    "AreaKind",
    "AuditEntry",
    "Consent",
    "Conversation",
    "DigestEntry",
    "GeocodeCache",
    "Involvement",
    "Listing",
    "ListingCare",
    "ListingKind",
    "ListingRevision",
    "ListingStatus",
    "LocationMove",
    "Match",
    "MatchStatus",
    "Membership",
    "MembershipInvitation",
    "Message",
    "Notification",
    "Organisation",
    "OrganisationKind",
    "OrganisationRevision",
    "OutboxMail",
    "Place",
    "Report",
    "ReportStatus",
    "RevisionStatus",
    "Role",
    "ScheduleKind",
    "Subscription",
    "Theme",
    "User",
    "VolunteerProfile",
    "Wish",
    "WishStatus",
]
