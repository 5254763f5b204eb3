"""Fault scenarios against a real gunicorn + PostgreSQL + Redis portal (run by run_faults.sh).

Each scenario breaks one thing on this machine, drives the portal as users would (over
127.0.0.1 only, bounded in time), and checks what users saw and what the database kept:

1. database: PostgreSQL stops for OUTAGE seconds under a write and read load, then comes back;
   requests in between must get the Dutch 503 page, the portal must recover without a restart,
   and every write the portal acknowledged must be in the database.
2. smtp: the mail server is down while residents ask for password links; the request must not
   wait for it, the mail waits in the outbox and goes out once the server is back.
3. geocoder: the online geocoder hangs (a port that accepts and never answers); forms with a
   known place or a clicked point must still save, and an address must get a message, not a 500.
4. worker: a gunicorn worker is killed (SIGKILL) while it is inside a write; the user retries,
   and exactly one complete listing exists afterwards.

Usage: python bench/faults/faults.py DATA.json OUT.md   (DATABASE_URL set; see run_faults.sh)
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import psycopg
import requests
from harness import (
    HOST,
    ROOT,
    Portal,
    Resident,
    client_addresses,
    database_url,
    failed_response,
    free_port,
    get,
    saved_id,
    sql,
    wait_until,
)

OUTAGE = float(os.environ.get("OUTAGE_SECONDS", "6"))
PG_CLUSTER = os.environ.get("PG_CLUSTER", "15 main").split()
DUTCH_503 = "De kaart is even niet bereikbaar"

# --- 1. the database stops and comes back -------------------------------------------------


@dataclass
class Tally:
    """What users saw, per phase of the outage."""

    outcomes: dict[str, Counter] = field(default_factory=dict)
    acknowledged: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, phase: str, outcome: str) -> None:
        with self.lock:
            self.outcomes.setdefault(phase, Counter())[outcome] += 1


class Clock:
    """Which phase of the outage we are in: before, during, after."""

    phase = "before"


def _outcome(response: requests.Response) -> str:
    if response.status_code in (200, 302):
        return "ok"
    if response.status_code == 503:
        return "503 Dutch page" if DUTCH_503 in response.text else "503 other"
    return f"{response.status_code or 'no answer'}"


def _writer(resident: Resident, tally: Tally, stop: threading.Event, name: str) -> None:
    token = resident.token("/initiatieven/nieuw")
    for number in range(100_000):
        if stop.is_set():
            return
        title = f"storing-{name}-{number}"
        phase = Clock.phase
        try:
            response = resident.create_listing(resident.listing_form(title), token)
        except requests.RequestException:
            response = failed_response()
        tally.add(f"{phase}: writes", _outcome(response))
        if saved_id(response):
            with tally.lock:
                tally.acknowledged.add(title)
        time.sleep(0.05)


def _reader(tally: Tally, stop: threading.Event, path: str) -> None:
    while not stop.is_set():
        phase = Clock.phase
        tally.add(f"{phase}: reads", _outcome(get(f"{HOST}{path}")))
        time.sleep(0.05)


def _pg(action: str) -> None:
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", *PG_CLUSTER, action]
    if action == "stop":
        command += ["-m", "fast"]
    subprocess.run(command, check=True, capture_output=True)


def database_outage(data: dict) -> list[str]:
    portal = Portal()
    residents = [Resident(member["email"], data["password"]) for member in data["members"][:3]]
    tally, stop = Tally(), threading.Event()
    threads = [
        threading.Thread(target=_writer, args=(resident, tally, stop, str(i)))
        for i, resident in enumerate(residents)
    ] + [
        threading.Thread(target=_reader, args=(tally, stop, path))
        for path in ("/initiatieven?near=Roggel", "/kaart/data.json")
    ]
    for thread in threads:
        thread.start()
    try:
        time.sleep(5)
        Clock.phase = "during"
        stopped = time.monotonic()
        _pg("stop")
        time.sleep(OUTAGE)
        _pg("start")
        down = time.monotonic() - stopped
        Clock.phase = "after"
        recovered = wait_until(lambda: _write_works(residents[0]), 60)
        time.sleep(8)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        portal.stop()
    return _outage_report(tally, down, recovered)


def _write_works(resident: Resident) -> bool:
    token = resident.token("/initiatieven/nieuw")
    if not token:
        return False
    return (
        saved_id(resident.create_listing(resident.listing_form("storing-probe"), token)) is not None
    )


def _outage_report(tally: Tally, down: float, recovered: float) -> list[str]:
    rows = sql(
        "SELECT title FROM listing WHERE title LIKE 'storing-%%' AND title <> 'storing-probe'"
    )
    present = Counter(title for (title,) in rows)
    lost = sorted(tally.acknowledged - set(present))
    doubled = sorted(title for title, count in present.items() if count > 1)
    lines = [
        f"PostgreSQL stopped (`pg_ctlcluster … stop -m fast`) for {down:.1f} s under 3 writers "
        "(new listings) and 2 readers (list, map data); the portal was not restarted.",
        "",
        "| phase | requests | outcomes |",
        "|---|---:|---|",
    ]
    for phase, counts in sorted(tally.outcomes.items(), key=lambda item: _order(item[0])):
        outcome = ", ".join(f"{name}: {count}" for name, count in counts.most_common())
        lines.append(f"| {phase} | {sum(counts.values())} | {outcome} |")
    lines += [
        "",
        f"- First acknowledged write {recovered:.1f} s after PostgreSQL was started again.",
        f"- Writes acknowledged: {len(tally.acknowledged)}; of those in the database: "
        f"{len(tally.acknowledged) - len(lost)}; lost: {len(lost)}; stored twice: {len(doubled)}.",
        f"- Rows present that were not acknowledged (committed, answer lost): "
        f"{len(set(present) - tally.acknowledged)}.",
    ]
    return lines


def _order(phase: str) -> tuple[int, str]:
    return (["before", "during", "after"].index(phase.split(":", maxsplit=1)[0]), phase)


# --- 2. the SMTP server is down -----------------------------------------------------------


class _Smtp(socketserver.StreamRequestHandler):
    """Enough SMTP for smtplib; each message's Subject and To are kept."""

    def handle(self) -> None:
        self.wfile.write(b"220 smtp.test ESMTP\r\n")
        for raw in self.rfile:
            verb = raw[:4].upper()
            if verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            if verb == b"DATA":
                self.wfile.write(b"354 go ahead\r\n")
                self.server.received.append(self._message())
            self.wfile.write(b"250 OK\r\n")

    def _message(self) -> str:
        lines = []
        for raw in self.rfile:
            if raw.rstrip(b"\r\n") == b".":
                break
            lines.append(raw.decode(errors="replace"))
        return "".join(line for line in lines if line.startswith("To:"))


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Smtp)
        self.received: list[str] = []


def _ask_for_links(members: list[dict]) -> list[tuple[int, float]]:
    """Residents ask for a password link; (status, seconds) per request."""
    timings = []
    for member in members:
        http = requests.Session()
        http.headers["X-Forwarded-For"] = f"127.9.1.{next(client_addresses)}"
        page = http.get(f"{HOST}/wachtwoord-vergeten", timeout=10).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        start = time.monotonic()
        response = http.post(
            f"{HOST}/wachtwoord-vergeten",
            data={"email": member["email"], "csrf_token": token},
            allow_redirects=False,
            timeout=30,
        )
        timings.append((response.status_code, time.monotonic() - start))
    return timings


def smtp_down(data: dict, count: int = 5) -> list[str]:
    port = free_port()
    env = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port), "MAIL_USE_TLS": "false"}
    portal = Portal(**env)
    sql("DELETE FROM mail_outbox")
    try:
        timings = _ask_for_links(data["members"][10 : 10 + count])
    finally:
        portal.stop()

    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "send-mail", "--loop",
         "--sleep", "2", "--max-seconds", "150"],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    time.sleep(10)
    waiting = sql("SELECT count(*), max(attempts) FROM mail_outbox WHERE sent_at IS NULL")[0]
    server = SmtpServer(port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    back = time.monotonic()
    try:
        took = wait_until(lambda: len(server.received) >= count, 140)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
        server.shutdown()
        server.server_close()
    rows = sql("SELECT count(*), max(attempts) FROM mail_outbox WHERE sent_at IS NOT NULL")[0]
    slowest = max(seconds for _, seconds in timings)
    return [
        f"The portal was configured with an SMTP server on a closed port (connection refused); "
        f"{count} residents asked for a password link; `send-mail --loop` ran as the worker.",
        "",
        f"- Answers to the residents: {Counter(code for code, _ in timings)} "
        f"(slowest {slowest * 1000:.0f} ms: the request does not wait for SMTP).",
        f"- After 10 s with SMTP down: {waiting[0]} mails waiting in the outbox "
        f"(attempts so far: {waiting[1]}).",
        f"- SMTP started again: all {len(server.received)} mails delivered {took:.0f} s later "
        "(the first retry comes a minute after a failure); "
        f"rows marked sent: {rows[0]}, most attempts: {rows[1]}; duplicates: "
        f"{len(server.received) - len(set(server.received))}.",
        f"- Server up for {time.monotonic() - back:.0f} s in total.",
    ]


# --- 3. the online geocoder hangs ---------------------------------------------------------


def geocoder_down(data: dict) -> list[str]:
    hole = socket.socket()
    hole.bind(("127.0.0.1", 0))
    hole.listen(64)  # accepts connections into the backlog and never answers
    port = hole.getsockname()[1]
    env = {"GEOCODER": "pdok", "GEOCODER_DOMAIN": f"127.0.0.1:{port}", "GEOCODER_SCHEME": "http"}
    portal = Portal(**env)
    try:
        lines = _geocoder_cases(Resident(data["members"][20]["email"], data["password"]))
    finally:
        portal.stop()
        hole.close()
    return [
        "The portal was configured with PDOK's geocoder at a loopback port that accepts "
        "connections and never answers (worse than a refused connection).",
        "",
        "| form | answer | time | saved |",
        "|---|---|---:|---|",
        *lines,
    ]


def _geocoder_cases(resident: Resident) -> list[str]:
    token = resident.token("/initiatieven/nieuw")
    marker = uuid.uuid4().hex[:8]
    cases = {
        "a known place (Roggel)": {},
        "a point clicked on the map": {"location_query": "", "lat": "51.2636", "lon": "5.9922"},
        "an address only the geocoder knows": {"location_query": "Dorpstraat 12, Roggel"},
    }
    lines = []
    for number, (label, extra) in enumerate(cases.items()):
        title = f"geocoder-{marker}-{number}"
        start = time.monotonic()
        response = resident.create_listing(resident.listing_form(title, **extra), token, timeout=60)
        seconds = time.monotonic() - start
        stored = sql("SELECT count(*) FROM listing WHERE title = %s", title)[0][0]
        answer = f"{response.status_code}" + (
            " (message at the field, input kept)"
            if response.status_code == 400 and "Dorpstraat 12" in response.text
            else ""
        )
        lines.append(
            f"| {label} | {answer} | {seconds * 1000:.0f} ms | {'yes' if stored else 'no'} |"
        )
    return lines


# --- 4. a worker is killed inside a write -------------------------------------------------


def worker_killed(data: dict) -> list[str]:
    portal = Portal()
    try:
        return _kill_inside_a_write(
            portal, Resident(data["members"][30]["email"], data["password"])
        )
    finally:
        portal.stop()


def _kill_inside_a_write(portal: Portal, resident: Resident) -> list[str]:
    token = resident.token("/initiatieven/nieuw")
    title = f"afgebroken-{uuid.uuid4().hex[:8]}"
    form = resident.listing_form(title, themes="naoberzorg")
    with psycopg.connect(database_url(), connect_timeout=5) as blocker:
        blocker.execute("LOCK TABLE listing IN SHARE ROW EXCLUSIVE MODE")  # INSERTs wait here
        outcome: dict[str, object] = {}
        request = threading.Thread(target=_post_into, args=(resident, form, token, outcome))
        request.start()
        victim = _worker_waiting_on_lock(portal)
        os.kill(victim, signal.SIGKILL)
        blocker.rollback()
    request.join()
    wait_until(lambda: len(portal.workers()) == 2 and victim not in portal.workers(), 30)
    retried = resident.create_listing(form, token)
    rows = sql("SELECT id FROM listing WHERE title = %s", title)
    themes = sql(
        "SELECT count(*) FROM listing_theme JOIN listing ON listing.id = listing_id "
        "WHERE title = %s",
        title,
    )[0][0]
    return [
        "A resident saves a new listing; the INSERT is held by a table lock so the request is "
        "certainly inside its transaction; the worker serving it gets SIGKILL; the resident "
        "presses the button again.",
        "",
        f"- First try: {outcome.get('result')} (worker {victim} killed; gunicorn started a new "
        "one, 2 workers again).",
        f"- Retry: {retried.status_code} → {retried.headers.get('Location', '')}.",
        f"- Listings with that title: {len(rows)} (expected 1); its theme links: {themes} "
        "(expected 1): nothing half-written, nothing doubled.",
    ]


def _post_into(resident: Resident, form: dict, token: str, outcome: dict) -> None:
    try:
        response = resident.create_listing(form, token, timeout=30)
        outcome["result"] = f"HTTP {response.status_code}"
    except requests.RequestException as error:
        outcome["result"] = f"connection closed without an answer ({type(error).__name__})"


def _worker_waiting_on_lock(portal: Portal) -> int:
    """The gunicorn worker whose database connection waits on the lock."""
    query = (
        "SELECT client_port FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND query LIKE 'INSERT INTO listing %%'"
    )
    wait_until(lambda: sql(query), 15)
    port = sql(query)[0][0]
    for pid in portal.workers():
        for connection in psutil.Process(pid).net_connections(kind="tcp"):
            if connection.laddr and connection.laddr.port == port:
                return pid
    raise LookupError("no worker holds that connection")


# --- report -------------------------------------------------------------------------------

SCENARIOS = {
    "database": ("Database stops during load and comes back", database_outage),
    "smtp": ("SMTP down: mail waits in the outbox", smtp_down),
    "geocoder": ("Geocoder down: forms still save", geocoder_down),
    "worker": ("A worker killed mid-request", worker_killed),
}


def main(data_file: Path, out: Path) -> None:
    data = json.loads(data_file.read_text())
    wanted = os.environ.get("SCENARIOS", " ".join(SCENARIOS)).split()
    lines = [
        "# Fault tests: last results",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M %Z')} with `bench/faults/run_faults.sh` "
        f"(gunicorn.conf.py, 2 sync workers, PostgreSQL and Redis on this machine, 127.0.0.1 only).",
    ]
    for name in wanted:
        title, scenario = SCENARIOS[name]
        print(f"== {name}", flush=True)
        lines += ["", f"## {title}", "", *scenario(data)]
        out.write_text("\n".join(lines) + "\n")  # after each scenario: a later one may fail
    print(f"written {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
