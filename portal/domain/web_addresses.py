"""Web addresses that people may click: one rule for the forms, the importer and the API.

Only http and https with a host name, no user name in front of the host (the trick
`https://gemeente.nl@evil.example`), no spaces, control characters or backslashes. Anything
else (`javascript:`, `data:`, `//host`, `www.example.nl`) is refused, so a link on the portal can
never run script or pretend to go somewhere it does not.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_LENGTH = 255
SCHEMES = frozenset({"http", "https"})
_FORBIDDEN = re.compile(r"[\s\\\x00-\x1f\x7f]")
_HOST = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*\.?$")


def is_web_address(value: str | None) -> bool:
    """True for a full http(s) address with a host name that is safe to put in a link."""
    if not value or len(value) > MAX_LENGTH or _FORBIDDEN.search(value):
        return False
    try:
        parts = urlsplit(value)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # an unclosed IPv6 bracket or a port that is no number
        return False
    host = parts.hostname or ""
    return (
        parts.scheme.lower() in SCHEMES
        and "@" not in parts.netloc
        and port_ok
        and (bool(_HOST.match(host)) or _is_ip_literal(parts.netloc))
    )


def _is_ip_literal(netloc: str) -> bool:
    """An IPv6 address in brackets, as in http://[2001:db8::1]/."""
    return netloc.startswith("[") and "]" in netloc


def web_address_or_empty(value: str | None) -> str:
    """The address when it is safe to link to, else "" (for data stored before the rule)."""
    return value if is_web_address(value) else ""
