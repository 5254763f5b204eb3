"""The lock files follow their human-edited inputs, so `make` installs what requirements*.txt say."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)(?:\[[^\]]*\])?==([^\s;#\\]+)", re.MULTILINE)


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(filename: str) -> dict[str, str]:
    """name -> version of every `name==version` line, following `-r other.txt` includes."""
    text = (ROOT / filename).read_text(encoding="utf-8")
    pins: dict[str, str] = {}
    for included in re.findall(r"^-r\s+(\S+)", text, re.MULTILINE):
        pins.update(_pins(included))
    pins.update({_name(name): version for name, version in PIN.findall(text)})
    return pins


@pytest.mark.parametrize(
    ("inputs", "lock"),
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_every_pinned_requirement_is_the_locked_version(inputs, lock):
    """A pin edited without `make lock` fails here instead of being silently not installed."""
    wanted = _pins(inputs)
    locked = _pins(lock)
    assert {name: locked.get(name) for name in wanted} == wanted


def test_the_tests_run_on_the_runtime_versions_that_production_installs():
    runtime, development = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert {name: development.get(name) for name in runtime} == runtime
