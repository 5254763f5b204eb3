"""How the browser tests, the screenshots and the map benchmark start Debian's Chromium.

Playwright's own browser download does not work offline, so `executable()` finds the Chromium
that `make chromium` installs; the flags keep it from calling home.
"""

from __future__ import annotations

import shutil

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def executable() -> str | None:
    """Debian's chromium on the PATH (None when it is not installed)."""
    return shutil.which("chromium")
