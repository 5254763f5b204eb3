"""Rewrite imports and module references in a tree after the moves in scripts/house_moves.txt.

    python scripts/rewrite_imports.py [ROOT] [--moves FILE] [--check]

For every Python file below ROOT (default: the repository) it rewrites
- `from X import a, b` (absolute or relative) whose module X moved, or whose names a, b are moved
  modules of X (`from ..domain import accounts` -> `from ..domain.identity import accounts`);
  relative imports stay relative (counted from the file's place now), absolute stay absolute; a
  module renamed on the way keeps its local name (`from .x import signing as tokens`);
- dotted names in code and strings (`portal.domain.gazetteer.default_gazetteer`, monkeypatch
  targets) and file paths (`portal/domain/maps.py`), also in Markdown, templates and configs.

A file that moved itself may still hold imports written for its old place (another branch's edit
carried over by git's rename detection): an import that does not resolve from the new place is read
from the old one. Imports that resolve from the new place are left alone, so running the script
twice changes nothing. It writes plain statements; run `ruff check --fix . && ruff format .` after
it to sort them. `--check` only lists the files it would change (exit status 1 when there are any).
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", "instance"}
TEXT_SUFFIXES = {".md", ".txt", ".cfg", ".toml", ".ini", ".sh", ".html", ".yml", ".yaml"}


def read_moves(path: Path) -> dict[str, str]:
    """`old new` per line (blank lines and `#` comments skipped), checked so that rewriting twice
    is harmless: no new name is, or lies inside, an old one."""
    moves: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            old, new = line.split()
            moves[old] = new
    for new in moves.values():
        parts = new.split(".")
        clash = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
        if any(prefix in moves for prefix in clash):
            raise SystemExit(f"{new}: lies inside a moved module; the mapping is not idempotent")
    return moves


def renamed(name: str, moves: dict[str, str]) -> str:
    """The new dotted name: the longest moved prefix replaced (a package carries its modules)."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in moves:
            return ".".join([moves[prefix], *parts[cut:]])
    return name


@dataclass
class Tree:
    """The modules of the tree, to tell whether an import resolves."""

    root: Path

    def __post_init__(self) -> None:
        self.modules: dict[str, Path] = {}
        for path in python_files(self.root):
            self.modules[module_name(self.root, path)] = path
        self._bound: dict[str, set[str]] = {}

    def bound(self, module: str) -> set[str]:
        """Names a module binds at its top level (definitions, assignments, imports)."""
        if module not in self._bound:
            names: set[str] = set()
            try:
                body = ast.parse(self.modules[module].read_text(encoding="utf-8")).body
            except (SyntaxError, KeyError):
                body = []
            for node in body:
                names |= _bound_names(node)
            self._bound[module] = names
        return self._bound[module]

    def provides(self, module: str, names: list[str]) -> bool:
        if module not in self.modules:
            return False
        return all(
            f"{module}.{name}" in self.modules or name in self.bound(module) for name in names
        )


def _bound_names(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Import | ast.ImportFrom):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {
            name.id for target in targets for name in ast.walk(target) if isinstance(name, ast.Name)
        }
    if isinstance(node, ast.If | ast.Try):
        inner = [*node.body, *getattr(node, "orelse", []), *getattr(node, "finalbody", [])]
        return set().union(*(_bound_names(child) for child in inner))
    return set()


def python_files(root: Path):
    for path in sorted(root.rglob("*.py")):
        if not SKIP_DIRS.intersection(path.relative_to(root).parts):
            yield path


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def absolute(package: str, level: int, name: str | None) -> str:
    base = package.split(".")[: len(package.split(".")) - (level - 1)] if level else []
    return ".".join([*base, *([name] if name else [])])


def relative(package: str, target: str) -> tuple[int, str]:
    """`target` as (level, module) counted from `package`; level 0 when they share nothing."""
    here, there = package.split("."), target.split(".")
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    if common == 0:
        return 0, target
    return len(here) - common + 1, ".".join(there[common:])


class FileRewrite:
    """The rewritten source of one file."""

    def __init__(self, tree: Tree, moves: dict[str, str], path: Path) -> None:
        self.tree, self.moves, self.path = tree, moves, path
        module = module_name(tree.root, path)
        self.package = package_of(module, path)
        old = {new: old for old, new in moves.items()}.get(module)
        self.old_package = package_of(old, path) if old else None
        self.tops = {name.split(".")[0] for name in moves}

    def source(self, text: str) -> str:
        lines = text.splitlines(keepends=True)
        try:
            nodes = [node for node in ast.walk(ast.parse(text)) if isinstance(node, ast.ImportFrom)]
        except SyntaxError:
            nodes = []
        for node in sorted(nodes, key=lambda node: -node.lineno):
            new = self.statements(node)
            if new is not None and _alone_on_lines(lines, node):
                indent = " " * node.col_offset
                comment = lines[node.end_lineno - 1][node.end_col_offset :].strip()
                new = [f"{line}  {comment}" if comment else line for line in new]
                lines[node.lineno - 1 : node.end_lineno] = [f"{indent}{line}\n" for line in new]
        return rewrite_text("".join(lines), self.moves)

    def resolve(self, node: ast.ImportFrom) -> str:
        """The absolute module: from the file's place now, else (a moved file) its old place."""
        names = [alias.name for alias in node.names if alias.name != "*"]
        here = absolute(self.package, node.level, node.module)
        if node.level == 0 or self.old_package is None or self.tree.provides(here, names):
            return here
        return absolute(self.old_package, node.level, node.module)

    def statements(self, node: ast.ImportFrom) -> list[str] | None:
        """The statements that replace `node`, or None when it stays as it is."""
        module = self.resolve(node)
        if module.split(".")[0] not in self.tops:
            return None
        groups: dict[str, list[str]] = {}
        same = module == absolute(self.package, node.level, node.module) if node.level else True
        for alias in node.names:
            target, name = self._target(module, alias.name)
            same = same and (target, name) == (module, alias.name)
            local = alias.asname or (alias.name if name != alias.name else None)
            groups.setdefault(target, []).append(f"{name} as {local}" if local else name)
        if same:
            return None
        return [self._statement(node.level, target, names) for target, names in groups.items()]

    def _target(self, module: str, name: str) -> tuple[str, str]:
        """Where `name` comes from now: the moved module, or, for a moved module imported by
        name from its package, the new package (with the module's new name)."""
        if renamed(module, self.moves) != module:
            return renamed(module, self.moves), name
        parent, _, leaf = renamed(f"{module}.{name}", self.moves).rpartition(".")
        return parent, leaf

    def _statement(self, level: int, target: str, names: list[str]) -> str:
        if level:
            up, rest = relative(self.package, target)
            if up:
                return f"from {'.' * up}{rest} import {', '.join(names)}"
        return f"from {target} import {', '.join(names)}"


def _alone_on_lines(lines: list[str], node: ast.ImportFrom) -> bool:
    first, last = lines[node.lineno - 1], lines[node.end_lineno - 1]
    tail = last[node.end_col_offset :].strip()
    return not first[: node.col_offset].strip() and (not tail or tail.startswith("#"))


def rewrite_text(text: str, moves: dict[str, str]) -> str:
    """Dotted names and file paths of moved modules, wherever they stand."""
    tops = "|".join(sorted({re.escape(name.split(".")[0]) for name in moves}))
    dotted = re.compile(rf"\b(?:{tops})(?:\.[A-Za-z_]\w*)+")
    path = re.compile(rf"\b(?:{tops})(?:/[A-Za-z_]\w*)+(?:\.py|/)?")
    text = dotted.sub(lambda match: renamed(match.group(0), moves), text)
    return path.sub(lambda match: _path(match.group(0), moves), text)


def _path(path: str, moves: dict[str, str]) -> str:
    suffix = ".py" if path.endswith(".py") else ("/" if path.endswith("/") else "")
    dotted = path.removesuffix(suffix).replace("/", ".")
    new = renamed(dotted, moves)
    if new == dotted:
        return path
    return new.replace(".", "/") + suffix


def text_files(root: Path):
    for path in sorted(root.rglob("*")):
        relative_parts = path.relative_to(root).parts
        if SKIP_DIRS.intersection(relative_parts) or not path.is_file():
            continue
        if path.suffix in TEXT_SUFFIXES or path.name == "Makefile":
            yield path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=ROOT)
    parser.add_argument("--moves", type=Path, default=ROOT / "scripts" / "house_moves.txt")
    parser.add_argument(
        "--check", action="store_true", help="list what would change, write nothing"
    )
    args = parser.parse_args()
    root, moves_path = args.root.resolve(), args.moves.resolve()
    moves = read_moves(moves_path)
    tree = Tree(root)
    changed = []
    for path in [*python_files(root), *text_files(root)]:
        if path in (moves_path, Path(__file__).resolve()):
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            new = FileRewrite(tree, moves, path).source(text)
        else:
            new = rewrite_text(text, moves)
        if new != text:
            changed.append(path.relative_to(root))
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for path in changed:
        print(path)
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
