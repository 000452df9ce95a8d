"""Merge the gateway's own OpenAPI document with every service's into one (pure functions, no I/O).

Only operations the gateway actually routes to their owner make it in: a service's /health/* and any
path outside its routing-table prefixes are not reachable through the gateway, so they are left out.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from gateway.webhooks.choices import list_choices
from services.common.events.published import EVENT_EXTENSION
from services.common.openapi import with_problem_responses

Spec = dict[str, Any]
Owner = Callable[[str], str | None]

GATEWAY = "gateway"
TOKEN_URL = "/v1/auth/token"
SECURITY_SCHEME = "oauth2"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
COMPONENT_SECTIONS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
)
_REF = re.compile(r"^#/components/(?P<section>[A-Za-z]+)/(?P<name>[A-Za-z0-9._-]+)$")

# (source, section, name) -> the name the component has in the merged document
Renames = dict[tuple[str, str, str], str]


class MergeConflict(ValueError):
    """Two sources declare the same operation, or a renamed component would shadow another."""


@dataclass(frozen=True)
class Source:
    name: str  # "gateway" or a service name
    spec: Spec


def security_schemes() -> Spec:
    """The one way to authenticate: tokens from the gateway, for people and for partner systems."""
    return {
        SECURITY_SCHEME: {
            "type": "oauth2",
            "description": (
                "Tokens are issued by the gateway. People use the password grant (with refresh tokens); "
                "partner systems use client credentials. Every service verifies the same JWTs."
            ),
            "flows": {
                "password": {"tokenUrl": TOKEN_URL, "refreshUrl": TOKEN_URL, "scopes": {}},
                "clientCredentials": {"tokenUrl": TOKEN_URL, "scopes": {}},
            },
        }
    }


def operations(spec: Spec) -> set[tuple[str, str]]:
    """Every (METHOD, path) in a document."""
    return {
        (method.upper(), path)
        for path, item in spec.get("paths", {}).items()
        for method in item
        if method in HTTP_METHODS
    }


def short_operation_id(operation_id: str, path: str, method: str) -> str:
    """`create_fund_v1_funds_post` → `create_fund`: drop the path-and-method suffix FastAPI appends."""
    suffix = re.sub(r"\W", "_", path) + "_" + method
    if operation_id.endswith(suffix) and len(operation_id) > len(suffix):
        return operation_id[: -len(suffix)]
    return operation_id


def merge_specs(
    gateway: Spec, services: Mapping[str, Spec], owner_of: Owner, *, webhook_notes: str = ""
) -> Spec:
    """One OpenAPI 3.1 document: the gateway's info, every routed operation and every source's event types
    (`webhooks`, each description followed by `webhook_notes`), components without clashes."""
    sources = [_routed(Source(GATEWAY, gateway), owner_of)]
    sources += [_routed(Source(name, spec), owner_of) for name, spec in services.items()]
    renames = _plan_renames(sources)
    paths, components, groups = _merge_sources(sources, renames)
    _assign_operation_ids(paths)
    tags = [{"name": tag} for group in groups for tag in group["tags"]]
    components["securitySchemes"] = {**components.get("securitySchemes", {}), **security_schemes()}
    info = {k: v for k, v in gateway.get("info", {}).items() if k in ("title", "version", "description")}
    webhooks = _merge_webhooks(sources, renames, webhook_notes)
    list_choices(components, _event_types(webhooks))
    document = {
        "openapi": "3.1.0",
        "info": info,
        "paths": dict(sorted(paths.items())),
        **({"webhooks": dict(sorted(webhooks.items()))} if webhooks else {}),
        "components": {
            section: dict(sorted(items.items())) for section, items in components.items() if items
        },
        "tags": tags,
        "x-tagGroups": groups,
    }
    return with_problem_responses(document)


def _merge_webhooks(sources: list[Source], renames: Renames, notes: str) -> Spec:
    """The event catalogue: what Khabuan POSTs to subscribers, each type declared by the process recording it
    and delivered by the gateway (whose delivery rules `notes` tell)."""
    webhooks: Spec = {}
    for source in sources:
        for name, item in _rewrite(source.spec.get("webhooks", {}), source.name, renames).items():
            if name in webhooks:
                raise MergeConflict(f"webhook {name} is declared by two sources")
            for method, operation in item.items():
                if method in HTTP_METHODS and notes:
                    operation["description"] = "\n\n".join(
                        filter(None, [operation.get("description"), notes])
                    )
            webhooks[name] = item
    return webhooks


def _event_types(webhooks: Spec) -> list[str]:
    return [
        operation[EVENT_EXTENSION]["type"]
        for item in webhooks.values()
        for method, operation in item.items()
        if method in HTTP_METHODS and EVENT_EXTENSION in operation
    ]


def without_webhook_extension(document: Spec, key: str) -> Spec:
    """A copy of `document` whose webhook operations lack the extension `key` (facts for the gateway)."""
    webhooks = {
        name: {
            method: {k: v for k, v in operation.items() if k != key} if method in HTTP_METHODS else operation
            for method, operation in item.items()
        }
        for name, item in document.get("webhooks", {}).items()
    }
    return {**document, "webhooks": webhooks} if webhooks else document


def _routed(source: Source, owner_of: Owner) -> Source:
    """Keep the paths the gateway sends to this source; the canonical oauth2 scheme replaces each copy."""
    owner = None if source.name == GATEWAY else source.name
    spec = copy.deepcopy(source.spec)
    spec["paths"] = {path: item for path, item in spec.get("paths", {}).items() if owner_of(path) == owner}
    spec.get("components", {}).get("securitySchemes", {}).pop(SECURITY_SCHEME, None)
    return Source(source.name, spec)


def _plan_renames(sources: list[Source]) -> Renames:
    """A name declared differently by two sources gets each source's prefix; repeat until stable,
    since renaming one schema changes every schema that refers to it."""
    renames: Renames = {}
    changed = True
    while changed:
        changed = False
        for section in COMPONENT_SECTIONS:
            holders: dict[str, list[Source]] = {}
            for source in sources:
                for name in source.spec.get("components", {}).get(section, {}):
                    holders.setdefault(name, []).append(source)
            for name, owners in holders.items():
                if len(owners) < 2 or (owners[0].name, section, name) in renames:
                    continue
                variants = {
                    _canonical(_rewrite(s.spec["components"][section][name], s.name, renames)) for s in owners
                }
                if len(variants) > 1:
                    for s in owners:
                        renames[(s.name, section, name)] = f"{s.name}_{name}"
                    changed = True
    return renames


def _merge_sources(sources: list[Source], renames: Renames) -> tuple[Spec, dict[str, Spec], list[Spec]]:
    paths: Spec = {}
    components: dict[str, Spec] = {}
    groups: list[Spec] = []
    for source in sources:
        spec = _rewrite(source.spec, source.name, renames)
        for section, items in spec.get("components", {}).items():
            merged = components.setdefault(section, {})
            for name, value in items.items():
                final = renames.get((source.name, section, name), name)
                if final in merged and merged[final] != value:
                    raise MergeConflict(f"components/{section}/{final} is declared twice, differently")
                merged[final] = value
        tags: set[str] = set()
        for path, item in spec["paths"].items():
            merged_item = paths.setdefault(path, {})
            for key, value in item.items():
                if key in HTTP_METHODS and key in merged_item:
                    raise MergeConflict(f"{key.upper()} {path} is declared by two sources")
                if key in HTTP_METHODS:
                    value["tags"] = value.get("tags") or [source.name]
                    value["x-khabuan-service"] = source.name
                    tags.update(value["tags"])
                merged_item[key] = value
        if tags:
            groups.append({"name": source.name, "tags": sorted(tags)})
    # services first in routing order, the gateway's own operations last
    groups.sort(key=lambda group: group["name"] == GATEWAY)
    return paths, components, groups


def _assign_operation_ids(paths: Spec) -> None:
    """Short ids (`create_fund`); a short id two operations share gets the service prefix (`funds_…`)."""
    found = [
        (item[method], short_operation_id(item[method].get("operationId", ""), path, method) or method)
        for path, item in paths.items()
        for method in HTTP_METHODS
        if method in item
    ]
    counts = Counter(short for _, short in found)
    seen: set[str] = set()
    for operation, short in found:
        wanted = short if counts[short] == 1 else f"{operation['x-khabuan-service']}_{short}"
        final, n = wanted, 1
        while final in seen:
            n += 1
            final = f"{wanted}_{n}"
        seen.add(final)
        operation["operationId"] = final


def _rewrite(value: Any, source: str, renames: Renames) -> Any:
    """A copy of `value` with every `$ref`, discriminator mapping and security requirement renamed."""
    if isinstance(value, list):
        return [_rewrite(v, source, renames) for v in value]
    if not isinstance(value, dict):
        return value
    out: Spec = {}
    for key, item in value.items():
        if key == "$ref" and isinstance(item, str):
            out[key] = _renamed_ref(item, source, renames)
        elif key == "mapping" and isinstance(item, dict) and all(isinstance(v, str) for v in item.values()):
            out[key] = {k: _renamed_ref(v, source, renames) for k, v in item.items()}
        elif key == "security" and isinstance(item, list):
            out[key] = [
                {renames.get((source, "securitySchemes", k), k): v for k, v in requirement.items()}
                for requirement in item
            ]
        else:
            out[key] = _rewrite(item, source, renames)
    return out


def _renamed_ref(ref: str, source: str, renames: Renames) -> str:
    match = _REF.match(ref)
    if not match:
        return ref
    section, name = match["section"], match["name"]
    return f"#/components/{section}/{renames.get((source, section, name), name)}"


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
