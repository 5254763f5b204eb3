"""The "needs attention" queue and the decisions taken from it; each decision is audited.

Functions take values and a session, flush where needed and leave the commit to the caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from ...models import (
    Listing,
    ListingCare,
    ListingRevision,
    ListingStatus,
    Membership,
    Organisation,
    OrganisationRevision,
    Report,
    ReportStatus,
    RevisionStatus,
    Role,
    User,
    Wish,
    WishStatus,
)
from ..catalogue import listings
from ..community import organisations, wishes
from ..identity import audit

SECTION_LIMIT = 50


@dataclass(frozen=True)
class StaleItem:
    """A listing not confirmed for a while, and who (if anyone) took it on."""

    listing: Listing
    care: ListingCare | None

    @property
    def assignee(self) -> User | None:
        return self.care.assignee if self.care else None


@dataclass(frozen=True)
class Queue:
    """Everything that waits for an officer, oldest first within each section."""

    organisations: list[Organisation]
    first_listings: list[Listing]
    reports: list[Report]
    revisions: list[ListingRevision]
    stale: list[StaleItem]
    wishes: list[Wish]
    organisation_revisions: list[OrganisationRevision]

    @property
    def total(self) -> int:
        return sum(
            len(part)
            for part in (
                self.organisations, self.first_listings, self.reports, self.revisions,
                self.stale, self.wishes, self.organisation_revisions,
            )
        )  # fmt: skip


def build_queue(
    session: Session, now: datetime, stale_days: int, actor: User, mine_only: bool = False
) -> Queue:
    """The whole queue for an officer; `mine_only` limits stale entries to the actor's own."""
    return Queue(
        organisations=unverified_organisations(session),
        first_listings=first_listings(session),
        reports=open_reports(session),
        revisions=pending_revisions(session),
        stale=stale_listings(session, now, stale_days, actor.id if mine_only else None),
        wishes=pending_wishes(session, None),
        organisation_revisions=pending_organisation_revisions(session),
    )


def unverified_organisations(session: Session) -> list[Organisation]:
    """Organisations without the verified mark, oldest first."""
    statement = select(Organisation).where(Organisation.verified.is_(False))
    return list(session.scalars(statement.order_by(Organisation.id).limit(SECTION_LIMIT)))


def _trusted_owner():
    """The listing's owner acts for a verified organisation (or is an officer or admin)."""
    verified_member = exists().where(
        Membership.user_id == Listing.owner_id,
        Membership.organisation_id == Organisation.id,
        Organisation.verified.is_(True),
    )
    return verified_member | User.role.in_((Role.OFFICER, Role.ADMIN))


def first_listings(session: Session) -> list[Listing]:
    """Each untrusted user's first published listing, until an officer checks or hides it."""
    first_ids = (
        select(func.min(Listing.id))
        .where(Listing.owner_id.is_not(None), Listing.published_at.is_not(None))
        .group_by(Listing.owner_id)
    )
    statement = (
        select(Listing)
        .join(User, User.id == Listing.owner_id)
        .where(
            Listing.id.in_(first_ids),
            Listing.status == ListingStatus.PUBLISHED,
            Listing.hidden.is_(False),
            Listing.verified.is_(False),
            ~_trusted_owner(),
        )
        .order_by(Listing.published_at, Listing.id)
    )
    return list(session.scalars(statement.limit(SECTION_LIMIT)))


def open_reports(session: Session) -> list[Report]:
    """Reports nobody has decided on, oldest first."""
    statement = select(Report).where(Report.status == ReportStatus.OPEN).order_by(Report.id)
    return list(session.scalars(statement.limit(SECTION_LIMIT)))


def pending_revisions(session: Session) -> list[ListingRevision]:
    """Edits waiting for review, oldest first."""
    statement = select(ListingRevision).where(ListingRevision.status == RevisionStatus.PENDING)
    return list(session.scalars(statement.order_by(ListingRevision.id).limit(SECTION_LIMIT)))


def stale_listings(
    session: Session, now: datetime, stale_days: int, assignee_id: int | None = None
) -> list[StaleItem]:
    """Published listings not confirmed within `stale_days`, the longest unconfirmed first."""
    statement = (
        select(Listing, ListingCare)
        .outerjoin(ListingCare, ListingCare.listing_id == Listing.id)
        .where(
            Listing.status == ListingStatus.PUBLISHED,
            Listing.hidden.is_(False),
            Listing.confirmed_at < now - timedelta(days=stale_days),
        )
        .order_by(Listing.confirmed_at, Listing.id)
    )
    if assignee_id is not None:
        statement = statement.where(ListingCare.assignee_id == assignee_id)
    rows = session.execute(statement.limit(SECTION_LIMIT))
    return [StaleItem(listing, care) for listing, care in rows]


def pending_wishes(session: Session, places: frozenset[str] | None) -> list[Wish]:
    """Wishes waiting for a moderator, oldest first; only these villages unless `places` is None."""
    statement = select(Wish).where(Wish.status == WishStatus.PENDING)
    if places is not None:
        statement = statement.where(Wish.place_key.in_(sorted(places)))
    return list(session.scalars(statement.order_by(Wish.id).limit(SECTION_LIMIT)))


# --- decisions ------------------------------------------------------------------------------


def care_of(session: Session, listing: Listing) -> ListingCare:
    """The listing's moderation record, created when missing."""
    care = session.get(ListingCare, listing.id)
    if care is None:
        care = ListingCare(listing_id=listing.id, hidden_reason="")
        session.add(care)
    return care


def verify_organisation(
    session: Session, organisation: Organisation, actor: User, now: datetime
) -> None:
    """The officer vouches for the organisation."""
    organisations.set_verified(organisation, actor, True, now)
    audit.record(
        session, actor, "organisation.verify", "organisation", organisation.id, verified=True
    )


def mark_checked(session: Session, listing: Listing, actor: User) -> None:
    """The officer looked at the listing and it is fine ("gecontroleerd")."""
    listing.verified = True
    audit.record(session, actor, "listing.verify", "listing", listing.id)


def hide_listing(session: Session, listing: Listing, actor: User, reason: str) -> None:
    """Hide the listing from visitors; the author sees the reason."""
    listing.hidden = True
    care_of(session, listing).hidden_reason = reason
    audit.record(session, actor, "listing.hide", "listing", listing.id, hidden=True, reason=reason)


def show_listing(session: Session, listing: Listing, actor: User) -> None:
    """Show a hidden listing again; the author no longer sees a reason."""
    listing.hidden = False
    care_of(session, listing).hidden_reason = ""
    audit.record(session, actor, "listing.show", "listing", listing.id, hidden=False)


def assign(session: Session, listing: Listing, actor: User, now: datetime) -> None:
    """The officer takes the listing on ("neem ik op me")."""
    care = care_of(session, listing)
    care.assignee_id, care.assigned_at = actor.id, now
    audit.record(session, actor, "listing.assign", "listing", listing.id)


def close_listing(session: Session, listing: Listing, actor: User, now: datetime) -> None:
    """Take a stale listing off the map."""
    listings.close(listing, now)
    audit.record(session, actor, "listing.close", "listing", listing.id)


def decide_wish(session: Session, wish: Wish, actor: User, approve: bool, now: datetime) -> None:
    """Approve or reject a flessenpost wish."""
    wishes.moderate(wish, actor, approve, now)
    audit.record(session, actor, "wish.moderate", "wish", wish.id, approved=approve)


def report_listing(
    session: Session, listing: Listing, reason: str, reporter: User | None
) -> Report:
    """Someone says the listing is wrong; it waits in the queue. Flushes."""
    report = Report(
        listing=listing, reason=reason.strip(), reporter_id=reporter.id if reporter else None
    )
    session.add(report)
    session.flush()
    return report


def resolve_report(
    session: Session, report: Report, actor: User, keep: bool, note: str, now: datetime
) -> None:
    """Keep the listing or hide it (the note is the reason the author sees)."""
    reports = [report]
    if not keep:
        reports = session.scalars(
            select(Report).where(
                Report.listing_id == report.listing_id, Report.status == ReportStatus.OPEN
            )
        ).all()
        hide_listing(session, report.listing, actor, note)
    for each in {*reports, report}:
        each.status = ReportStatus.KEPT if keep else ReportStatus.HIDDEN
        each.note, each.decided_by_id, each.decided_at = note, actor.id, now
    audit.record(session, actor, "report.resolve", "report", report.id, kept=keep, note=note)


# --- edits waiting for review -----------------------------------------------------------------


def submit_revision(
    session: Session, listing: Listing, author: User, data: listings.ListingInput, now: datetime
) -> ListingRevision:
    """Keep an edit for review; a newer edit replaces the author's earlier pending one. Flushes."""
    revision = session.scalar(
        select(ListingRevision).where(
            ListingRevision.listing_id == listing.id,
            ListingRevision.status == RevisionStatus.PENDING,
        )
    )
    values = listings.input_to_json(data)
    if revision is None:
        revision = ListingRevision(listing=listing, data=values)
        session.add(revision)
    revision.author_id, revision.created_at, revision.data = author.id, now, values
    session.flush()
    return revision


def pending_preview(session: Session, listing: Listing) -> Listing | None:
    """The listing as its pending edit would make it (unsaved), so editing again starts there."""
    revision = session.scalar(
        select(ListingRevision).where(
            ListingRevision.listing_id == listing.id,
            ListingRevision.status == RevisionStatus.PENDING,
        )
    )
    if revision is None or listing.owner is None:
        return None
    preview = Listing(status=listing.status)
    with session.no_autoflush:
        listings.apply_input(
            session, preview, listings.input_from_json(revision.data), listing.owner
        )
    return preview


def apply_revision(session: Session, revision: ListingRevision, actor: User, now: datetime) -> None:
    """Approve: the edit goes live through the same function a normal edit uses."""
    data = listings.input_from_json(revision.data)
    listings.apply_input(session, revision.listing, data, recorded_by=revision.author or actor)
    _decide(revision, RevisionStatus.APPROVED, actor, now, "")
    audit.record(session, actor, "revision.approve", "listing", revision.listing_id)


def reject_revision(
    session: Session, revision: ListingRevision, actor: User, reason: str, now: datetime
) -> None:
    """Reject: the live listing stays as it was; the author sees the reason."""
    _decide(revision, RevisionStatus.REJECTED, actor, now, reason)
    audit.record(session, actor, "revision.reject", "listing", revision.listing_id, reason=reason)


def _decide(
    revision: ListingRevision | OrganisationRevision,
    status: RevisionStatus,
    actor: User,
    now: datetime,
    reason: str,
) -> None:
    revision.status, revision.reason = status, reason
    revision.decided_by_id, revision.decided_at = actor.id, now


@dataclass(frozen=True)
class FieldChange:
    """One changed field of a revision: its name and the old and new values (JSON-like)."""

    name: str
    old: object
    new: object


def _comparable(name: str, value: object) -> object:
    if name == "location" and isinstance(value, dict):
        return (value.get("lat"), value.get("lon"), value.get("place_key"))
    if name == "theme_slugs" and isinstance(value, list):
        return sorted(value)
    return value


def changes(revision: ListingRevision) -> list[FieldChange]:
    """What the revision changes, field by field (old → new), against the live listing."""
    live = listings.input_to_json(listings.input_of(revision.listing))
    return [
        FieldChange(name, live.get(name), new)
        for name, new in revision.data.items()
        if _comparable(name, live.get(name)) != _comparable(name, new)
    ]


# --- what the author sees ------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorNotice:
    """The moderation status of the author's own listing."""

    pending: bool = False
    rejected_reason: str | None = None
    hidden_reason: str | None = None


def notices_for(session: Session, listing_list: Iterable[Listing]) -> dict[int, AuthorNotice]:
    """Per listing: an edit waiting, the reason of the latest rejection, why it is hidden."""
    by_id = {listing.id: listing for listing in listing_list}
    latest = _latest_revisions(session, by_id)
    hidden = _hidden_reasons(session, [id_ for id_, item in by_id.items() if item.hidden])
    notices = {}
    for listing_id in by_id:
        revision = latest.get(listing_id)
        status = revision.status if revision else None
        notices[listing_id] = AuthorNotice(
            pending=status is RevisionStatus.PENDING,
            rejected_reason=revision.reason if status is RevisionStatus.REJECTED else None,
            hidden_reason=hidden.get(listing_id),
        )
    return notices


def _latest_revisions(session: Session, ids: Iterable[int]) -> dict[int, ListingRevision]:
    newest = (
        select(func.max(ListingRevision.id))
        .where(ListingRevision.listing_id.in_(list(ids)))
        .group_by(ListingRevision.listing_id)
    )
    revisions = session.scalars(select(ListingRevision).where(ListingRevision.id.in_(newest)))
    return {revision.listing_id: revision for revision in revisions}


def _hidden_reasons(session: Session, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(
        select(ListingCare.listing_id, ListingCare.hidden_reason).where(
            ListingCare.listing_id.in_(ids)
        )
    )
    return {listing_id: reason for listing_id, reason in rows}


# --- changes to what visitors trust a verified organisation by --------------------------------


def edit_organisation(
    session: Session,
    organisation: Organisation,
    data: organisations.OrganisationInput,
    editor: User,
    now: datetime,
) -> bool:
    """Save a profile edit; True when part of it waits for an officer. Flushes.

    The verified mark vouches for a name, kind, website and contact details an officer saw.
    A change to those on a verified organisation waits in the queue while the old version,
    with its mark, stays live: visitors never see the mark beside something nobody checked,
    and a verified name never turns into a phishing link, not even for a moment. The rest of
    the edit (description, themes, place, accessibility) goes live at once.
    """
    held = organisations.trusted_changes(organisation, data)
    if not organisation.verified or editor.is_officer or not held:
        organisations.save_profile(session, organisation, data, editor)
        return False
    live = organisations.without_trusted_changes(organisation, data)
    organisations.save_profile(session, organisation, live, editor)
    revision = pending_organisation_revision(session, organisation)
    if revision is None:
        revision = OrganisationRevision(organisation=organisation, data=held)
        session.add(revision)
    revision.author_id, revision.created_at, revision.data = editor.id, now, held
    session.flush()
    return True


def pending_organisation_revision(
    session: Session, organisation: Organisation
) -> OrganisationRevision | None:
    """The organisation's change waiting for an officer, if any."""
    return session.scalar(
        select(OrganisationRevision).where(
            OrganisationRevision.organisation_id == organisation.id,
            OrganisationRevision.status == RevisionStatus.PENDING,
        )
    )


def pending_organisation_revisions(session: Session) -> list[OrganisationRevision]:
    """Changes to verified organisations waiting for review, oldest first."""
    statement = select(OrganisationRevision).where(
        OrganisationRevision.status == RevisionStatus.PENDING
    )
    return list(session.scalars(statement.order_by(OrganisationRevision.id).limit(SECTION_LIMIT)))


def organisation_changes(revision: OrganisationRevision) -> list[FieldChange]:
    """What the change would do, field by field (old → new), against the live organisation."""
    live = revision.organisation
    return [
        FieldChange(name, organisations.plain_value(getattr(live, name)), new)
        for name, new in revision.data.items()
    ]


def approve_organisation_revision(
    session: Session, revision: OrganisationRevision, actor: User, now: datetime
) -> None:
    """Approve: the change goes live and the officer's mark now vouches for it."""
    organisation = revision.organisation
    organisations.apply_trusted_changes(organisation, revision.data)
    if organisation.verified:
        organisations.set_verified(organisation, actor, True, now)
    _decide(revision, RevisionStatus.APPROVED, actor, now, "")
    audit.record(
        session, actor, "organisation_revision.approve", "organisation", organisation.id,
        **revision.data,
    )  # fmt: skip


def reject_organisation_revision(
    session: Session, revision: OrganisationRevision, actor: User, reason: str, now: datetime
) -> None:
    """Reject: the organisation stays as it was; the author sees the reason."""
    _decide(revision, RevisionStatus.REJECTED, actor, now, reason)
    audit.record(
        session, actor, "organisation_revision.reject", "organisation", revision.organisation_id,
        reason=reason,
    )  # fmt: skip
