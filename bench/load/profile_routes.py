"""Where one request's time goes, in process: wall time, SQL statements and SQL time per route.

A quick look between full load runs (bench/load/run_load.sh takes minutes): it replays the paths
prepare.py wrote through Flask's test client against DATABASE_URL and prints, per route, the
mean and p95 wall time, the Python CPU time, the mean number of SQL statements and the share of time spent in them.
With `--slowest N` it also prints the N slowest statements (the ones to EXPLAIN ANALYZE).

Usage (DATABASE_URL set, REDIS_URL optional):
    python bench/load/profile_routes.py PATHS_DIR [--requests 200] [--routes list detail mapdata]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from portal import create_app

_sql = {"count": 0, "seconds": 0.0}
_slow: Counter[str] = Counter()


@event.listens_for(Engine, "before_cursor_execute")
def _start(conn, cursor, statement, parameters, context, executemany) -> None:
    conn.info["naob_started"] = time.perf_counter()


@event.listens_for(Engine, "after_cursor_execute")
def _stop(conn, cursor, statement, parameters, context, executemany) -> None:
    spent = time.perf_counter() - conn.info.pop("naob_started", time.perf_counter())
    _sql["count"] += 1
    _sql["seconds"] += spent
    _slow[" ".join(statement.split())[:300]] += spent


def profile(client, paths: list[str], requests: int) -> dict:
    """Replay `requests` random paths; wall times, statements and SQL seconds per request."""
    rng = random.Random(3)
    walls, statements, sql_seconds = [], [], []
    cpu_started = time.process_time()
    for _ in range(requests):
        path = rng.choice(paths)
        _sql.update(count=0, seconds=0.0)
        started = time.perf_counter()
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        walls.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
        statements.append(_sql["count"])
        sql_seconds.append(_sql["seconds"])
    cpu = time.process_time() - cpu_started
    walls.sort()
    return {
        "cpu_ms": cpu / requests * 1000,
        "mean_ms": statistics.mean(walls) * 1000,
        "p95_ms": walls[int(len(walls) * 0.95) - 1] * 1000,
        "statements": statistics.mean(statements),
        "sql_share": sum(sql_seconds) / sum(walls),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths_dir", type=Path)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--routes", nargs="+", default=["list", "detail", "mapdata", "search"])
    parser.add_argument("--slowest", type=int, default=0)
    args = parser.parse_args()
    app = create_app()
    client = app.test_client()
    for route in args.routes:
        paths = (args.paths_dir / f"paths-{route}.txt").read_text().split()
        profile(client, paths, 10)  # warm up: templates, gazetteer, connections
        figures = profile(client, paths, args.requests)
        print(
            f"{route:8} mean {figures['mean_ms']:6.1f} ms  p95 {figures['p95_ms']:6.1f} ms  "
            f"CPU {figures['cpu_ms']:5.1f} ms  "
            f"{figures['statements']:4.1f} statements  SQL {figures['sql_share']:4.0%}"
        )
    for statement, seconds in _slow.most_common(args.slowest):
        print(f"{seconds:8.3f} s  {statement}")


if __name__ == "__main__":
    main()
