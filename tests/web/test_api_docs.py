"""The OpenAPI document, its examples and the human docs page."""

from __future__ import annotations

import re

import jsonschema_rs
import pytest

from portal.api import docs as docs_page
from portal.api import examples, openapi

API = "/api/v1"


# --- the OpenAPI document and the docs page -------------------------------------------------


def _documented(path: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", path).removeprefix(openapi.SERVER)


def test_openapi_describes_every_api_route(app, client, session):
    routes = {
        _documented(rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(openapi.SERVER)
    }
    spec = client.get(f"{API}/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1") and set(spec["paths"]) == routes


@pytest.mark.parametrize("name", sorted(examples.EXAMPLES))
def test_openapi_examples_fit_their_schemas(name):
    document = openapi.document()
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    jsonschema_rs.validator_for(schema).validate(examples.EXAMPLES[name])
    assert name in document["components"]["schemas"]


def test_docs_page_shows_every_endpoint_and_parameter(client, session):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200 and "openapi.json" in response.text
    for operation in docs_page.operations():
        assert f"GET {operation.path}" in response.text
        for parameter in operation.parameters:
            assert f"<code>{parameter.name}</code>" in response.text
