"""Turn the locust CSV files of one run_load.sh run into bench/results/load.md.

Usage: python bench/load/report.py RESULTS_DIR OUT.md "COMMAND"
RESULTS_DIR holds <run>.json from wrk (paths.lua), <mix>_stats.csv and <mix>_requests.csv from
locust (for each of MIX_RUNS) and <run>-access.log, the gunicorn access lines of each run (their next-to-last field says whether the page cache
answered). The analysis (where the time goes, what to change) is written by hand below
ANALYSIS_MARKER and kept.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

#: wrk runs (NAME.json) → what they measured, in report order.
WRK_RUNS = {
    "hello": "baseline: bare Flask hello world",
    "page": "baseline: static 30 KB Jinja page",
    "list": "portal: /initiatieven with filters, cold",
    "list-warm": "portal: /initiatieven with filters, warm",
    "detail": "portal: /initiatieven/<id>, cold",
    "detail-warm": "portal: /initiatieven/<id>, warm",
    "mapdata": "portal: /kaart/data.json with filters, cold",
    "mapdata-warm": "portal: /kaart/data.json with filters, warm",
}
#: locust runs (NAME_stats.csv) → how the users arrived.
MIX_RUNS = {
    "mix": "users arriving one by one",
    "mix-burst": "users arriving in locust's bursts (50 in the same instant, once a second)",
}
CAPACITY_RUNS = ("list", "list-warm", "detail", "detail-warm", "mapdata", "mapdata-warm")
CAPACITY_GOAL = 0.60
ANALYSIS_MARKER = "<!-- analysis: kept by report.py -->"
P99_GOAL_MS = 500
#: The users arrive and log in during the mix's first seconds (spawn rate 50/s, 200 users).
ARRIVAL_SECONDS = 10


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as file:
        return list(csv.DictReader(file))


def _wrk_table(results: dict[str, dict], directory: Path) -> list[str]:
    page = results.get("page", {}).get("rps") or 0
    lines = [
        "| run | requests | req/s | share of 30 KB page | p50 ms | p95 ms | p99 ms | errors "
        "| page cache hits |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run, figures in results.items():
        share = f"{figures['rps'] / page:.1%}" if page else "–"
        lines.append(
            f"| {WRK_RUNS[run]} | {figures['requests']:,} | {figures['rps']:,.0f} | {share} | "
            f"{figures['p50_ms']:.0f} | {figures['p95_ms']:.0f} | {figures['p99_ms']:.0f} | "
            f"{figures['errors']} | {_hit_rate(directory / f'{run}-access.log')} |"
        )
    return lines


def _hit_rate(access_log: Path) -> str:
    """The share of a run's requests the page cache answered (blank without its access log)."""
    if not access_log.exists():
        return ""
    states = [line.rsplit(" ", 2)[-2] for line in access_log.read_text().splitlines() if line]
    return f"{states.count('hit') / len(states):.0%}" if states else ""


def _line(row: dict[str, str]) -> str:
    name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
    return (
        f"| {name} | {int(row['Request Count']):,} | {float(row['Requests/s']):.1f} | "
        f"{row['50%']} | {row['95%']} | {row['99%']} | {row['Failure Count']} |"
    )


def _mix_table(rows: list[dict[str, str]]) -> list[str]:
    head = [
        "| route | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    return head + [_line(row) for row in rows]


def _mix_after_arrival(request_log: Path, skip: float = ARRIVAL_SECONDS) -> list[str]:
    """Percentiles of the whole mix and of the mix without its first seconds, from locust's log."""
    if not request_log.exists():
        return []
    rows = [line.split(",") for line in request_log.read_text().splitlines() if line]
    if not rows:
        return []
    start = min(float(row[0]) for row in rows)
    every = sorted(float(row[1]) for row in rows)
    later = sorted(float(row[1]) for row in rows if float(row[0]) >= start + skip)
    lines = ["", "| requests | count | p50 ms | p95 ms | p99 ms |", "|---|---:|---:|---:|---:|"]
    for label, times in (("the whole run", every), (f"after the first {skip:.0f} s", later)):
        if times:
            figures = " | ".join(f"{_percentile(times, share):.0f}" for share in (0.5, 0.95, 0.99))
            lines.append(f"| {label} | {len(times):,} | {figures} |")
    return lines


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _total(rows: list[dict[str, str]]) -> dict[str, str]:
    return next(row for row in rows if row["Name"] == "Aggregated")


def _machine() -> list[str]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    postgres = subprocess.run(
        ["psql", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    redis = subprocess.run(
        ["redis-server", "--version"], capture_output=True, text=True, check=False
    ).stdout
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory {int(memory) // 1024**2} GiB",
        f"- {platform.platform()}; Python {platform.python_version()}",
        f"- {postgres}; Redis {redis.split()[2] if redis else '?'}",
        f"- gunicorn: {os.environ.get('WEB_CONCURRENCY', '?')} workers x "
        f"{os.environ.get('GUNICORN_THREADS', '1')} threads (gunicorn.conf.py); locust, "
        "PostgreSQL and Redis on the same machine, all over 127.0.0.1",
    ]


def _goals(wrk: dict[str, dict], mixes: dict[str, list[dict[str, str]]]) -> list[str]:
    lines = ["| goal | measured | met |", "|---|---|---|"]
    for run, rows in mixes.items():
        total = _total(rows)
        errors = int(total["Failure Count"])
        p99 = float(total["99%"])
        arrival = MIX_RUNS[run]
        lines.append(f"| no errors in the mix, {arrival} | {errors} | {_yes(errors == 0)} |")
        lines.append(
            f"| mix p99 < {P99_GOAL_MS} ms, {arrival} | {p99:.0f} ms | {_yes(p99 < P99_GOAL_MS)} |"
        )
    page = wrk.get("page", {}).get("rps") or 0
    for run in CAPACITY_RUNS:
        if run in wrk and page:
            share = wrk[run]["rps"] / page
            route, _, warm = run.partition("-")
            when = "warm page cache" if warm else "first minute after a start or a write"
            lines.append(
                f"| {route} ({when}) ≥ 60 % of the 30 KB page | {share:.1%} "
                f"| {_yes(share >= CAPACITY_GOAL)} |"
            )
    return lines


def _yes(met: bool) -> str:
    return "yes" if met else "**no**"


def main(directory: Path, out: Path, command: str) -> None:
    wrk = {
        run: json.loads((directory / f"{run}.json").read_text())
        for run in WRK_RUNS
        if (directory / f"{run}.json").exists()
    }
    mixes = {
        run: _rows(directory / f"{run}_stats.csv")
        for run in MIX_RUNS
        if (directory / f"{run}_stats.csv").exists()
    }
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Load test: last results",
        "",
        f"Run {stamp} with:",
        "",
        "```sh",
        command,
        "```",
        "",
        *_machine(),
        "",
        "## Goals",
        "",
        *_goals(wrk, mixes),
        "",
        "## Capacity (wrk, no think time): baselines and the portal's heaviest routes",
        "",
        *_wrk_table(wrk, directory),
    ]
    for run, rows in mixes.items():
        hits = _hit_rate(directory / f"{run}-access.log")
        lines += [
            "",
            f"## The mix (locust, think time, empty caches at the start): {MIX_RUNS[run]}",
        ]
        lines += ["", *_mix_table(rows)]
        lines += ["", f"The page cache answered {hits} of the mix's requests." if hits else ""]
        lines += _mix_after_arrival(directory / f"{run}_requests.csv")
    out.write_text("\n".join(lines) + "\n" + _kept_analysis(out))
    print(f"written {out}")


def _kept_analysis(out: Path) -> str:
    """The hand-written analysis below the marker survives a new run."""
    if not out.exists() or ANALYSIS_MARKER not in out.read_text():
        return ""
    return "\n" + ANALYSIS_MARKER + out.read_text().split(ANALYSIS_MARKER, 1)[1]


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
