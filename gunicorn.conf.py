"""Gunicorn settings for production-like serving: `gunicorn -c gunicorn.conf.py wsgi:app`.

Everything that differs per server comes from the environment, so one file serves a laptop, a
municipality's VM and the load test alike:

- BIND (e.g. `0.0.0.0:8000` or `unix:/run/naoberkaart.sock`), else 127.0.0.1:$PORT (default 8000):
  behind a reverse proxy on the same host, loopback is all the portal needs to listen on.
- WEB_CONCURRENCY worker processes (default: 2 per core, at least 2). Each is a separate
  Python process, so this is what uses the cores; PostgreSQL and Redis hold everything shared.
- GUNICORN_THREADS per worker (default 1 = the `sync` worker). More than 1 switches to `gthread`,
  which helps when requests wait on I/O (an online geocoder) more than on the CPU.
- GUNICORN_TIMEOUT (default 30 s): a worker silent for this long is killed and replaced; the
  request's transaction is rolled back by PostgreSQL, so nothing is half-written.
- FORWARDED_ALLOW_IPS: addresses of the proxy whose X-Forwarded-* headers are trusted.

Connections: each worker has its own SQLAlchemy pool (5 + 10 overflow by default), so PostgreSQL's
max_connections must exceed workers x 15 plus the cron jobs. `pool_pre_ping` (config.py) replaces
connections broken by a database restart, so the portal heals without a restart of its own.

preload_app stays off: with it the app is imported once in the master and forked, which saves
memory and start-up time, but anything opened at import (a database connection, a Redis client)
would be shared by all workers. The portal opens none at import, yet `post_fork` below disposes
inherited pools anyway, so turning preload on (GUNICORN_PRELOAD=1) stays safe; note that with
preload a code change needs a full restart, not just a HUP.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _bind() -> str:
    return os.environ.get("BIND") or f"127.0.0.1:{_int('PORT', 8000)}"


bind = _bind()
workers = _int("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count() * 2))
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
preload_app = os.environ.get("GUNICORN_PRELOAD", "") in {"1", "true", "yes"}

# A stuck request costs one worker for at most `timeout`; a deploy waits `graceful_timeout` for
# requests in flight before cutting them off.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)  # only gthread keeps connections; sync closes them
backlog = _int("GUNICORN_BACKLOG", 2048)

# Recycle workers now and then, so a slow leak in any library never grows without bound. A new
# worker costs about 2.3 s of CPU (importing the portal) and starts with cold in-process caches;
# with pages served from the page cache a worker can answer 500 requests a second, so a small
# limit (20,000 before) restarted every worker each 40 s, all four within seconds of each other,
# and stalled the server (bench/results/load.md). Hence a high limit and a wide jitter (each
# worker gets a limit between 500,000 and 750,000), which spreads the restarts out.
max_requests = _int("GUNICORN_MAX_REQUESTS", 500_000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 250_000)

# Gunicorn 25+ opens a control socket for `gunicornc` at one path per user ($HOME/.gunicorn), so
# two servers under one account (the portal and the load test's baseline) would share it. Nothing
# here uses it; signals (HUP, TTIN, TERM) still manage the server.
control_socket_disable = True

# Heartbeat files on tmpfs: on a busy disk the master could otherwise mistake a slow write for
# a hung worker.
SHARED_MEMORY = "/dev/shm"  # noqa: S108  (gunicorn creates its files there with mkstemp)
worker_tmp_dir = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None

# Logs to stdout/stderr for journald or the container runtime. The access log ends with whether
# the page cache answered (hit, stored, or - when Flask did) and the response time in
# milliseconds (%(M)s), the figure to watch.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-page-cache}o)s %(M)sms'

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "naoberkaart"


def post_fork(server, worker) -> None:
    """Drop any database connection inherited from the master (only possible with preload)."""
    if not preload_app:
        return
    from portal.extensions import db

    app = server.app.wsgi()
    if hasattr(app, "app_context"):
        with app.app_context():
            db.engine.dispose(close=False)


def post_worker_init(worker) -> None:
    """Compile the templates and load the gazetteer before this worker takes a request."""
    app = worker.wsgi
    if getattr(app, "import_name", None) == "portal":  # not the load test's baselines
        from portal.ops.warm import warm_up

        warm_up(app)
