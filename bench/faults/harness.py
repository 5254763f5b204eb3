"""The fault scenarios' harness: the portal under gunicorn, a resident in a browser session,
and small HTTP and SQL helpers (bench/faults/faults.py uses them)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
PORT = int(os.environ.get("FAULT_PORT", "8078"))
HOST = f"http://127.0.0.1:{PORT}"
#: Each simulated resident gets its own client address, so rate limits count them apart.
client_addresses = iter(range(1, 250))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    return os.environ["DATABASE_URL"]


def sql(query: str, *params) -> list[tuple]:
    with psycopg.connect(database_url(), autocommit=True, connect_timeout=5) as connection:
        cursor = connection.execute(query, params)
        return cursor.fetchall() if cursor.description else []


# --- the portal under gunicorn ------------------------------------------------------------


class Portal:
    """gunicorn with gunicorn.conf.py and the given extra environment."""

    def __init__(self, **env: str) -> None:
        settings = {
            "PORT": str(PORT),
            "WEB_CONCURRENCY": "2",
            "TRUSTED_PROXIES": "1",
            "SECRET_KEY": "fault-test-only",
            "GUNICORN_ACCESS_LOG": "",
            **env,
        }
        self.log = open(Path(os.environ["FAULT_WORK"]) / "gunicorn.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env={**os.environ, **settings},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: get(f"{HOST}/healthz").status_code == 200, 30)

    def workers(self) -> list[int]:
        return [child.pid for child in psutil.Process(self.process.pid).children()]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=40)
        self.log.close()


def get(url: str, **kwargs) -> requests.Response:
    try:
        return requests.get(url, timeout=10, **kwargs)
    except requests.RequestException:
        return failed_response()


def failed_response() -> requests.Response:
    response = requests.Response()
    response.status_code = 0
    return response


def wait_until(check, seconds: float) -> float:
    """Poll `check` every 0.2 s for at most `seconds`; return how long it took."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            if check():
                return time.monotonic() - start
        except (requests.RequestException, psycopg.Error):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"not within {seconds} s")


# --- a resident in a browser --------------------------------------------------------------


class Resident:
    """A logged-in browser session behind the proxy, with its own client address."""

    def __init__(self, email: str, password: str) -> None:
        self.http = requests.Session()
        self.http.headers["X-Forwarded-For"] = f"127.9.0.{next(client_addresses)}"
        token = self.token("/inloggen")
        response = self.http.post(
            f"{HOST}/inloggen",
            data={"email": email, "password": password, "csrf_token": token},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, response.status_code

    def token(self, path: str) -> str:
        """The form's CSRF token ("" when the page is an error page)."""
        page = self.http.get(f"{HOST}{path}", timeout=10).text
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        return found.group(1) if found else ""

    def listing_form(self, title: str, **extra: str) -> dict[str, str]:
        return {
            "kind": "need",
            "title": title,
            "description": "Boodschappen doen op dinsdag",
            "themes": "naoberzorg",
            "location_query": "Roggel",
            "radius_km": "5",
            "area_kind": "radius",
            "schedule_kind": "ongoing",
            "action": "publish",
            **extra,
        }

    def create_listing(self, form: dict[str, str], token: str, timeout: float = 15):
        return self.http.post(
            f"{HOST}/initiatieven/nieuw",
            data={**form, "csrf_token": token},
            allow_redirects=False,
            timeout=timeout,
        )


def saved_id(response: requests.Response) -> int | None:
    """The new listing's id when the portal acknowledged the write (a redirect to it)."""
    if response.status_code != 302:
        return None
    found = re.search(r"/initiatieven/(\d+)$", response.headers.get("Location", ""))
    return int(found.group(1)) if found else None
