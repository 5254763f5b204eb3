"""A new gunicorn worker compiles the templates before its first request (portal/ops/warm.py)."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace

from flask import Flask

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_gunicorns_worker_hook_compiles_every_template(app):
    app.jinja_env.cache.clear()
    hook = runpy.run_path(str(CONFIG))["post_worker_init"]
    hook(SimpleNamespace(wsgi=app))
    names = app.jinja_env.list_templates()
    assert len(names) > 50
    assert len(app.jinja_env.cache) == len(names)  # every template compiled, none left for later


def test_the_hook_leaves_other_apps_alone():
    other = Flask("baseline_app")
    runpy.run_path(str(CONFIG))["post_worker_init"](SimpleNamespace(wsgi=other))
    assert len(other.jinja_env.cache or {}) == 0
