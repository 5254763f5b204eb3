"""Running an import all-or-nothing: check every row into a plan, write it only when none is wrong."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ....models import Theme, User
from ...catalogue.listings import create_listing, publish
from ...community.organisations import save_profile
from .context import Context, Progress
from .hsds_package import validate_hsds
from .places import default_location
from .reading import HSDS, ImportSource
from .report import ImportReport
from .template import validate_template


def _create_themes(session: Session, themes: list[tuple[str, str, str]]) -> int:
    order = len(session.scalars(select(Theme.id)).all())
    for offset, (slug, label_nl, label_en) in enumerate(themes):
        session.add(Theme(slug=slug[:60], label_nl=label_nl[:120], label_en=label_en[:120],
                          sort_order=order + offset))  # fmt: skip
    session.flush()
    return len(themes)


def _apply(ctx: Context, now: datetime, expiry_months: int) -> None:
    """Write the plan: themes, then organisations, then listings. Flushes, never commits."""
    session, plan, report = ctx.session, ctx.plan, ctx.report
    report.themes = _create_themes(session, plan.themes)
    ids = {}
    for key, data in plan.organisations:
        ids[key] = save_profile(session, None, data, ctx.acting_user).id
        ctx.progress(1)
    for planned, org_key, published in plan.listings:
        data = planned if org_key is None else replace(planned, organisation_id=ids[org_key])
        listing = create_listing(session, ctx.acting_user, data)
        if published:
            publish(listing, now, expiry_months)
        ctx.progress(1)
    session.flush()
    report.organisations, report.listings = len(plan.organisations), len(plan.listings)
    report.imported = True


def run_import(
    session: Session,
    source: ImportSource,
    acting_user: User,
    now: datetime,
    *,
    expiry_months: int = 6,
    default_place: str = "",
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check every row; write only when none is wrong (and not ``dry_run``). Flushes.

    ``default_place`` (a place or postcode) is where HSDS locations that cannot be found in the
    Netherlands go; without it such rows are errors. Raises FieldError("default_place") when
    that place itself is unknown.
    """
    report = ImportReport(kind=source.kind, label=source.label, rows=source.size)
    ctx = Context(session, report, default_location(default_place), acting_user,
                  progress or (lambda _steps: None))  # fmt: skip
    if source.kind == HSDS:
        validate_hsds(ctx, source)
    else:
        validate_template(ctx, source)
    if report.ok and not dry_run:
        _apply(ctx, now, expiry_months)
    return report
