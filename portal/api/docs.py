"""The OpenAPI document for people: every operation with its parameters, answers, examples.

Rendered by /api/v1/docs (templates/api/docs.html) from the same document the API serves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .openapi import SERVER, Spec, spec_for_reading


def _pretty(value: Any) -> str:
    """JSON as people read it."""
    return json.dumps(value, indent=2, ensure_ascii=False)


@dataclass(frozen=True)
class DocParameter:
    name: str
    location: str
    required: bool
    kind: str
    description: str


@dataclass(frozen=True)
class DocOperation:
    anchor: str
    path: str
    summary: str
    parameters: tuple[DocParameter, ...]
    responses: tuple[tuple[str, str], ...]
    media: str
    example_url: str | None
    example: str | None
    owner_only: bool


def _range(schema: Spec) -> str:
    low, high = schema.get("minimum"), schema.get("maximum")
    words = "geheel getal" if schema["type"] == "integer" else "getal"
    if low is not None and high is not None:
        words += f" {low:g}–{high:g}"
    if "default" in schema:
        words += f", standaard {schema['default']:g}"
    return words


def describe(schema: Spec) -> str:
    """A schema in a few Dutch words, e.g. "geheel getal 1-100, standaard 20"."""
    if schema.get("type") == "array":
        items = schema["items"]
        inner = " | ".join(items["enum"]) if "enum" in items else "tekst"
        return f"lijst: {inner} (herhaalbaar)"
    if schema.get("type") in ("integer", "number"):
        return _range(schema)
    return f"tekst, hoogstens {schema['maxLength']} tekens" if "maxLength" in schema else "tekst"


def _resolve(spec: Spec, item: Spec) -> Spec:
    """Follow a local $ref (#/components/…)."""
    if "$ref" not in item:
        return item
    node: Any = spec
    for part in item["$ref"].removeprefix("#/").split("/"):
        node = node[part]
    return node


def _doc_operation(spec: Spec, path: str, operation: Spec) -> DocOperation:
    parameters = tuple(
        DocParameter(p["name"], p["in"], p["required"], describe(p["schema"]), p["description"])
        for p in (_resolve(spec, item) for item in operation["parameters"])
    )
    responses = tuple(
        (code, _resolve(spec, response)["description"])
        for code, response in operation["responses"].items()
    )
    media, body = next(iter(operation["responses"]["200"]["content"].items()))
    example = body.get("example")
    concrete = "{" not in path
    return DocOperation(
        anchor=operation["operationId"],
        path=SERVER + path,
        summary=operation["summary"],
        parameters=parameters,
        responses=responses,
        media=media,
        example_url=SERVER + path + operation["x-example-query"] if concrete else None,
        example=_pretty(example) if example is not None else None,
        owner_only="security" in operation,
    )


def operations() -> list[DocOperation]:
    """Every operation, in the document's order, ready for the docs template."""
    spec = spec_for_reading()
    return [_doc_operation(spec, path, item["get"]) for path, item in spec["paths"].items()]
