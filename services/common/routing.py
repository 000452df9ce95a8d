"""The route class every Khabuan router uses: POSTs honour Idempotency-Key (see idempotency.py)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request
from fastapi.routing import APIRoute
from fastapi.utils import deep_dict_update
from starlette.responses import Response

from services.common import errors
from services.common.auth import optional_principal
from services.common.idempotency import (
    KEY_HEADER,
    REPLAYED_HEADER,
    STORED_HEADERS,
    Claim,
    IdempotencyStore,
    KeyUse,
    StoredResponse,
    request_fingerprint,
    validate_key,
)
from services.common.openapi import IDEMPOTENT_POST
from services.common.problems import language_of, problem_body

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class KhabuanRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if "POST" in (kwargs.get("methods") or ()):  # every POST honours the key: its docs say so
            extra = copy.deepcopy(kwargs.get("openapi_extra") or {})
            deep_dict_update(extra, copy.deepcopy(IDEMPOTENT_POST))
            kwargs["openapi_extra"] = extra
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        if not self.methods or "POST" not in self.methods:
            return handler

        async def idempotent_handler(request: Request) -> Response:
            store: IdempotencyStore | None = getattr(request.app.state, "idempotency", None)
            use = await _read_key(request) if store is not None else None
            if store is None or use is None:
                return await handler(request)
            claim = await store.claim(use)
            if claim.replay is not None:
                return _replay(claim.replay)
            try:
                response = await handler(request)
            except errors.Problem as problem:
                if 400 <= problem.status < 500 and problem.status != 401:
                    await _store_failure(request, store, claim, _problem_to_store(request, problem))
                else:
                    await store.release(claim)
                raise
            except BaseException:
                await store.release(claim)
                raise
            session = getattr(request.state, "db_session", None)
            if session is not None:
                await store.complete_in(session, claim, _response_to_store(response))
            else:
                await store.complete_alone(claim, _response_to_store(response))
            return response

        return idempotent_handler


async def _read_key(request: Request) -> KeyUse | None:
    """The request's use of its Idempotency-Key (400 for a malformed key); None without a key or a bearer
    token (the request then answers 401: nothing to remember)."""
    key = request.headers.get(KEY_HEADER)
    if key is None:
        return None
    validate_key(key)
    principal = await optional_principal(request)
    if principal is None:
        return None
    body = await request.body()
    return KeyUse(
        f"{principal.kind}:{principal.subject}",
        request.method,
        request.url.path,
        key,
        request_fingerprint(body, request.headers.get("content-type", "")),
    )


async def _store_failure(
    request: Request, store: IdempotencyStore, claim: Claim, stored: StoredResponse
) -> None:
    """Store a business failure after the request's rollback, on the connection its session already holds:
    taking a second pooled connection while holding one lets enough concurrent failures (say, many approvals
    refused for insufficient funds at once) exhaust the pool and wait on each other until it times out."""
    session = getattr(request.state, "db_session", None)
    if session is None:
        await store.complete_alone(claim, stored)
        return
    await session.rollback()
    await store.complete_in(session, claim, stored)
    await session.commit()


def _replay(stored: StoredResponse) -> Response:
    headers = {**stored.headers, REPLAYED_HEADER: "true"}
    return Response(stored.body, status_code=stored.status, headers=headers)


def _response_to_store(response: Response) -> StoredResponse:
    headers = {name: response.headers[name] for name in STORED_HEADERS if name in response.headers}
    return StoredResponse(response.status_code, headers, bytes(response.body))


def _problem_to_store(request: Request, problem: errors.Problem) -> StoredResponse:
    import orjson

    language = language_of(request.headers)
    body = orjson.dumps(problem_body(problem, language, request.url.path))
    headers = {"content-type": "application/problem+json", "content-language": language, **problem.headers}
    return StoredResponse(problem.status, headers, body)


def api_router(**kwargs: Any) -> APIRouter:
    """An APIRouter whose POST routes honour Idempotency-Key."""
    return APIRouter(route_class=KhabuanRoute, **kwargs)
