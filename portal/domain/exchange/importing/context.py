"""What checking an import shares: session, report, the plan to write, theme and duplicate look-ups."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ....models import Organisation, Theme, User
from ...catalogue.listings import ListingInput
from ...community.organisations import OrganisationInput
from ...places.gazetteer import normalise
from ...places.geography import Location
from .report import ImportReport, RowError, nl

Progress = Callable[[int], None]


class ThemeMatcher:
    """Finds our theme for a slug or a Dutch or English label."""

    def __init__(self, themes: Iterable[Theme]) -> None:
        self.slugs: dict[str, str] = {}
        for theme in themes:
            self.add(theme.slug, theme.label_nl, theme.label_en)

    def add(self, slug: str, *labels: str) -> None:
        for text in (slug, *labels):
            self.slugs.setdefault(normalise(text), slug)

    def match(self, text: str) -> str | None:
        return self.slugs.get(normalise(text))

    def known(self) -> str:
        return ", ".join(sorted(set(self.slugs.values())))


@dataclass
class Plan:
    """What to write once no row is wrong: new themes, organisations by key, listings."""

    themes: list[tuple[str, str, str]] = field(default_factory=list)
    organisations: list[tuple[str, OrganisationInput]] = field(default_factory=list)
    listings: list[tuple[ListingInput, str | None, bool]] = field(default_factory=list)


class Context:
    """What validation shares: the session, the report, the plan and duplicate checks."""

    def __init__(self, session: Session, report: ImportReport, default: Location | None,
                 acting_user: User, progress: Progress) -> None:  # fmt: skip
        self.session, self.report, self.default = session, report, default
        self.acting_user, self.progress = acting_user, progress
        self.plan = Plan()
        self.themes = ThemeMatcher(session.scalars(select(Theme)))
        existing = list(session.scalars(select(Organisation)))
        self.org_names = {(normalise(o.name), o.municipality or "") for o in existing}
        self.organisations: dict[str, list[Organisation]] = defaultdict(list)
        for organisation in existing:
            self.organisations[normalise(organisation.name)].append(organisation)
        self.without_kind: list[str] = []

    def error(self, file: str, row: int, column: str, reason: str) -> None:
        self.report.errors.append(RowError(file, row, column, reason))

    def note(self, message: str, /, **values: object) -> None:
        """Tell the reader what was assumed or changed (a Dutch ``Let op`` line)."""
        self.report.notes.append(nl(message, **values))

    def left_out(self, message: str, /, **values: object) -> None:
        """Name what has no home in our model (a Dutch ``Niet overgenomen`` line)."""
        self.report.not_imported.append(nl(message, **values))

    def unique_organisation(self, file: str, row: int, name: str, where: Location) -> None:
        key = (normalise(name), where.municipality)
        if key in self.org_names:
            self.error(file, row, "naam" if file != "organizations.csv" else "name", nl(
                "Er is al een organisatie ‘%(name)s’ in %(municipality)s.", name=name,
                municipality=where.municipality,
            ))  # fmt: skip
        self.org_names.add(key)
