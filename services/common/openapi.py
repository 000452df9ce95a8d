"""The API conventions, written into the OpenAPI documents: every error is RFC 9457 problem+json, and the
headers a route honours (Idempotency-Key, If-Match, If-None-Match) are declared where it honours them.

`with_problem_responses` is a pure pass over a whole document (each service's, and the gateway's merged
one): FastAPI would otherwise document only a JSON 422 of its own shape, which is not what Khabuan sends.
The header parameters are added by the routes themselves (`IDEMPOTENT_POST`, `CONDITIONAL_READ`,
`CONDITIONAL_EDIT` as `openapi_extra`), since only a route knows whether it honours them.
"""

from __future__ import annotations

import copy
from typing import Any

from services.common import errors
from services.common.etag import IF_MATCH_PATTERN
from services.common.idempotency import KEY_PATTERN, MAX_KEY_LENGTH, REPLAYED_HEADER

Spec = dict[str, Any]

PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
WRITES = ("post", "put", "patch", "delete")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

PROBLEM_SCHEMAS: Spec = {
    "Problem": {
        "type": "object",
        "title": "Problem",
        "description": (
            "RFC 9457 problem details. `title` and `detail` are in Thai with `Accept-Language: th`; "
            "`type` is stable for code to branch on. Some problems add members of their own "
            "(e.g. insufficient-funds: `fund_id`, `available_satang`, `amount_satang`; "
            "wrong-status: `current_status`)."
        ),
        "required": ["type", "title", "status"],
        "properties": {
            "type": {"type": "string", "description": "`<base>/problems/<slug>`, e.g. …/problems/not-found"},
            "title": {"type": "string", "description": "The kind of problem, in the asked language"},
            "status": {"type": "integer", "description": "The HTTP status"},
            "detail": {"type": "string", "description": "This occurrence, in the asked language"},
            "instance": {"type": "string", "description": "The request path"},
            "errors": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/ProblemFieldError"},
                "description": "validation-failed: one item per invalid field",
            },
        },
        "additionalProperties": True,
    },
    "ProblemFieldError": {
        "type": "object",
        "title": "ProblemFieldError",
        "properties": {
            "pointer": {
                "type": "string",
                "description": "A JSON Pointer (RFC 6901) into the body, e.g. /amount_satang; for a "
                "parameter /<in>/<name>, e.g. /query/updated_since or /header/Idempotency-Key",
            },
            "parameter": {"type": "string", "description": "A query, path or header parameter's name"},
            "in": {"type": "string", "enum": ["query", "path", "header", "cookie"]},
            "detail": {"type": "string", "description": "What is wrong with it, in the asked language"},
        },
        "required": ["detail"],
    },
}

_GENERIC = {
    "400": "Malformed request: the body is not JSON (`malformed-body`), or the query holds raw characters "
    "outside ASCII instead of percent-encoded ones (`unencoded-query`, answered by the edge)",
    "401": "No valid bearer token where one is needed, or an expired or foreign one (`unauthorized`)",
    "403": "The token's role or area does not cover this (`forbidden`, `outside-area`, or the operation's "
    "own)",
    "404": "No such resource (`not-found`)",
    "409": "The resource's state does not allow it, or another request with this Idempotency-Key is still "
    "running (`idempotency-key-in-flight`)",
    "412": "`If-Match` names a version that is no longer current (`precondition-failed`)",
    "428": "An edit sent without `If-Match` (`precondition-required`): read the resource, send its ETag",
    "413": "The body is larger than the service accepts (`payload-too-large`)",
    "415": "The body is not in a media type this operation accepts (`unsupported-media-type`)",
    "503": "Nothing was written and the same request again will most likely succeed (`service-unavailable`, "
    "with `Retry-After`): it met another change at the same moment, or a service it checks with could not "
    "answer",
    "422": "Invalid input (`validation-failed`): `errors[]` names each field — a JSON Pointer into the body "
    "or a parameter — and what is wrong with it; the Idempotency-Key is not 1–255 visible ASCII characters "
    "(`invalid-idempotency-key`); or a business rule refused it (`idempotency-key-reused`: this key was used "
    "with another body)",
}

IDEMPOTENCY_KEY: Spec = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Makes a retry safe: the first answer (success or refusal) is stored for 24 h and replayed with "
        f"`{REPLAYED_HEADER}: true`; the same key with another body is 422 `idempotency-key-reused`."
    ),
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        "pattern": KEY_PATTERN,
        "example": "6f1c0e1e-0b7a-4c1e-9a55-2d3f8e1c7b90",
    },
}
IF_MATCH: Spec = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": "The ETag the edit is based on: 412 when the resource changed since (a weak tag never "
    "matches); without it 428, so an offline copy never overwrites a newer one unseen (`*` edits whatever "
    "is current, on purpose)",
    "schema": {"type": "string", "minLength": 1, "pattern": IF_MATCH_PATTERN},
    "example": '"3-5f2a9c01d4e7"',
}
IF_NONE_MATCH: Spec = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of the copy the client holds: 304 with no body when it is still current",
    "schema": {"type": "string"},
}
_ETAG_HEADER = {"ETag": {"description": "This representation's version", "schema": {"type": "string"}}}

IDEMPOTENT_POST: Spec = {"parameters": [IDEMPOTENCY_KEY]}
CONDITIONAL_READ: Spec = {
    "parameters": [IF_NONE_MATCH],
    "responses": {
        "200": {"headers": _ETAG_HEADER},
        "304": {"description": "Not modified: the client's copy is current", "headers": _ETAG_HEADER},
    },
}
CONDITIONAL_EDIT: Spec = {"parameters": [IF_MATCH], "responses": {"200": {"headers": _ETAG_HEADER}}}


_ALSO = {
    403: "or `forbidden` / `outside-area`: the token's role or area does not cover this",
    409: "or `idempotency-key-in-flight`: another request with this key is still running",
}


def problems(*kinds: type[errors.Problem]) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=`: the problem types of its own it may answer with, by status (the
    conventions' generic ones are added to the same statuses)."""
    by_status: dict[int, list[str]] = {}
    for kind in kinds:
        by_status.setdefault(kind.status, []).append(f"`{kind.slug}`: {kind.title.en}")
    return {
        status: {"description": "; ".join([*items, *([_ALSO[status]] if status in _ALSO else [])])}
        for status, items in sorted(by_status.items())
    }


def with_problem_responses(spec: Spec) -> Spec:
    """A copy of `spec` whose every operation documents the problems it can answer with, as problem+json
    (idempotent: a document already passed through stays the same)."""
    spec = copy.deepcopy(spec)
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(copy.deepcopy(PROBLEM_SCHEMAS))
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if method in METHODS:
                _document_problems(path, method, operation)
    for item in spec.get("webhooks", {}).values():  # what Khabuan sends: the receiver's answers are its own
        for method, operation in item.items():
            if method in METHODS:
                operation.get("responses", {}).pop("422", None)
    for unused in ("HTTPValidationError", "ValidationError"):
        if unused in schemas and f"#/components/schemas/{unused}" not in _refs(spec):
            del schemas[unused]
    return spec


def _document_problems(path: str, method: str, operation: Spec) -> None:
    responses = operation.setdefault("responses", {})
    # the ones the route declares (FastAPI declares 422 wherever it validates input), and the conventions'
    statuses = [status for status in responses if status >= "400"]
    keyed = any(p.get("name") == IDEMPOTENCY_KEY["name"] for p in operation.get("parameters", []))
    if method in WRITES or "requestBody" in operation:
        statuses += ["400"]
    if operation.get("security"):
        statuses += ["401", "403"]
    if "{" in path:
        statuses += ["404"]
    if keyed or method in ("put", "patch", "delete"):
        statuses += ["409"]
    if any(p.get("name") == "If-Match" for p in operation.get("parameters", [])):
        statuses += ["412", "428"]
    if "requestBody" in operation:
        statuses += ["413", "415"]
    if method in WRITES:
        statuses += ["503"]
    for status in sorted(set(statuses)):
        answer = responses.setdefault(status, {})
        answer["description"] = _description(answer.get("description"), status)
        answer["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}


def _description(given: str | None, status: str) -> str:
    # FastAPI's own placeholder is replaced; a route's own description is kept
    if given in (None, "", "Validation Error"):
        return _GENERIC.get(status, "A problem (see its `type`)")
    return given


def _refs(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["$ref"]} if isinstance(value.get("$ref"), str) else set()
        for item in value.values():
            found |= _refs(item)
        return found
    if isinstance(value, list):
        return set().union(*(_refs(item) for item in value)) if value else set()
    return set()
