"""The English catalogue is complete, not fuzzy, keeps placeholders and is up to date."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


def catalogue(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def texts(value) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def placeholders(value) -> set[str]:
    return {match for text in texts(value) for match in PLACEHOLDER.findall(text or "")}


def messages():
    return [message for message in catalogue(PO) if message.id]


def test_every_english_translation_is_present_and_not_fuzzy():
    missing = [message.id for message in messages() if not all(texts(message.string))]
    fuzzy = [message.id for message in messages() if message.fuzzy]
    assert missing == []
    assert fuzzy == []


def test_plural_translations_have_both_forms():
    for message in messages():
        if message.pluralizable:
            assert len(texts(message.string)) == 2 and all(texts(message.string)), message.id


def test_placeholders_match():
    wrong = [
        (message.id, message.string)
        for message in messages()
        if placeholders(message.id) != placeholders(message.string)
    ]
    assert wrong == []


def test_catalogue_is_not_older_than_the_templates(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--ignore-dirs",
            ".*",  # not Babel's default, which also skips templates/_macros and _partials
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    known = {message.id for message in messages()}
    new = [message.id for message in catalogue(fresh) if message.id and message.id not in known]
    assert new == [], "run `make` to extract and update the catalogue, then translate"
