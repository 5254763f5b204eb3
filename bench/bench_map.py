"""Benchmark of the map at national scale: server time, bytes, and time to first markers.

For each size (default 1,000 / 10,000 / 100,000 published listings, plus 1 % organisations) a
fresh SQLite file is seeded with `portal.ops.synthetic` (places weighted by population), then:

* server time of `GET /kaart`, `GET /kaart/data.json` and one village's items (Flask test client,
  median of several runs after a warm-up);
* bytes of the national view: the HTML (which carries the map's JSON inline), with and without
  our own and the vendored static files (tiles never counted), and gzipped;
* time until headless Chromium shows the first markers (Playwright against a live server on
  127.0.0.1, a fresh browser context per run, tiles answered by a local blank tile);
* for comparison, the one-point-per-listing design: Folium's FastMarkerCluster with compact
  `[lat, lon]` arrays for the same rows (server time and bytes).

Usage: .venv/bin/python bench/bench_map.py [--sizes 1000 10000 100000] [--runs 7] [--no-browser]
       [--postgres postgresql://postgres@127.0.0.1:5432] [--proposed-index]
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.pop("TEST_DATABASE_URL", None)

import folium  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from folium.plugins import FastMarkerCluster  # noqa: E402
from sqlalchemy import select, text, update  # noqa: E402

from config import TestConfig  # noqa: E402
from portal import create_app  # noqa: E402
from portal.domain.catalogue import maps  # noqa: E402
from portal.domain.catalogue.filters import ListingFilter  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Listing, ListingStatus  # noqa: E402
from portal.ops import synthetic  # noqa: E402
from scripts.chromium import CHROMIUM_ARGS, executable  # noqa: E402

OWN_STATIC = ("css/portal.css", "css/map.css", "js/portal.js", "js/map.js")
VENDOR_STATIC = (
    f"{maps.LEAFLET_DIR}/leaflet.css",
    f"{maps.LEAFLET_DIR}/leaflet.js",
    f"{maps.CLUSTER_DIR}/MarkerCluster.css",
    f"{maps.CLUSTER_DIR}/leaflet.markercluster.js",
)
PROPOSED_INDEX = (
    "CREATE INDEX ix_listing_map ON listing (status, hidden, kind, place_key, public_lat)"
)


@dataclass(frozen=True)
class Options:
    runs: int
    browser_runs: int
    browser: bool
    postgres: str
    index: bool


def seeded_app(size: int, directory: Path, options: Options):
    """A fresh app and database with `size` published, visible listings.

    Both caches are off: the runs after the warm-up would otherwise measure a stored page.
    """
    config = TestConfig(directory)
    config.CACHE_SECONDS = config.PAGE_CACHE_SECONDS = 0
    app = create_app(config)
    with app.app_context():
        upgrade()
        synthetic.generate(db.session, listings=size, volunteers=0, seed=size)
        db.session.execute(update(Listing).values(status=ListingStatus.PUBLISHED, hidden=False))
        if options.index:
            db.session.execute(text(PROPOSED_INDEX))
        if options.postgres:
            db.session.commit()
            db.session.execute(text("ANALYZE"))  # what autovacuum does in production
        db.session.commit()
    return app


@contextmanager
def fresh_database(size: int, options: Options):
    """SQLite: a file in the temporary instance directory. PostgreSQL: a new database."""
    if not options.postgres:
        yield
        return
    import psycopg

    name = f"bench_map_{size}"
    with psycopg.connect(f"{options.postgres}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["TEST_DATABASE_URL"] = f"{options.postgres}/{name}"
    try:
        yield
    finally:
        os.environ.pop("TEST_DATABASE_URL", None)
        with psycopg.connect(f"{options.postgres}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass(frozen=True)
class Timing:
    """Median wall-clock and CPU milliseconds of one request (CPU: this process only, so it
    includes SQLite's work but not PostgreSQL's, and ignores time spent waiting for a core)."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:,.0f} ms ({self.cpu:,.0f})"


def median_ms(client, url: str, runs: int) -> tuple[Timing, bytes]:
    """Median times of GET url (after one warm-up), and the body."""
    body = client.get(url).data
    walls, cpus = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return Timing(statistics.median(walls), statistics.median(cpus)), body


def static_bytes(names: tuple[str, ...]) -> int:
    return sum((ROOT / "static" / name).stat().st_size for name in names)


def busiest_place(app) -> str:
    with app.app_context():
        row = db.session.execute(
            select(Listing.place_key, db.func.count())
            .group_by(Listing.place_key)
            .order_by(db.func.count().desc())
            .limit(1)
        ).first()
    return row[0]


def fast_marker_cluster(app, runs: int) -> tuple[float, int]:
    """The alternative: every listing as a point in FastMarkerCluster (query + render)."""

    def render() -> int:
        with app.test_request_context("/kaart"):
            selection = ListingFilter.from_args({}, db.session)
            statement = selection.listings(db.session).order_by(None)
            rows = db.session.execute(
                statement.with_only_columns(Listing.public_lat, Listing.public_lon, Listing.id)
            ).all()
            fmap = folium.Map(location=[52.2, 5.3], zoom_start=7, tiles=None)
            folium.TileLayer("/test-tiles/{z}/{x}/{y}.png", attr="test", max_zoom=19).add_to(fmap)
            data = [[round(lat, 4), round(lon, 4), ident] for lat, lon, ident in rows]
            FastMarkerCluster(data, callback="function (row) { return L.marker(row); }").add_to(
                fmap
            )
            root = fmap.get_root()
            root.render()
            return len(root.html.render()) + len(root.script.render())

    size = render()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), size


def first_markers_ms(app, runs: int) -> float | None:
    """Median ms from navigation start until Chromium shows the first marker on /kaart."""
    chromium = executable()
    if chromium is None:
        return None
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/kaart"
    times = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                page.goto(url, wait_until="commit")
                page.wait_for_selector(".leaflet-marker-icon.nk-marker", timeout=60_000)
                times.append(page.evaluate("performance.now()"))
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return statistics.median(times)


def kb(size: int) -> str:
    return f"{size / 1024:,.0f} KB"


def measure(size: int, options: Options) -> dict:
    runs = options.runs
    with (
        tempfile.TemporaryDirectory(prefix="bench-map-") as directory,
        fresh_database(size, options),
    ):
        start = time.perf_counter()
        app = seeded_app(size, Path(directory), options)
        seeded = time.perf_counter() - start
        client = app.test_client()
        page_ms, html = median_ms(client, "/kaart", runs)
        data_ms, data = median_ms(client, "/kaart/data.json", runs)
        themes_ms, themes = median_ms(client, "/kaart/themes.json", runs)
        place = busiest_place(app)
        village_ms, _ = median_ms(client, f"/kaart/data.json?place={place}", runs)
        fmc_ms, fmc_bytes = fast_marker_cluster(app, max(3, runs // 2))
        browser_ms = first_markers_ms(app, options.browser_runs) if options.browser else None
        with app.app_context():
            db.engine.dispose()
    return {
        "size": size,
        "seed_s": seeded,
        "page_ms": page_ms,
        "data_ms": data_ms,
        "village_ms": village_ms,
        "html": len(html),
        "html_gz": len(gzip.compress(html)),
        "data": len(data),
        "themes_ms": themes_ms,
        "themes": len(themes),
        "themes_gz": len(gzip.compress(themes)),
        "own_static": static_bytes(OWN_STATIC),
        "vendor_static": static_bytes(VENDOR_STATIC),
        "browser_ms": browser_ms,
        "fmc_ms": fmc_ms,
        "fmc_bytes": fmc_bytes,
    }


def report(results: list[dict], database: str, command: str) -> str:
    lines = [
        f"Machine: {machine()}; database: {database}",
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"Command: `{command}`",
        "",
        "| published listings | `/kaart` server (CPU) | `themes.json` (CPU) | `data.json` (CPU)"
        " | one village's items (CPU) | first view: HTML + themes.json (gzip) | + our static"
        " | + vendor static | first markers in Chromium | FastMarkerCluster instead |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        browser = f"{r['browser_ms']:,.0f} ms" if r["browser_ms"] is not None else "n/a"
        first = r["html"] + r["themes"]
        lines.append(
            f"| {r['size']:,} | {r['page_ms']} | {r['themes_ms']}"
            f" | {r['data_ms']} | {r['village_ms']}"
            f" | {kb(first)} ({kb(r['html_gz'] + r['themes_gz'])})"
            f" | {kb(first + r['own_static'])}"
            f" | {kb(first + r['own_static'] + r['vendor_static'])} | {browser}"
            f" | {r['fmc_ms']:,.0f} ms, {kb(r['fmc_bytes'])} |"
        )
    return "\n".join(lines)


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()};"
        f" load average at the end {load}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--browser-runs", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument(
        "--postgres", default="", help="server URL, e.g. postgresql://postgres@127.0.0.1:5432"
    )
    parser.add_argument(
        "--proposed-index", action="store_true", help=f"also create: {PROPOSED_INDEX}"
    )
    args = parser.parse_args()
    options = Options(
        args.runs, args.browser_runs, not args.no_browser, args.postgres, args.proposed_index
    )
    results = []
    for size in args.sizes:
        result = measure(size, options)
        print(f"{size:>7,}: seeded in {result['seed_s']:.1f} s", file=sys.stderr, flush=True)
        results.append(result)
    database = "PostgreSQL" if args.postgres else "SQLite"
    if args.proposed_index:
        database += " + proposed index"
    print(report(results, database, "python bench/bench_map.py " + " ".join(sys.argv[1:])))


if __name__ == "__main__":
    main()
