"""HSDS terms and attributes read as our themes, kinds and properties (ours by code, others' by name)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ..hsds.vocabulary import PROPERTY, TAXONOMIES, THEME
from .context import Context
from .hsds_tables import Package
from .report import nl


@dataclass(frozen=True)
class Term:
    """A taxonomy term as we understand it."""

    taxonomy: str  # one of TAXONOMIES, or "" for another system's taxonomy
    code: str
    slug: str | None  # the theme it stands for


@dataclass(frozen=True)
class Link:
    """An attribute row: a term attached to an organisation or service, with its value."""

    number: int
    term: Term
    value: str


def _term_taxonomy(pkg: Package, row: dict[str, str]) -> str:
    if row.get("taxonomy") in TAXONOMIES:
        return row["taxonomy"]
    found = pkg.get("taxonomy", row.get("taxonomy_id", ""))
    names = {name: code for code, (name, _d) in TAXONOMIES.items()}
    return names.get(found[1].get("name", ""), "") if found else ""


def _own_theme(ctx: Context, row: dict[str, str], code: str) -> str:
    """The theme one of our own theme terms stands for, planned as new when the portal lacks it."""
    slug = ctx.themes.match(code)
    if slug is None:
        ctx.plan.themes.append((code, row.get("name") or code, row.get("description") or code))
        ctx.themes.add(code, row.get("name", ""), row.get("description", ""))
        slug = code
    return slug


def _theme_slug(ctx: Context, pkg: Package, number: int, row: dict[str, str],
                taxonomy: str, code: str) -> str | None:  # fmt: skip
    """The theme a term stands for: ours by code, another system's by code or name."""
    if taxonomy == THEME and code:
        return _own_theme(ctx, row, code)
    if taxonomy:
        return None
    slug = ctx.themes.match(code) or ctx.themes.match(row.get("name", ""))
    if slug is None:
        pkg.skip("taxonomy_term", number, nl("term ‘%(name)s’ past bij geen thema",
                                             name=row.get("name") or code))  # fmt: skip
    return slug


def read_terms(ctx: Context, pkg: Package) -> dict[str, Term]:
    """Our own taxonomies by code; another system's terms matched to a theme by name."""
    terms = {}
    for number, row in pkg.rows("taxonomy_term"):
        taxonomy, code = _term_taxonomy(pkg, row), row.get("code", "")
        slug = _theme_slug(ctx, pkg, number, row, taxonomy, code)
        if taxonomy or slug:
            pkg.use("taxonomy_term", number)
        terms[row.get("id", "")] = Term(taxonomy, code, slug)
    return terms


def read_attributes(pkg: Package, terms: dict[str, Term]) -> dict[str, list[Link]]:
    """The attributes by the id of the organisation or service they belong to."""
    links: dict[str, list[Link]] = defaultdict(list)
    for number, row in pkg.rows("attribute"):
        term = terms.get(row.get("taxonomy_term_id", ""))
        if term is None or (not term.taxonomy and term.slug is None):
            pkg.skip("attribute", number, nl("de taxonomieterm past bij geen thema of kenmerk"))
            continue
        links[row.get("link_id", "")].append(Link(number, term, row.get("value", "")))
    return links


class Attributes:
    """Themes, kinds and properties attached to one organisation or service."""

    def __init__(self, ctx: Context, pkg: Package, links: list[Link]) -> None:
        self.ctx, self.pkg, self.links = ctx, pkg, links
        for link in links:
            pkg.use("attribute", link.number)

    def themes(self) -> tuple[str, ...]:
        slugs = [link.term.slug for link in self.links if link.term.slug]
        return tuple(dict.fromkeys(slugs))

    def code(self, taxonomy: str) -> str | None:
        return next((link.term.code for link in self.links if link.term.taxonomy == taxonomy), None)

    def value(self, code: str, parse: Callable[[str], object]):
        for link in self.links:
            if link.term.taxonomy == PROPERTY and link.term.code == code:
                try:
                    return parse(link.value)
                except ValueError:
                    self.ctx.error(self.pkg.file("attribute"), link.number, "value",
                                   nl("Ongeldige waarde ‘%(value)s’ voor %(code)s.",
                                      value=link.value, code=code))  # fmt: skip
        return None
