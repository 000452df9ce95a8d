"""The merge of OpenAPI documents on its own: routing filter, component clashes, operation ids, security."""

from __future__ import annotations

from typing import Any

from gateway.openapi.merge import merge_specs, operations, short_operation_id
from gateway.routing import owner_of


def _spec(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": schemas or {},
            "securitySchemes": {
                "oauth2": {"type": "oauth2", "flows": {"password": {"tokenUrl": "x", "scopes": {}}}}
            },
        },
    }


def _op(operation_id: str, ref: str | None = None, *, secured: bool = False) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": operation_id, "responses": {"200": {"description": "ok"}}}
    if ref:
        operation["responses"]["200"]["content"] = {"application/json": {"schema": {"$ref": ref}}}
    if secured:
        operation["security"] = [{"oauth2": []}]
    return operation


GATEWAY = _spec({"/health": {"get": _op("health_health_get")}, "/v1/me": {"get": _op("me_v1_me_get")}})


def test_fastapi_operation_ids_lose_their_path_and_method_suffix() -> None:
    assert short_operation_id("create_fund_v1_funds_post", "/v1/funds", "post") == "create_fund"
    assert short_operation_id("jwks__well_known_jwks_json_get", "/.well-known/jwks.json", "get") == "jwks"
    assert short_operation_id("get_fund_v1_funds__fund_id__get", "/v1/funds/{fund_id}", "get") == "get_fund"
    assert short_operation_id("chosenByHand", "/v1/funds", "get") == "chosenByHand"


def test_only_paths_the_gateway_routes_to_their_owner_are_merged() -> None:
    funds = _spec(
        {
            "/health/live": {"get": _op("live_health_live_get")},
            "/v1/funds": {"post": _op("create_fund_v1_funds_post")},
            "/v1/teams": {"get": _op("sneaky_v1_teams_get")},
        }
    )

    merged = merge_specs(GATEWAY, {"funds": funds}, owner_of)

    assert operations(merged) == {("GET", "/health"), ("GET", "/v1/me"), ("POST", "/v1/funds")}


def test_schemas_that_differ_under_one_name_get_service_prefixes_and_refs_follow() -> None:
    kind = "#/components/schemas/Kind"
    plans = _spec(
        {"/v1/plans": {"get": _op("list_plans_v1_plans_get", "#/components/schemas/Wrapper")}},
        {
            "Kind": {"type": "string", "enum": ["long"]},
            "Wrapper": {"type": "object", "properties": {"kind": {"$ref": kind}}},
            "Shared": {"type": "integer"},
        },
    )
    funds = _spec(
        {"/v1/funds": {"get": _op("list_funds_v1_funds_get", "#/components/schemas/Wrapper")}},
        {
            "Kind": {"type": "string", "enum": ["pooled_province"]},
            "Wrapper": {"type": "object", "properties": {"kind": {"$ref": kind}}},
            "Shared": {"type": "integer"},
        },
    )

    merged = merge_specs(GATEWAY, {"plans": plans, "funds": funds}, owner_of)

    schemas = merged["components"]["schemas"]
    # Wrapper is textually the same in both, but refers to two different Kinds, so it splits too
    assert set(schemas) - {"Problem", "ProblemFieldError"} == {  # the conventions' own, in every document
        "plans_Kind",
        "funds_Kind",
        "plans_Wrapper",
        "funds_Wrapper",
        "Shared",
    }
    assert schemas["funds_Wrapper"]["properties"]["kind"]["$ref"] == "#/components/schemas/funds_Kind"
    response = merged["paths"]["/v1/plans"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/plans_Wrapper"


def test_a_short_operation_id_two_services_share_gets_each_service_prefix() -> None:
    plans = _spec({"/v1/plans": {"get": _op("search_v1_plans_get")}})
    funds = _spec({"/v1/funds": {"get": _op("search_v1_funds_get")}, "/v1/loans": {"get": _op("loans")}})

    merged = merge_specs(GATEWAY, {"plans": plans, "funds": funds}, owner_of)

    ids = {path: item["get"]["operationId"] for path, item in merged["paths"].items()}
    assert ids == {
        "/health": "health",
        "/v1/me": "me",
        "/v1/plans": "plans_search",
        "/v1/funds": "funds_search",
        "/v1/loans": "loans",
    }


def test_one_oauth2_scheme_with_password_and_client_credentials_flows_replaces_each_copy() -> None:
    funds = _spec({"/v1/funds": {"post": _op("create_fund_v1_funds_post", secured=True)}})

    merged = merge_specs(GATEWAY, {"funds": funds}, owner_of)

    flows = merged["components"]["securitySchemes"]["oauth2"]["flows"]
    assert flows["password"] == {"tokenUrl": "/v1/auth/token", "refreshUrl": "/v1/auth/token", "scopes": {}}
    assert flows["clientCredentials"] == {"tokenUrl": "/v1/auth/token", "scopes": {}}
    assert merged["paths"]["/v1/funds"]["post"]["security"] == [{"oauth2": []}]


def test_tag_groups_list_services_in_routing_order_then_the_gateway() -> None:
    plans = _spec({"/v1/plans": {"get": {**_op("list_plans"), "tags": ["plans"]}}})
    funds = _spec({"/v1/funds": {"get": _op("list_funds")}})

    merged = merge_specs(GATEWAY, {"plans": plans, "funds": funds}, owner_of)

    assert merged["x-tagGroups"] == [
        {"name": "plans", "tags": ["plans"]},
        {"name": "funds", "tags": ["funds"]},
        {"name": "gateway", "tags": ["gateway"]},
    ]
    assert [tag["name"] for tag in merged["tags"]] == ["plans", "funds", "gateway"]
