"""Text the domain hands to people, marked for translation but not translated here.

The domain runs without Flask and so without a reader's language. It writes its messages in
Dutch, the source language, with `N_` (extracted by `pybabel -k N_`); the web layer translates
them when it shows them (`portal.i18n.translate`). A `Message` is the Dutch text itself, so a
command-line tool or a log can print it as it is.
"""

from __future__ import annotations

from typing import Any


class Message(str):
    """A message in Dutch that remembers its msgid and values for translation."""

    msgid: str
    values: dict[str, Any]

    def __new__(cls, msgid: str, **values: Any) -> Message:
        message = super().__new__(cls, msgid % values if values else msgid)
        message.msgid = msgid
        message.values = values
        return message


def N_(msgid: str, **values: Any) -> Message:  # noqa: N802 - the gettext convention
    """Mark `msgid` for translation; `%(name)s` placeholders are filled from `values`."""
    return Message(msgid, **values)
