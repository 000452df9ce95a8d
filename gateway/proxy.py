"""Forwards /v1 requests to the owning service through one pooled httpx client, streaming both ways."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import structlog
from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

from gateway.routing import ServiceName, owner_of
from services.common import errors
from services.common.i18n import Text
from services.common.middleware import REQUEST_ID_HEADER
from services.common.problems import language_of, problem_response

FORWARDED_REQUEST_HEADERS = frozenset(
    {
        "accept",
        "accept-encoding",
        "accept-language",
        "authorization",
        "content-encoding",
        "content-length",
        "content-type",
        "idempotency-key",
        "if-match",
        "if-modified-since",
        "if-none-match",
        "user-agent",
    }
)
# hop-by-hop headers (RFC 9110 §7.6.1) and those the gateway's own server sets
NOT_FORWARDED_RESPONSE_HEADERS = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "date",
        "server",
    }
)

log = structlog.get_logger()


class ServiceProxy:
    """ASGI app for every path in the routing table."""

    def __init__(self, client: Callable[[], httpx.AsyncClient], urls: dict[ServiceName, str]) -> None:
        self._client = client
        self._urls = urls

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        service = owner_of(scope["path"])
        assert service is not None
        headers = Headers(scope=scope)
        url = self._urls[service] + scope["raw_path"].decode("latin-1")
        if scope["query_string"]:
            url += "?" + scope["query_string"].decode("latin-1")
        upstream_headers = [(k, v) for k, v in headers.items() if k in FORWARDED_REQUEST_HEADERS]
        upstream_headers.append((REQUEST_ID_HEADER, scope.get("state", {}).get("request_id", "")))
        client = scope.get("client")
        upstream_headers.append(("x-forwarded-for", client[0] if client else ""))
        has_body = scope["method"] in ("POST", "PUT", "PATCH", "DELETE")
        request = self._client().build_request(
            scope["method"], url, headers=upstream_headers, content=_body(receive) if has_body else None
        )
        try:
            response = await self._client().send(request, stream=True)
        except httpx.TimeoutException as exc:
            await self._unavailable(scope, receive, send, headers, service, exc, timeout=True)
            return
        except httpx.TransportError as exc:
            await self._unavailable(scope, receive, send, headers, service, exc, timeout=False)
            return
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": response.status_code,
                    "headers": [
                        (k, v)
                        for k, v in response.headers.raw
                        if k.decode("latin-1").lower() not in NOT_FORWARDED_RESPONSE_HEADERS
                    ],
                }
            )
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            await response.aclose()

    async def _unavailable(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: Headers,
        service: ServiceName,
        exc: Exception,
        *,
        timeout: bool,
    ) -> None:
        log.warning(
            "gateway.upstream_failed", service=service, error_type=type(exc).__name__, timeout=timeout
        )
        # a read timeout means the service took the request and went quiet: 504; anything else is 503
        problem: errors.Problem
        if timeout and not isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
            problem = errors.GatewayTimeout(
                Text(
                    f"The {service} service did not answer in time.",
                    f"บริการ {service} ไม่ตอบสนองภายในเวลาที่กำหนด",
                ),
                extensions={"service": service},
            )
        else:
            problem = errors.ServiceUnavailable(
                Text(
                    f"The {service} service is not reachable; other services still work. Try again shortly.",
                    f"ขณะนี้ติดต่อบริการ {service} ไม่ได้ บริการอื่นยังใช้งานได้ กรุณาลองใหม่อีกครั้ง",
                ),
                extensions={"service": service},
                headers={"Retry-After": "5"},
            )
        response = problem_response(problem, language=language_of(headers), instance=scope["path"])
        await response(scope, receive, send)


async def _body(receive: Receive) -> AsyncIterator[bytes]:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        chunk = message.get("body", b"")
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return
