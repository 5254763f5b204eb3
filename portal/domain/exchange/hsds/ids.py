"""UUIDv5 ids per portal: the same object always gets the same id, and two portals never collide."""

from __future__ import annotations

import uuid


def namespace(base_url: str) -> uuid.UUID:
    """The UUIDv5 namespace of this portal's ids (stable while PUBLIC_BASE_URL stays)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, base_url.rstrip("/") + "/hsds")


def object_id(ns: uuid.UUID, *parts: object) -> str:
    """The id of a name such as ``organisation/12`` in the portal's namespace."""
    return str(uuid.uuid5(ns, "/".join(str(part) for part in parts)))
