"""Language choice: Dutch by default, English on request, remembered in a cookie."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, current_app, has_request_context, request
from flask_babel import format_date, format_decimal, get_locale, gettext
from flask_login import current_user

from .domain import matching
from .domain.matching import Candidate
from .domain.text import Message
from .domain.wording import kilometres

LANGUAGE_COOKIE = "taal"


def select_locale() -> str:
    """The chosen language: cookie, then the account's setting, then Dutch (also outside requests)."""
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in supported:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in supported:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def language_from_cookie(cookies: Mapping[str, str], config: Mapping) -> str:
    """An anonymous visitor's language: the cookie's when the portal has it, else the default."""
    chosen = cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in config["LANGUAGES"] else config["BABEL_DEFAULT_LOCALE"]


def km(value: float) -> str:
    """A distance in the reader's style: "3,5 km" in Dutch, "3.5 km" in English."""
    return kilometres(value, str(get_locale()))


def explain(candidate: Candidate) -> str:
    """Why a match candidate fits, in the reader's language."""
    return matching.explanation(candidate.reasons, str(get_locale()))


def translate(message: str) -> str:
    """A domain message (`N_`, portal/domain/text.py) in the reader's language; other text as is."""
    if isinstance(message, Message):
        return gettext(message.msgid, **message.values)
    return message


def translated(messages: Mapping[str, str]) -> dict[str, str]:
    """Every message of a field -> message mapping (a selection's errors) translated."""
    return {name: translate(message) for name, message in messages.items()}


def without_none(attributes: dict) -> dict:
    """HTML attributes that have a value (WTForms would write None as the text "None")."""
    return {name: value for name, value in attributes.items() if value is not None}


def register(app: Flask) -> None:
    """Template helpers for language-aware numbers and dates."""
    app.jinja_env.filters["km"] = km
    app.jinja_env.filters["explain"] = explain
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["date"] = lambda value, style="medium": (
        format_date(value, style) if value else ""
    )
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.globals["_attributes"] = without_none
