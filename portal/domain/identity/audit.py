"""Record officers' and admins' actions on people's data (AVG accountability)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import User
from ...models.audit import AuditEntry


def record(
    session: Session,
    actor: User,
    action: str,
    subject_type: str,
    subject_id: int | None,
    **detail: object,
) -> AuditEntry:
    """Add an audit entry; the caller commits with the action itself."""
    entry = AuditEntry(
        actor_id=actor.id,
        actor_name=actor.display_name,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail={key: str(value) for key, value in detail.items()},
    )
    session.add(entry)
    return entry


def recent(session: Session, limit: int = 200) -> list[AuditEntry]:
    """The newest entries first."""
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
