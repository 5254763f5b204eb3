"""scripts/rewrite_imports.py on a small tree: imports follow the moves, and a second run changes
nothing. (Remove with the script once the lead has merged the house move.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "rewrite_imports.py"
MOVES = "town.domain.gazetteer town.domain.places.gazetteer\ntown.domain.geography town.domain.places.geography\ntown.tokens town.identity.signing\n"
BEFORE = {
    "town/__init__.py": "",
    "town/models.py": "class Place: ...\n",
    "town/identity/__init__.py": "",
    "town/identity/signing.py": "def sign(): ...\n",
    "town/domain/__init__.py": "",
    "town/domain/errors.py": "class FieldError(Exception): ...\n",
    "town/domain/places/__init__.py": "",
    "town/domain/places/gazetteer.py": "def normalise(text): ...\n",
    # moved from town/domain/geography.py; its imports still count from there
    "town/domain/places/geography.py": (
        "from .gazetteer import normalise\nfrom ..models import Place\nfrom .errors import FieldError\n"
    ),
    "town/views.py": (
        "from .domain import errors, geography\n"
        "from . import tokens\n"
        "from town.domain.gazetteer import normalise  # noqa: E402\n"
        "import town.domain.gazetteer\n"
        'TARGET = "town.domain.gazetteer.normalise"  # see town/domain/geography.py\n'
    ),
}


def run(root: Path, moves: Path) -> None:
    subprocess.run(
        [sys.executable, SCRIPT, root, "--moves", moves], check=True, capture_output=True
    )


def test_imports_follow_the_moves_and_a_second_run_changes_nothing(tmp_path):
    root = tmp_path / "tree"
    for name, text in BEFORE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    moves = tmp_path / "moves.txt"
    moves.write_text(MOVES)
    run(root, moves)
    geography = (root / "town/domain/places/geography.py").read_text()
    assert geography == (
        "from .gazetteer import normalise\nfrom ...models import Place\nfrom ..errors import FieldError\n"
    )
    assert (root / "town/views.py").read_text() == (
        "from .domain import errors\n"
        "from .domain.places import geography\n"
        "from .identity import signing as tokens\n"
        "from town.domain.places.gazetteer import normalise  # noqa: E402\n"
        "import town.domain.places.gazetteer\n"
        'TARGET = "town.domain.places.gazetteer.normalise"  # see town/domain/places/geography.py\n'
    )
    once = {path: path.read_text() for path in root.rglob("*.py")}
    run(root, moves)
    assert {path: path.read_text() for path in root.rglob("*.py")} == once
