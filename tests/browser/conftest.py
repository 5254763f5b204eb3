"""Browser tests: Debian's Chromium driven by Playwright against a live server on loopback.

The live server runs the session's `app` in a daemon thread (not a fork), so it sees the rows a
test commits. Every request the page makes is recorded; tests assert that none leaves the app.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from scripts.chromium import CHROMIUM_ARGS, executable


@pytest.fixture(scope="session")
def live_server(app):
    """The app served on 127.0.0.1 (a free port) for the whole session."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(live_server):
    """pytest-playwright resolves `page.goto("/kaart")` against the live server."""
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium (no `playwright install`), without background traffic to Google."""
    chromium = executable()
    if chromium is None:
        pytest.skip("chromium is not installed: run `make chromium`")
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}


@dataclass
class PageWatch:
    """What a page did besides rendering: requests, console errors, page errors, dialogs."""

    origin: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        """Requests to any host other than the app's own (the tile server is local in tests)."""
        own = urlsplit(self.origin).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != own
        ]


@pytest.fixture
def watch(page, live_server):
    """Record the page's requests and errors; refuse every request that leaves the app."""
    seen = PageWatch(origin=live_server)
    own = urlsplit(live_server).netloc

    def guard(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            route.abort()

    page.route("**/*", guard)
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on(
        "console",
        lambda message: (
            seen.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: seen.page_errors.append(str(error)))

    def on_dialog(dialog):
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return seen
