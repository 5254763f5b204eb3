"""The boundary of the domain, kept by a test: no domain module reaches the web layer.

Every module under portal/domain is read with `ast` (imports inside functions count too), relative
imports are resolved, and imports within `portal` are followed transitively. A chain fails when
it reaches Flask or one of its extensions, werkzeug or WTForms, or a web module of the portal: the
app's extensions (`portal.extensions`), a blueprint's views or forms, the labels, or anything else
in `portal` outside the domain that imports those. The models (`portal.models`) are the storage
layer the domain is written against; they are allowed and not followed (they bind to
`portal.extensions.db`).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB_PACKAGES = ("flask", "werkzeug", "wtforms")
STORAGE = "portal.models"
DOMAIN = "portal.domain"


def module_files(root: Path, package: str = "portal") -> dict[str, Path]:
    """Every module of `package` below `root`, by dotted name."""
    files = {}
    for path in sorted((root / package.replace(".", "/")).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        files[".".join(parts)] = path
    return files


def imported(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules `module` imports: absolute names, relative ones resolved, `from x import m`
    counted as the module x.m when that is one."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(package, node.level, node.module)
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known}
    return found


def _resolve(package: str, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    parts = package.split(".")
    parts = parts[: len(parts) - level + 1]
    return ".".join([*parts, *([name] if name else [])])


def is_web(name: str) -> bool:
    """Flask and its kin, or a portal module that is part of the web layer by its place."""
    top = name.split(".", maxsplit=1)[0]
    if top.startswith(WEB_PACKAGES):
        return True
    last = name.rsplit(".", 1)[-1]
    return name in ("portal", "portal.extensions", "portal.labels") or (
        name.startswith("portal.") and last in ("views", "forms")
    )


def violations(root: Path) -> list[list[str]]:
    """Each chain from a domain module to the web layer, shortest first per domain module."""
    known = module_files(root)
    graph = {name: imported(name, path, known) for name, path in known.items()}
    found = []
    for start in sorted(name for name in known if name.startswith(DOMAIN)):
        chain = _first_web_chain(start, graph)
        if chain:
            found.append(chain)
    return found


def _first_web_chain(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """Breadth first through portal's modules (not into the models) to the first web import."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        current = queue.pop(0)
        for target in sorted(graph.get(current, ())):
            if is_web(target):
                return [*paths[current], target]
            followed = target in graph and not target.startswith(STORAGE)
            if followed and target not in paths:
                paths[target] = [*paths[current], target]
                queue.append(target)
    return None


def test_no_domain_module_reaches_flask_or_the_web_layer():
    chains = violations(ROOT)
    assert chains == [], "\n".join(" -> ".join(chain) for chain in chains)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")


def test_the_check_reports_flask_a_blueprint_and_a_chain_through_a_web_helper(tmp_path):
    _write(
        tmp_path,
        {
            "portal/__init__.py": "from flask import Flask\n",
            "portal/extensions.py": "from flask_sqlalchemy import SQLAlchemy\n",
            "portal/models/__init__.py": "from ..extensions import db\n",
            "portal/helpers.py": "from flask_babel import gettext\n",
            "portal/shop/__init__.py": "",
            "portal/shop/views.py": "bp = None\n",
            "portal/domain/__init__.py": "",
            "portal/domain/clean.py": "from ..models import db\nfrom . import pure\n",
            "portal/domain/pure.py": "import json\n",
            "portal/domain/rooms/__init__.py": "",
            "portal/domain/rooms/direct.py": "def f():\n    from flask import request\n",
            "portal/domain/rooms/blueprint.py": "from ...shop import views\n",
            "portal/domain/rooms/chained.py": "from .. import helpers_user\n",
            "portal/domain/helpers_user.py": "from portal.helpers import gettext\n",
        },
    )
    chains = {chain[0]: chain for chain in violations(tmp_path)}
    assert chains["portal.domain.rooms.direct"] == ["portal.domain.rooms.direct", "flask"]
    assert chains["portal.domain.rooms.blueprint"][-1] == "portal.shop.views"
    assert chains["portal.domain.rooms.chained"] == [
        "portal.domain.rooms.chained",
        "portal.domain.helpers_user",
        "portal.helpers",
        "flask_babel",
    ]
    assert "portal.domain.clean" not in chains and "portal.domain.pure" not in chains
