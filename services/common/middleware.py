"""Pure ASGI middleware shared by every process: request id and access log, body limit, media type."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterable

import structlog
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.common import errors
from services.common.i18n import Text
from services.common.metrics import observe_request
from services.common.problems import language_of, problem_response

REQUEST_ID_HEADER = "x-request-id"
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_DISCARD_FACTOR = 8

log = structlog.get_logger()


def incoming_request_id(headers: Headers) -> str:
    """Keep a well-formed id the caller (or the gateway) sent; otherwise make a new one."""
    given = headers.get(REQUEST_ID_HEADER, "")
    return given if SAFE_REQUEST_ID.match(given) else uuid.uuid4().hex


class RequestContextMiddleware:
    """Binds the request id to every log line, echoes it back, and logs one line per request."""

    def __init__(self, app: ASGIApp, *, process: str, quiet_paths: Iterable[str] = ()) -> None:
        self.app = app
        self.process = process
        self.quiet_paths = frozenset(quiet_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        request_id = incoming_request_id(headers)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                elapsed = time.perf_counter() - started
                observe_request(self.process, scope, status, elapsed)
                if scope["path"] not in self.quiet_paths:
                    client = scope.get("client")  # the caller's address, from the edge's X-Forwarded-For
                    log.info(
                        "http.request_completed",
                        method=scope["method"],
                        path=scope["path"],
                        status=status,
                        duration_ms=round(elapsed * 1000, 2),
                        client=client[0] if client else None,
                    )


# the paths that take a file (multipart/form-data) and a larger body: the edge allows them the same
UPLOAD_PATHS: tuple[str, ...] = ("/v1/imports", "/v1/evidence")


class BodyLimitMiddleware:
    """413 for bodies over the limit, whether announced by Content-Length or streamed; an upload path has
    the larger `upload_bytes`."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, upload_paths: Iterable[str] = (), upload_bytes: int = 0
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_paths = frozenset(upload_paths)
        self.upload_bytes = upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self.upload_bytes if scope["path"] in self.upload_paths else self.max_bytes
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._reject(scope, receive, send, headers, declared=int(declared), limit=limit)
            return
        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if response_started:
                raise
            await self._reject(scope, receive, send, headers, declared=None, limit=limit)

    async def _reject(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: Headers,
        *,
        declared: int | None,
        limit: int,
    ) -> None:
        problem = errors.PayloadTooLarge(
            Text(
                f"The body may be at most {limit} bytes.",
                f"ข้อมูลที่ส่งต้องมีขนาดไม่เกิน {limit} ไบต์",
            )
        )
        response = problem_response(problem, language=language_of(headers), instance=scope["path"])
        # closing with the body unread resets the socket and the client may never see this 413, so the
        # server reads and discards the rest; only an absurd announced size is cut off
        if declared is not None and declared > _DISCARD_FACTOR * limit:
            response.headers["connection"] = "close"
        await response(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


class MediaTypeMiddleware:
    """415 when a body is sent in a media type the path does not accept (JSON unless listed)."""

    def __init__(self, app: ASGIApp, *, form_paths: Iterable[str] = ()) -> None:
        self.app = app
        self.form_paths = frozenset(form_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        has_body = headers.get("content-length", "0") != "0" or "transfer-encoding" in headers
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if not has_body or _accepts(scope["path"] in self.form_paths, media_type):
            await self.app(scope, receive, send)
            return
        expected = (
            "application/x-www-form-urlencoded" if scope["path"] in self.form_paths else "application/json"
        )
        problem = errors.UnsupportedMediaType(
            Text(
                f"Send the body as {expected}, not {media_type or 'an unspecified type'}.",
                f"กรุณาส่งข้อมูลเป็น {expected} ไม่ใช่ {media_type or 'ชนิดที่ไม่ระบุ'}",
            )
        )
        response = problem_response(problem, language=language_of(headers), instance=scope["path"])
        await response(scope, receive, send)


def _accepts(form: bool, media_type: str) -> bool:
    if form:
        return media_type in ("application/x-www-form-urlencoded", "multipart/form-data")
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


class HeadMiddleware:
    """HEAD is answered as GET is, without the body (RFC 9110 §9.3.2): FastAPI routes GET alone."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
