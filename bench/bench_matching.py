"""Benchmark: one full match query (all sides, scored and explained) at 10k, 100k and 1M rows.

Not a test. For each database and size it seeds a fresh database with `portal.ops.synthetic`
(N listings, N volunteer profiles, N/100 organisations, placed the way people live), then times
`find_candidates` for needs in a city centre and in a village and prints p50/p95 per case. The
table goes to ``bench/results/matching.md`` with the machine and the exact command. Benchmark
databases are dropped afterwards unless ``--keep`` is given.

    .venv/bin/python bench/bench_matching.py --sizes 10000 100000 --db sqlite postgres
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from config import Config  # noqa: E402
from portal import create_app  # noqa: E402
from portal.domain.catalogue.listings import place_listing  # noqa: E402
from portal.domain.catalogue.schedule import SLOTS  # noqa: E402
from portal.domain.matching import find_candidates  # noqa: E402
from portal.domain.places.gazetteer import GazetteerEntry, default_gazetteer  # noqa: E402
from portal.domain.places.geography import from_point  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Listing, ListingKind, ListingStatus, ScheduleKind, Theme  # noqa: E402
from portal.models.base import utcnow  # noqa: E402
from portal.ops import synthetic  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "matching.md"
TMP = Path(tempfile.gettempdir())
SQLITE_PATH = str(TMP / "naoberkaart-bench-{size}.sqlite")
PG_NAME = "naoberkaart_bench_{size}"
KM_PER_DEGREE = 111.195
WARM_UP = 20


@dataclass(frozen=True)
class Timing:
    """Latencies of one case, in milliseconds, the average number of candidates, and the
    machine's 1-minute load average when it ended (other work on the machine shows here)."""

    p50: float
    p95: float
    candidates: float
    load: float


@dataclass(frozen=True)
class Result:
    database: str
    size: int
    seed_seconds: float | None  # None: a kept database was timed again
    city: Timing
    village: Timing


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--db", nargs="+", choices=("sqlite", "postgres"), default=["sqlite"])
    parser.add_argument("--queries", type=int, default=200, help="needs timed per case")
    parser.add_argument("--limit", type=int, default=10, help="candidates per side (the default)")
    parser.add_argument("--city", default="Utrecht")
    parser.add_argument("--village", default="Roggel")
    parser.add_argument("--pg-server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    parser.add_argument(
        "--reuse", action="store_true", help="time a kept database again instead of seeding"
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args(argv)


# --- databases ---------------------------------------------------------------------------


def psql(server: str, sql: str) -> str:
    """Run one statement against the server's maintenance database; returns its output."""
    command = ["psql", f"{server}/postgres", "-qtA", "-c", sql]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def database_url(kind: str, size: int, server: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{SQLITE_PATH.format(size=size)}"
    return f"postgresql+psycopg://{server.split('://', 1)[1]}/{PG_NAME.format(size=size)}"


def database_exists(kind: str, size: int, server: str) -> bool:
    if kind == "sqlite":
        return Path(SQLITE_PATH.format(size=size)).exists()
    return PG_NAME.format(size=size) in psql(server, "SELECT datname FROM pg_database").split()


def fresh_database(kind: str, size: int, server: str) -> str:
    """An empty database for this run; returns its SQLAlchemy URL."""
    drop_database(kind, size, server)
    if kind == "postgres":
        psql(server, f"CREATE DATABASE {PG_NAME.format(size=size)}")
    return database_url(kind, size, server)


def drop_database(kind: str, size: int, server: str) -> None:
    if kind == "sqlite":
        Path(SQLITE_PATH.format(size=size)).unlink(missing_ok=True)
    else:
        psql(server, f"DROP DATABASE IF EXISTS {PG_NAME.format(size=size)}")


def make_app(url: str):
    config = Config(TMP / "naoberkaart-bench-instance")
    config.SQLALCHEMY_DATABASE_URI = url
    return create_app(config)


def progress(done: int, total: int) -> None:
    """Print a line every tenth of the way."""
    step = max(total // 10, 1)
    if done % step < 5000 or done == total:
        print(f"    {done:>9,} / {total:,} rows", flush=True)


def seed(size: int, seed_value: int) -> float:
    """Migrate, seed and commit; PostgreSQL gets fresh statistics like autovacuum would."""
    upgrade()
    started = time.perf_counter()
    synthetic.generate(db.session, size, seed=seed_value, progress=progress)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - started


# --- queries -----------------------------------------------------------------------------


def near(place: GazetteerEntry, rng: random.Random) -> tuple[float, float]:
    """A random point within a kilometre of the place's centre."""
    distance, bearing = rng.uniform(0, 1.0), rng.uniform(0, 2 * math.pi)
    north = distance * math.cos(bearing) / KM_PER_DEGREE
    east = distance * math.sin(bearing) / (KM_PER_DEGREE * math.cos(math.radians(place.lat)))
    return place.lat + north, place.lon + east


def query_needs(place: GazetteerEntry, count: int, rng: random.Random) -> list[Listing]:
    """Needs (not stored) near the place's centre, with random themes and schedules like the
    synthetic ones."""
    themes = list(db.session.scalars(select(Theme)))
    needs = []
    for _ in range(count):
        lat, lon = near(place, rng)
        kind = rng.choice(list(ScheduleKind))
        day = utcnow().date() + timedelta(days=rng.randint(1, 60))
        need = Listing(
            kind=ListingKind.NEED,
            status=ListingStatus.PUBLISHED,
            title="Benchmarkvraag",
            schedule_kind=kind,
            event_date=day if kind is ScheduleKind.ONCE else None,
            weekly_slots=sorted(rng.sample(SLOTS, rng.randint(0, 3)), key=SLOTS.index),
            themes=rng.sample(themes, rng.choice((1, 1, 2, 3))),
        )
        place_listing(need, from_point(lat, lon))  # filed as the app files it: a public point
        needs.append(need)
    return needs


def time_case(place_name: str, count: int, limit: int, rng: random.Random) -> Timing:
    """p50/p95 of `find_candidates` over `count` needs near the place (after a warm-up)."""
    place = default_gazetteer().lookup(place_name).best
    now = utcnow()
    needs = query_needs(place, count + WARM_UP, rng)
    for need in needs[:WARM_UP]:
        find_candidates(db.session, need, now=now, limit=limit)
    latencies, found = [], []
    for need in needs[WARM_UP:]:
        started = time.perf_counter()
        candidates = find_candidates(db.session, need, now=now, limit=limit)
        latencies.append((time.perf_counter() - started) * 1000)
        found.append(len(candidates))
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return Timing(cuts[49], cuts[94], statistics.mean(found), os.getloadavg()[0])


def run_one(kind: str, size: int, args: argparse.Namespace) -> Result:
    print(f"== {kind}, {size:,} listings + {size:,} volunteers", flush=True)
    reuse = args.reuse and database_exists(kind, size, args.pg_server)
    url = (
        database_url(kind, size, args.pg_server)
        if reuse
        else fresh_database(kind, size, args.pg_server)
    )
    app = make_app(url)
    try:
        with app.app_context():
            seconds = None if reuse else seed(size, args.seed)
            rng = random.Random(args.seed)
            city = time_case(args.city, args.queries, args.limit, rng)
            village = time_case(args.village, args.queries, args.limit, rng)
            db.session.rollback()
            db.engine.dispose()
    finally:
        if not args.keep:
            drop_database(kind, size, args.pg_server)
    result = Result(kind, size, seconds, city, village)
    print("    " + row(result), flush=True)
    return result


# --- reporting ---------------------------------------------------------------------------


def row(result: Result) -> str:
    city, village = result.city, result.village
    seeding = "reused" if result.seed_seconds is None else f"{result.seed_seconds:.0f} s"
    return (
        f"| {result.database} | {result.size:,} | {seeding} "
        f"| {city.p50:.1f} | {city.p95:.1f} | {city.candidates:.0f} "
        f"| {village.p50:.1f} | {village.p95:.1f} | {village.candidates:.0f} "
        f"| {city.load:.1f} / {village.load:.1f} |"
    )


def table(results: list[Result], args: argparse.Namespace) -> str:
    head = (
        f"| database | listings (+ as many volunteers) | seeding "
        f"| {args.city} p50 ms | {args.city} p95 ms | candidates "
        f"| {args.village} p50 ms | {args.village} p95 ms | candidates | load |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    return "\n".join([head, *(row(result) for result in results)])


def machine(server: str) -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    cores = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    return (
        f"- machine: {cores} CPUs, {cpu}; Python {platform.python_version()}; "
        f"SQLite {__import__('sqlite3').sqlite_version}; {postgres_version(server)}\n"
        f"- date: {utcnow():%Y-%m-%d %H:%M} UTC"
    )


def postgres_version(server: str) -> str:
    try:
        answer = subprocess.run(
            ["psql", f"{server}/postgres", "-tAc", "SHOW server_version"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "PostgreSQL not reachable"
    return f"PostgreSQL {answer.stdout.strip()}"


def report(results: list[Result], args: argparse.Namespace, argv: list[str]) -> str:
    command = shlex.join([".venv/bin/python", "bench/bench_matching.py", *argv])
    return (
        "# Matching benchmark\n\n"
        "One full match query per need: offers/resources, volunteers and organisations, each "
        "searched, checked, scored and explained (`portal.domain.matching.find_candidates`, "
        f"{args.limit} per side). {args.queries} needs per case, placed within 1 km of the centre of "
        f"{args.city} (city) and {args.village} (village), after {WARM_UP} warm-up queries. "
        "Each size is seeded into a fresh database with `portal.ops.synthetic` "
        "(N listings, N volunteer profiles with one account each, N/100 organisations, placed "
        "by population). PostgreSQL is `VACUUM ANALYZE`d after seeding; SQLite runs without "
        "statistics. `load` is the 1-minute load average at the end of the city and village "
        "cases: anything else running on the machine shows there and in the latencies.\n\n"
        f"{machine(args.pg_server)}\n- command: `{command}`\n\n{table(results, args)}\n"
    )


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    results = [run_one(kind, size, args) for kind in args.db for size in args.sizes]
    text_ = report(results, args, argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text_)
    print("\n" + text_)


if __name__ == "__main__":
    main(sys.argv[1:])
