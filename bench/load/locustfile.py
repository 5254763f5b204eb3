"""Simulated users for bench/load/run_load.sh (locust, headless, loopback only).

User classes, chosen on the command line:
- `Visitor` + `Member`: the mix. Visitors browse anonymously (map, map data, list with filters,
  detail, search); members log in and open /mijn and the matches of their own listings.
- `RouteUser`: one route at full speed (ROUTE=list|detail|mapdata|search), for a closer look.

The baselines and the capacity figures are measured with wrk (bench/load/paths.lua) instead:
locust's Python client tops out near 2,000 requests/s on one core, below the hello world.

LOAD_DATA names the JSON written by prepare.py. LOAD_THINK is the think time of the mix in
seconds ("1-5"); RouteUser does not wait. LOAD_ARRIVAL_SPREAD (seconds, "1") spreads the users'
arrival: locust starts a whole second's worth of users (the spawn rate) in the same instant, once
a second; each user of the mix first waits a random part of that second, so visitors arrive one
by one, as real visitors do. With 0 they arrive in locust's bursts (run_load.sh's mix-burst). LOAD_REQUEST_LOG, when set, names a CSV that gets one
line per request (start time, milliseconds, route, failed), so report.py can show the
percentiles of the minute with and without its first seconds. Every user sends its own
X-Forwarded-For address (in 127.0.0.0/8), as a reverse proxy would, so per-client rate limits
(kept in Redis) count per simulated user; the portal runs with TRUSTED_PROXIES=1.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser

DATA = json.loads(Path(os.environ["LOAD_DATA"]).read_text()) if os.environ.get("LOAD_DATA") else {}
ACCEPT = "text/html,application/json;q=0.9,*/*;q=0.8"
#: Compressed answers as browsers get them (gzip: the encoding locust's client can decode).
ENCODINGS = "gzip, deflate"
REQUEST_LOG = os.environ.get("LOAD_REQUEST_LOG")
ARRIVAL_SPREAD = float(os.environ.get("LOAD_ARRIVAL_SPREAD", "1"))
_addresses = itertools.count(1)
_members = itertools.count(0)


def _think() -> tuple[float, float]:
    low, _, high = os.environ.get("LOAD_THINK", "1-5").partition("-")
    return float(low), float(high or low)


@events.init.add_listener
def _open_request_log(environment, **_kwargs) -> None:
    if not REQUEST_LOG:
        return
    log = open(REQUEST_LOG, "w", encoding="utf-8")  # noqa: SIM115  (closed when locust quits)

    def write(request_type, name, response_time, exception, start_time=None, **_kwargs):
        log.write(f"{start_time:.3f},{response_time:.1f},{name},{int(exception is not None)}\n")

    environment.events.request.add_listener(write)
    environment.events.quitting.add_listener(lambda **_kwargs: log.close())


class _Browser(FastHttpUser):
    """A browser-like client with its own address behind the proxy."""

    abstract = True

    def on_start(self) -> None:
        number = next(_addresses)
        self.headers = {
            "X-Forwarded-For": f"127.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}",
            "Accept": ACCEPT,
            "Accept-Encoding": ENCODINGS,
        }
        self.rng = random.Random(number)

    def get(self, path: str, name: str) -> None:
        self.client.get(path, name=name, headers=self.headers)

    def place(self) -> dict:
        return self.rng.choice(DATA["places"][:100])

    def filters(self) -> str:
        """A realistic filter: a theme, near one of the busier places, within 5 to 25 km."""
        theme = self.rng.choice(DATA["themes"])
        radius = self.rng.choice((5, 10, 25))
        return urlencode({"theme": theme, "near": self.place()["name"], "radius_km": radius})

    def map_page(self) -> None:
        self.get(f"/kaart?{self.filters()}", "/kaart")

    def map_data(self) -> None:
        self.get(f"/kaart/data.json?{self.filters()}", "/kaart/data.json")

    def village_items(self) -> None:
        self.get(
            f"/kaart/data.json?{urlencode({'place': self.place()['key']})}",
            "/kaart/data.json?place=",
        )

    def list_page(self) -> None:
        self.get(f"/initiatieven?{self.filters()}", "/initiatieven")

    def detail(self) -> None:
        listing = self.rng.choice(DATA["listing_ids"])
        self.get(f"/initiatieven/{listing}", "/initiatieven/[id]")

    def search(self) -> None:
        self.get(f"/initiatieven?q={self.rng.choice(DATA['words'])}", "/initiatieven?q=")


class _MixUser(_Browser):
    """A user of the mix: arrives at a random moment of its spawn second, then clicks and thinks."""

    abstract = True
    wait_time = between(*_think())

    def on_start(self) -> None:
        super().on_start()
        if ARRIVAL_SPREAD > 0:
            gevent.sleep(self.rng.uniform(0, ARRIVAL_SPREAD))


class Visitor(_MixUser):
    """An anonymous resident or officer looking around."""

    weight = 4

    @task(1)
    def open_map(self) -> None:
        self.map_page()

    @task(3)
    def load_map_data(self) -> None:
        self.map_data()

    @task(1)
    def open_village(self) -> None:
        self.village_items()

    @task(3)
    def open_list(self) -> None:
        self.list_page()

    @task(3)
    def open_detail(self) -> None:
        self.detail()

    @task(2)
    def search_text(self) -> None:
        self.search()


class Member(_MixUser):
    """A resident with an account: logs in once, then checks their listings and matches."""

    weight = 1

    def on_start(self) -> None:
        super().on_start()
        self.account = DATA["members"][next(_members) % len(DATA["members"])]
        self.log_in()

    def log_in(self) -> None:
        plain = {**self.headers, "Accept-Encoding": "identity"}
        form = self.client.get("/inloggen", name="/inloggen", headers=plain)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text or "")
        data = {"email": self.account["email"], "password": DATA["password"]}
        if token:
            data["csrf_token"] = token.group(1)
        with self.client.post(
            "/inloggen", data=data, name="POST /inloggen", headers=plain, catch_response=True,
            allow_redirects=False,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"login failed: {response.status_code}")

    @task(2)
    def mine(self) -> None:
        self.get("/mijn", "/mijn")

    @task(2)
    def matches(self) -> None:
        listing = self.rng.choice(self.account["listings"])
        self.get(f"/api/v1/listings/{listing}/matches", "/api/v1/listings/[id]/matches")

    @task(2)
    def browse(self) -> None:
        self.rng.choice((self.list_page, self.detail, self.map_data))()


ROUTES = {"list": "list_page", "detail": "detail", "mapdata": "map_data", "search": "search"}


class RouteUser(_Browser):
    """One route as fast as the server answers (ROUTE=list|detail|mapdata|search)."""

    wait_time = constant(0)

    @task
    def route(self) -> None:
        getattr(self, ROUTES[os.environ.get("ROUTE", "list")])()
