"""The gateway's merged OpenAPI document, its offline docs, the committed snapshot and a generated client."""

from __future__ import annotations

import asyncio
import importlib
import json
import subprocess
import sys
import typing
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from openapi_spec_validator import OpenAPIV31SpecValidator

from gateway.openapi.merge import HTTP_METHODS, operations
from gateway.openapi.store import MISSING_RETRY_SECONDS, SpecStore
from gateway.routing import SERVICES, owner_of
from khabuan.embedded import free_port
from tests.conftest import DEMO_PASSWORD
from tests.events.catalogue import EVERY_EVENT_TYPE
from tests.gateways import gateway_with_funds_down as gateway_with_funds_down_at
from tests.stackrunner import ROOT, RunningStack

SNAPSHOT = ROOT / "openapi" / "khabuan.json"

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
async def merged(gateway: httpx.AsyncClient) -> dict[str, Any]:
    response = await gateway.get("/openapi.json")
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


def _walk(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def _all_operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield method.upper(), path, item[method]


async def test_merged_document_is_valid_openapi_3_1(merged: dict[str, Any]) -> None:
    assert merged["openapi"] == "3.1.0"
    OpenAPIV31SpecValidator(merged).validate()


@pytest.mark.parametrize("service", SERVICES)
async def test_every_operation_of_a_service_is_in_the_merged_document(
    stack: RunningStack, merged: dict[str, Any], service: str
) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        own = (await client.get(stack.service_url(service) + "/openapi.json")).json()
    # each process's own health and metrics are operational endpoints, not part of the public API
    expected = {(m, p) for m, p in operations(own) if not p.startswith(("/health", "/metrics"))}
    documented = {(m, p) for m, p in operations(merged) if owner_of(p) == service}

    assert expected, f"{service} publishes no operations"
    assert expected - documented == set(), f"missing from the merged document (not routed?): {service}"
    assert documented - expected == set(), f"in the merged document but not in {service}'s own spec"


async def test_gateway_operations_are_documented_and_service_health_is_not(merged: dict[str, Any]) -> None:
    documented = operations(merged)

    assert {("POST", "/v1/auth/token"), ("GET", "/v1/me"), ("GET", "/.well-known/jwks.json")} <= documented
    assert ("GET", "/health") in documented
    assert not {path for _, path in documented} & {"/openapi.json", "/docs", "/redoc"}
    health_owners = {
        op["x-khabuan-service"] for _, p, op in _all_operations(merged) if p.startswith("/health")
    }
    assert health_owners == {"gateway"}


async def test_operation_ids_are_unique(merged: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in _all_operations(merged)]

    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert "create_fund" in ids


async def test_every_ref_resolves(merged: dict[str, Any]) -> None:
    refs = {
        node["$ref"] for node in _walk(merged) if isinstance(node, dict) and isinstance(node.get("$ref"), str)
    }
    assert refs
    for ref in refs:
        assert ref.startswith("#/"), ref
        target: Any = merged
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            assert isinstance(target, dict), f"{ref} does not resolve"
            assert part in target, f"{ref} does not resolve"
            target = target[part]


async def test_every_event_type_is_a_webhook_with_its_payload_schema(merged: dict[str, Any]) -> None:
    def resolve(ref: str) -> dict[str, Any]:
        target: dict[str, Any] = merged
        for part in ref[2:].split("/"):
            target = target[part]
        return target

    webhooks = merged["webhooks"]

    def name(t: Any) -> str:
        return str(t.name if t.schema_version == 1 else f"{t.name}.v{t.schema_version}")

    assert set(webhooks) == {name(t) for t in EVERY_EVENT_TYPE}
    for event_type in EVERY_EVENT_TYPE:
        operation = webhooks[name(event_type)]["post"]
        envelope = resolve(operation["requestBody"]["content"]["application/json"]["schema"]["$ref"])
        assert envelope["properties"]["type"]["const"] == event_type.name
        assert envelope["properties"]["schema_version"]["const"] == event_type.schema_version
        data = resolve(envelope["properties"]["data"]["$ref"])
        assert set(data["properties"]) == set(event_type.data.model_json_schema()["properties"])
        assert "webhook-signature" in operation["description"]


async def test_every_error_answer_is_documented_as_problem_json(merged: dict[str, Any]) -> None:
    for path, item in merged["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            for status, answer in operation["responses"].items():
                if status >= "400":
                    assert list(answer.get("content", {})) == ["application/problem+json"], (
                        method,
                        path,
                        status,
                    )
                    assert answer["content"]["application/problem+json"]["schema"] == {
                        "$ref": "#/components/schemas/Problem"
                    }
    assert "HTTPValidationError" not in merged["components"]["schemas"]
    assert merged["paths"]["/v1/funds/{fund_id}"]["get"]["responses"]["404"]


async def test_the_headers_a_route_honours_are_declared_where_it_honours_them(merged: dict[str, Any]) -> None:
    def parameters(method: str, path: str) -> set[str]:
        return {p["name"] for p in merged["paths"][path][method].get("parameters", [])}

    oauth = ("/v1/auth/token", "/v1/auth/revoke")  # OAuth2 endpoints: form-encoded, idempotent by their RFCs
    keyed = [path for path, item in merged["paths"].items() if "post" in item and path not in oauth]
    assert keyed
    assert all("Idempotency-Key" in parameters("post", path) for path in keyed)
    fund = "/v1/funds/{fund_id}"
    assert "If-None-Match" in parameters("get", fund)
    assert "304" in merged["paths"][fund]["get"]["responses"]
    assert "If-Match" in parameters("patch", fund)
    assert "412" in merged["paths"][fund]["patch"]["responses"]
    approve = merged["paths"]["/v1/funds/{fund_id}/disbursements/{disbursement_id}/approve"]["post"][
        "responses"
    ]
    assert "insufficient-funds" in approve["409"]["description"]
    assert "own-request" in approve["403"]["description"]


async def test_oauth2_password_and_client_credentials_flows_are_declared(merged: dict[str, Any]) -> None:
    scheme = merged["components"]["securitySchemes"]["oauth2"]

    assert scheme["type"] == "oauth2"
    assert scheme["flows"]["password"]["tokenUrl"] == "/v1/auth/token"
    assert scheme["flows"]["password"]["refreshUrl"] == "/v1/auth/token"
    assert scheme["flows"]["clientCredentials"]["tokenUrl"] == "/v1/auth/token"
    assert merged["paths"]["/v1/funds"]["post"]["security"] == [{"oauth2": []}]


async def test_tag_groups_cover_every_tag_one_group_per_service(merged: dict[str, Any]) -> None:
    groups = merged["x-tagGroups"]
    grouped = {tag for group in groups for tag in group["tags"]}

    assert [g["name"] for g in groups] == ["plans", "funds", "assessment", "gateway"]
    assert {tag for _, _, op in _all_operations(merged) for tag in op["tags"]} <= grouped


async def test_an_unchanged_document_answers_304_to_its_etag(gateway: httpx.AsyncClient) -> None:
    first = await gateway.get("/openapi.json")

    again = await gateway.get("/openapi.json", headers={"If-None-Match": first.headers["etag"]})

    assert again.status_code == 304
    assert first.headers["khabuan-spec-sources"] == "plans=live, funds=live, assessment=live"


async def test_the_committed_snapshot_matches_the_live_document(merged: dict[str, Any]) -> None:
    assert SNAPSHOT.exists(), "openapi/khabuan.json is missing: run `make openapi` and commit it"
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    if committed == merged:
        return
    live_ops, committed_ops = operations(merged), operations(committed)
    live_schemas = merged.get("components", {}).get("schemas", {})
    committed_schemas = committed.get("components", {}).get("schemas", {})
    changed = sorted(
        n for n in live_schemas.keys() & committed_schemas.keys() if live_schemas[n] != committed_schemas[n]
    )
    pytest.fail(
        "openapi/khabuan.json is out of date with the live /openapi.json: run `make openapi` and commit it.\n"
        f"  operations added: {sorted(live_ops - committed_ops)}\n"
        f"  operations removed: {sorted(committed_ops - live_ops)}\n"
        f"  schemas added: {sorted(live_schemas.keys() - committed_schemas.keys())}\n"
        f"  schemas removed: {sorted(committed_schemas.keys() - live_schemas.keys())}\n"
        f"  schemas changed: {changed}"
    )


# --- a service down -------------------------------------------------------------------------------


@pytest.fixture
async def gateway_with_funds_down(stack: RunningStack, gateway: httpx.AsyncClient) -> AsyncIterator[str]:
    """A second, in-process gateway on the stack's data folder whose funds service is a closed port,
    as after a restart while funds is down: it has only the copy the first gateway saved on disk."""
    assert (await gateway.get("/openapi.json")).status_code == 200  # the stack's gateway saves its copies
    assert (stack.data_dir / "openapi" / "funds.json").exists()
    async with gateway_with_funds_down_at(stack, stack.data_dir) as url:
        yield url


async def test_a_service_that_is_down_is_still_documented_from_its_saved_copy(
    gateway_with_funds_down: str, merged: dict[str, Any]
) -> None:
    async with httpx.AsyncClient(base_url=gateway_with_funds_down, timeout=30) as client:
        response = await client.get("/openapi.json")
        health = await client.get("/health")

    assert health.json()["components"]["funds"]["status"] == "down"  # really down
    assert response.status_code == 200
    assert response.headers["khabuan-spec-sources"] == "plans=live, funds=cached, assessment=live"
    assert {op for op in operations(response.json()) if owner_of(op[1]) == "funds"} == {
        op for op in operations(merged) if owner_of(op[1]) == "funds"
    }
    assert response.json() == merged


# --- docs -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_pages_load_nothing_from_another_host(gateway: httpx.AsyncClient, page: str) -> None:
    response = await gateway.get(page)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "http://" not in response.text
    assert "https://" not in response.text
    assert "/openapi.json" in response.text


@pytest.mark.parametrize(
    ("asset", "media_type"),
    [
        ("swagger-ui-bundle.js", "text/javascript"),
        ("swagger-ui.css", "text/css"),
        ("redoc.standalone.js", "text/javascript"),
    ],
)
async def test_docs_assets_are_served_by_the_gateway(
    gateway: httpx.AsyncClient, asset: str, media_type: str
) -> None:
    page = (await gateway.get("/docs")).text + (await gateway.get("/redoc")).text
    assert f"/docs/assets/{asset}" in page

    response = await gateway.get(f"/docs/assets/{asset}")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert len(response.content) > 10_000


async def test_an_unknown_docs_asset_is_a_404_problem(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/docs/assets/..%2F..%2Fsettings.py")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


# --- a client generated from the committed snapshot -----------------------------------------------


def _generate_client(folder: Path) -> None:
    config = folder / "config.yaml"
    config.write_text(
        "project_name_override: khabuan-client\npackage_name_override: khabuan_client\npost_hooks: []\n"
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(SNAPSHOT),
            "--output-path",
            str(folder / "khabuan_client"),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


async def test_a_client_generated_from_the_snapshot_logs_in_and_creates_a_fund(
    stack: RunningStack, tmp_path: Path
) -> None:
    await asyncio.to_thread(_generate_client, tmp_path)
    sys.path.insert(0, str(tmp_path))
    try:
        package = importlib.import_module("khabuan_client")
        token_api = importlib.import_module("khabuan_client.api.auth.token")
        create_fund_api = importlib.import_module("khabuan_client.api.funds.create_fund")
        models = importlib.import_module("khabuan_client.models")
        # the form body's class is named after FastAPI's body schema; take it from the signature
        form_type = next(
            t
            for t in typing.get_args(typing.get_type_hints(token_api.asyncio_detailed)["body"])
            if t.__name__ != "Unset"
        )

        anonymous = package.Client(base_url=stack.gateway_url)
        login = await token_api.asyncio_detailed(
            client=anonymous,
            body=form_type(grant_type="password", username="demo-provincial-93", password=DEMO_PASSWORD),
        )
        assert login.status_code == 200, login.content
        client = package.AuthenticatedClient(base_url=stack.gateway_url, token=login.parsed.access_token)
        created = await create_fund_api.asyncio_detailed(
            client=client,
            body=models.FundCreate(
                name_th="กองทุนจากไคลเอนต์ที่สร้างเอง", kind=models.FundKind("pooled_province"), area_code="93"
            ),
        )
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == "khabuan_client" or n.startswith("khabuan_client.")]:
            del sys.modules[name]

    assert created.status_code == 201, created.content
    assert created.parsed.area_code == "93"
    assert created.parsed.name_th == "กองทุนจากไคลเอนต์ที่สร้างเอง"


async def test_a_service_never_seen_is_asked_again_within_a_moment_not_after_the_whole_ttl(
    stack: RunningStack, tmp_path: Path
) -> None:
    async with httpx.AsyncClient() as client:
        funds_spec = (await client.get(f"{stack.service_url('funds')}/openapi.json")).json()
    port, now = free_port(), [0.0]
    store = SpecStore(
        tmp_path,  # no saved copies: funds is never seen until it starts
        {"plans": stack.service_url("plans"), "funds": f"http://127.0.0.1:{port}"},
        ttl=60.0,
        clock=lambda: now[0],
    )
    late_funds = FastAPI(openapi_url=None)
    late_funds.get("/openapi.json")(lambda: funds_spec)
    server = uvicorn.Server(uvicorn.Config(late_funds, host="127.0.0.1", port=port, log_level="warning"))

    async with httpx.AsyncClient() as client:
        before = await store.merged(client, {"openapi": "3.1.0", "paths": {}})
        serving = asyncio.create_task(server.serve())
        while not server.started:
            assert not serving.done(), "the late service did not start"
            await asyncio.sleep(0.05)
        now[0] += MISSING_RETRY_SECONDS + 0.1
        after = await store.merged(client, {"openapi": "3.1.0", "paths": {}})
        now[0] += 1.0
        kept = await store.merged(client, {"openapi": "3.1.0", "paths": {}})
    server.should_exit = True
    await serving

    assert before.sources == {"plans": "live", "funds": "missing"}
    assert after.sources == {"plans": "live", "funds": "live"}
    assert "/v1/funds" in after.document["paths"]
    assert kept is after  # once every service is seen, the document is kept for the TTL again
