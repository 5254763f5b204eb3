"""Benchmark of the officer's dashboard at national scale: server time and page size.

A fresh SQLite file (or PostgreSQL database) gets LISTINGS synthetic listings with volunteers and
organisations (`portal.ops.synthetic`), then an officer asks for the dashboard with the
selections an officer uses (one municipality, one theme, one municipality and theme, everything)
and for the exports. Server time is the median of a few runs through the Flask test client after
a warm-up, with the result cache off (each run computes everything).

Usage: .venv/bin/python bench/bench_dashboard.py [--listings 100000] [--runs 3]
       [--postgres postgresql://postgres@127.0.0.1:5432/some_empty_database]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.pop("TEST_DATABASE_URL", None)

from flask_migrate import upgrade  # noqa: E402

from config import TestConfig  # noqa: E402
from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Role, User  # noqa: E402
from portal.ops import synthetic  # noqa: E402
from tests.factories import DEFAULT_PASSWORD, make_user  # noqa: E402

URLS = (
    "/dashboard?municipality=Leudal",
    "/dashboard?municipality=Amsterdam",
    "/dashboard?theme=vervoer",
    "/dashboard?municipality=Amsterdam&theme=vervoer",
    "/dashboard",
    "/dashboard/export.csv?municipality=Amsterdam",
    "/dashboard/monitor.csv",
)


def app_with_data(listings: int, postgres: str | None, directory: Path):
    if postgres:
        os.environ["TEST_DATABASE_URL"] = postgres
    app = create_app(TestConfig(directory))
    app.config["CACHE_SECONDS"] = 0
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        if db.session.query(User).filter_by(role=Role.OFFICER).first() is None:
            synthetic.generate(db.session, listings=listings, volunteers=listings // 20, seed=1)
            make_user(db.session, Role.OFFICER, email="officer@bench.example")
            db.session.commit()
    return app


def median_ms(client, url: str, runs: int) -> tuple[float, int]:
    client.get(url)  # warm-up: templates, gazetteer, statement caches
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.data)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", help="an empty PostgreSQL database URL")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        app = app_with_data(options.listings, options.postgres, Path(directory))
        client = app.test_client()
        client.post(
            "/inloggen", data={"email": "officer@bench.example", "password": DEFAULT_PASSWORD}
        )
        database = "PostgreSQL" if options.postgres else "SQLite"
        print(f"| {options.listings:,} listings, {database} | median ms | KB |")
        print("|---|---:|---:|")
        for url in URLS:
            ms, size = median_ms(client, url, options.runs)
            print(f"| `{url}` | {ms:,.0f} | {size / 1024:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
