"""Screenshots at phone (360 px) and desktop (1280 px) width, to look at by eye.

Builds a throw-away SQLite database with the demo, serves it with `flask run` on a free loopback
port, and drives Debian's Chromium with Playwright. Nothing leaves this machine: requests to other
hosts (map tiles) are refused. The pictures go to /tmp/screens (never into the repository):

    .venv/bin/python scripts/screenshots.py [--out /tmp/screens] [--widths 360 1280]

Pages: the map (whole and around Roggel), the list, the list near a village, a listing, the new-listing form (as the demo
resident) empty and with errors, the flessenpost page and the prikbord of Roggel; the listing
and the prikbord also as printed (print media) and the prikbord as an A4 PDF.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from chromium import CHROMIUM_ARGS, executable  # a sibling module: scripts/ is on sys.path
from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from portal.domain.places.gazetteer import default_gazetteer

ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]
RESIDENT = ("truus@roggel.demo.naoberkaart.nl", "naoberkaart-demo")
VILLAGE = default_gazetteer().lookup("Roggel").best.key
SLICE_PX = 900
A4_CONTENT_PX = 703  # 186 mm at 96 px per inch


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def demo_server(workdir: Path):
    """`flask run` on a fresh SQLite database with the demo loaded; yields its base URL."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'screens.sqlite'}",
        "INSTANCE_DIR": str(workdir),
        "RATELIMIT_ENABLED": "false",
    }
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([*FLASK, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    log = (workdir / "server.log").open("w")
    server = subprocess.Popen(
        [*FLASK, "run", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def wait_until_up(base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 (loopback)
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the demo server at {base} did not start")


def local_only(page: Page, base: str) -> None:
    own = urlsplit(base).netloc

    def guard(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            route.abort()

    page.route("**/*", guard)


def shoot(page: Page, out: Path, name: str, path: str | None = None) -> None:
    if path is not None:
        page.goto(path)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)
    width, height = page.evaluate(
        "[document.documentElement.clientWidth, document.documentElement.scrollHeight]"
    )
    if height > SLICE_PX * 1.5:  # tall pages also in slices, readable at full size
        for number, top in enumerate(range(0, height, SLICE_PX), start=1):
            clip = {"x": 0, "y": top, "width": width, "height": min(SLICE_PX, height - top)}
            page.screenshot(path=str(out / f"{name}-{number}.png"), full_page=True, clip=clip)
    wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    print(f"{out / name}.png{'  <- wider than the screen' if wide else ''}")


def first_listing_path(page: Page) -> str:
    page.goto("/initiatieven?near=Roggel")
    href = page.locator(".results a[href^='/initiatieven/']").first.get_attribute("href")
    return href or "/initiatieven/1"


def log_in(page: Page) -> None:
    page.goto("/inloggen")
    page.fill("#email", RESIDENT[0])
    page.fill("#password", RESIDENT[1])
    page.locator("main form[method=post] [type=submit]").last.click()
    page.wait_for_load_state()


def pages_at(browser, base: str, width: int, out: Path) -> None:
    context = browser.new_context(base_url=base, viewport={"width": width, "height": 800})
    page = context.new_page()
    local_only(page, base)
    detail = first_listing_path(page)
    for name, path in (
        ("kaart", "/kaart"),
        ("kaart-roggel", "/kaart?near=Roggel&radius_km=10"),
        ("lijst", "/initiatieven"),
        ("lijst-roggel", "/initiatieven?near=Roggel"),
        ("initiatief", detail),
        ("flessenpost-roggel", f"/flessenpost/{VILLAGE}"),
        ("prikbord-roggel", f"/prikbord/{VILLAGE}"),
    ):
        shoot(page, out, f"{width}-{name}", path)
    log_in(page)
    shoot(page, out, f"{width}-formulier", "/initiatieven/nieuw")
    page.locator("main form[method=post] [type=submit]").first.click()
    shoot(page, out, f"{width}-formulier-fouten")
    context.close()


def on_paper(browser, base: str, out: Path) -> None:
    """The listing and the prikbord as printed (A4 less margins is about 700 px), and a PDF."""
    page = browser.new_page(base_url=base, viewport={"width": A4_CONTENT_PX, "height": 1000})
    local_only(page, base)
    page.emulate_media(media="print")
    shoot(page, out, "print-initiatief", first_listing_path(page))
    shoot(page, out, "print-prikbord", f"/prikbord/{VILLAGE}")
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    (out / "prikbord-roggel.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    print(f"{out / 'prikbord-roggel.pdf'}: {pages} A4 page(s)")
    page.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "screens")
    parser.add_argument("--widths", type=int, nargs="+", default=[360, 1280])
    args = parser.parse_args()
    if args.out.resolve().is_relative_to(ROOT):
        parser.error("keep screenshots out of the repository")
    chromium = executable() or "/usr/bin/chromium"
    args.out.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="naoberkaart-screens-") as tmp,
        demo_server(Path(tmp)) as base,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for width in args.widths:
            pages_at(browser, base, width, args.out)
        on_paper(browser, base, args.out)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
