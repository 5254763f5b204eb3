"""The two yardsticks for the load test, served by the same gunicorn settings as the portal.

`/` is a bare Flask "hello world": the ceiling of the machine, gunicorn and Flask together.
`/page` renders a static 30 KB Jinja page that extends a layout, like a portal page with no
database work. The portal's routes are reported as a share of `/page`, a ratio that holds
across machines. Run: gunicorn -c gunicorn.conf.py --pythonpath bench/load baseline_app:app
"""

from __future__ import annotations

from flask import Flask, render_template
from jinja2 import DictLoader

PAGE_BYTES = 30 * 1024
PARAGRAPH = (
    "<p>In Roggel helpen dorpsgenoten elkaar met boodschappen, klussen en vervoer. "
    "Het NaoberzorgPunt brengt vraag en aanbod bij elkaar, en de flessenpost laat horen "
    "wat er in het dorp leeft.</p>\n"
)
LAYOUT = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>{% block title %}{% endblock %}</title>
<link rel="stylesheet" href="/static/css/portal.css"></head>
<body><header><a href="/">Naoberkaart</a></header>
<main id="inhoud">{% block content %}{% endblock %}</main>
<footer>Naoberkaart</footer></body></html>
"""


def _page_template() -> str:
    """A child template whose rendered size is about 30 KB of static HTML."""
    frame = len(LAYOUT)
    body = PARAGRAPH * ((PAGE_BYTES - frame) // len(PARAGRAPH) + 1)
    return (
        '{% extends "layout.html" %}{% block title %}Statische pagina{% endblock %}'
        "{% block content %}" + body + "{% endblock %}"
    )


app = Flask(__name__)
app.jinja_loader = DictLoader({"layout.html": LAYOUT, "page.html": _page_template()})


@app.get("/")
def hello() -> str:
    """The least a Flask view can do."""
    return "Hello, World!"


@app.get("/page")
def page() -> str:
    """A 30 KB page rendered by Jinja with no data behind it."""
    return render_template("page.html")
