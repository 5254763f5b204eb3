"""Make a freshly started worker ready before it takes its first request.

A new process compiles each Jinja template the first time a page uses it (about 15 ms each, 69
templates) and reads the gazetteer on the first lookup (0.1 s). Left to the first visitors,
that work lands just after a deploy or restart, when every worker starts at once: the first
pages took 100-250 ms of CPU each. gunicorn.conf.py calls `warm_up` in `post_worker_init`,
before the worker accepts a connection.
"""

from __future__ import annotations

import logging
import time

from flask import Flask

from ..domain.places.gazetteer import default_gazetteer

log = logging.getLogger(__name__)


def warm_up(app: Flask) -> None:
    """Compile every template and load the gazetteer in this process."""
    started = time.perf_counter()
    names = app.jinja_env.list_templates()
    for name in names:
        app.jinja_env.get_template(name)
    default_gazetteer()
    log.info(
        "worker ready: %d templates compiled in %.1f s", len(names), time.perf_counter() - started
    )
