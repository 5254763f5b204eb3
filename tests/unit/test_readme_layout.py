"""The README's layout names every directory of portal/ and no other (`tree portal -d`)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def layout_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1]
    return section.split("```", 2)[1]


def test_the_readme_layout_matches_the_directories_of_portal():
    named = set(re.findall(r"(?<![\w/.])([a-z_][\w.-]*)/", layout_block())) - {"portal"}
    actual = {
        path.name
        for path in (ROOT / "portal").rglob("*")
        if path.is_dir() and "__pycache__" not in path.parts
    }
    assert named == actual
