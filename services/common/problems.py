"""Every error leaves a Khabuan process here, as RFC 9457 application/problem+json."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError, IntegrityError
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.common import errors
from services.common.i18n import Language, Text, preferred_language
from services.common.validation_text import thai_validation_message

log = structlog.get_logger()

PROBLEM_JSON = "application/problem+json"

_BY_STATUS: dict[int, type[errors.Problem]] = {
    400: errors.BadRequest,
    401: errors.Unauthorized,
    403: errors.Forbidden,
    404: errors.NotFound,
    405: errors.MethodNotAllowed,
    409: errors.Conflict,
    412: errors.PreconditionFailed,
    413: errors.PayloadTooLarge,
    415: errors.UnsupportedMediaType,
    422: errors.ValidationFailed,
    503: errors.ServiceUnavailable,
    504: errors.GatewayTimeout,
}

_problem_base_uri = "https://khabuan.dev/problems/"


def set_problem_base_uri(base: str) -> None:
    global _problem_base_uri
    _problem_base_uri = base if base.endswith("/") else base + "/"


def problem_type_uri(problem: type[errors.Problem] | errors.Problem) -> str:
    return "about:blank" if problem.slug == "about:blank" else _problem_base_uri + problem.slug


def problem_body(problem: errors.Problem, language: Language, instance: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": problem_type_uri(problem),
        "title": problem.title(language),
        "status": problem.status,
    }
    if problem.detail is not None:
        body["detail"] = problem.detail(language)
    if instance:
        body["instance"] = instance
    body.update(_localised(problem.extensions, language))
    return body


def _localised(value: Any, language: Language) -> Any:
    """Extensions may carry bilingual Text (each `errors[].detail`, say): sent in the asked language."""
    if isinstance(value, Text):
        return value(language)
    if isinstance(value, dict):
        return {key: _localised(item, language) for key, item in value.items()}
    if isinstance(value, list):
        return [_localised(item, language) for item in value]
    return value


def problem_response(
    problem: errors.Problem, *, language: Language = "en", instance: str | None = None
) -> Response:
    headers = {"Content-Language": language, **problem.headers}
    return Response(
        orjson.dumps(problem_body(problem, language, instance)),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def language_of(headers: Mapping[str, str]) -> Language:
    return preferred_language(headers.get("accept-language"))


def _render(request: Request, problem: errors.Problem) -> Response:
    return problem_response(problem, language=language_of(request.headers), instance=request.url.path)


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, errors.Problem)
    return _render(request, exc)


async def _on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    problem_class = _BY_STATUS.get(exc.status_code, errors.Problem)
    detail = None if exc.status_code in _BY_STATUS else Text(str(exc.detail), str(exc.detail))
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(allowed_methods(request))
    problem = problem_class(detail, headers=headers)
    if problem_class is errors.Problem:
        problem.extensions["status"] = exc.status_code
    response = _render(request, problem)
    response.status_code = exc.status_code
    return response


def validation_errors(raw: Sequence[Any], language: Language) -> list[dict[str, str]]:
    """Turn pydantic errors into `{pointer, detail}`: a JSON Pointer into the body (`/amount_satang`), or
    `/<in>/<name>` for a parameter (`/query/updated_since`), which also names its `parameter` and `in`."""
    items: list[dict[str, str]] = []
    for error in raw:
        location = [str(part) for part in error.get("loc", ())]
        detail = str(error.get("msg", "invalid"))
        if language == "th":
            detail = thai_validation_message(str(error.get("type", "")), error.get("ctx") or {}, detail)
        if location and location[0] == "body":
            pointer = "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in location[1:])
            items.append({"pointer": pointer if pointer != "/" else "", "detail": detail})
        elif location:
            items.append(errors.parameter_error(location[0], ".".join(location[1:]), detail))
        else:
            items.append({"pointer": "", "detail": detail})
    return items


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    language = language_of(request.headers)
    raw = exc.errors()
    if any(error.get("type") == "json_invalid" for error in raw):
        # unparseable JSON is a malformed request (400), not a semantically invalid one (422)
        return _render(request, errors.MalformedBody())
    problem = errors.ValidationFailed(extensions={"errors": validation_errors(raw, language)})
    return _render(request, problem)


async def _on_integrity_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IntegrityError)
    # a constraint the request broke (duplicate, reference) that the service did not check first
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    log.warning("http.integrity_conflict", path=request.url.path, sqlstate=code)
    return _render(
        request,
        errors.Conflict(
            Text("The change conflicts with data that already exists.", "การเปลี่ยนแปลงนี้ขัดแย้งกับข้อมูลที่มีอยู่แล้ว")
        ),
    )


# serialization failure, deadlock detected, lock not available: the transaction lost a race, nothing of it
# was kept, and the same request again will most likely succeed
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


async def _on_database_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DBAPIError)
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if code not in TRANSIENT_SQLSTATES:
        return await _on_unexpected(request, exc)
    log.warning("http.transient_database_conflict", path=request.url.path, sqlstate=code)
    return _render(
        request,
        errors.ServiceUnavailable(
            Text(
                "The change met another one at the same moment and nothing was written: send it again.",
                "รายการนี้ชนกับอีกรายการในเวลาเดียวกัน จึงยังไม่ได้บันทึก กรุณาส่งใหม่อีกครั้ง",
            ),
            headers={"Retry-After": "1"},
        ),
    )


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route offers at this path (Starlette names only the first route's)."""
    allowed = []
    for method in _METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    if "GET" in allowed and "HEAD" not in allowed:  # answered as GET is (middleware.HeadMiddleware)
        allowed.insert(allowed.index("GET") + 1, "HEAD")
    return allowed


def _unexpected(path: str, headers: Mapping[str, str], exc: Exception) -> Response:
    """The 500 problem for an exception nothing expected, logged with its traceback."""
    log.exception("http.unhandled_error", path=path, error_type=type(exc).__name__)
    return problem_response(errors.Problem(), language=language_of(headers), instance=path)


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    response = _unexpected(request.url.path, request.headers, exc)
    # Starlette answers 500s outside our middleware, so the request id is added here
    request_id = request.scope.get("state", {}).get("request_id")
    if request_id:
        response.headers["x-request-id"] = request_id
    return response


class UnexpectedErrorMiddleware:
    """An unexpected exception is answered here with a 500 problem, and the connection stays open: re-raised,
    the server would close it under the edge's pooled connection, failing requests that had nothing to do
    with it. (Once an answer has begun it cannot be replaced: the server then closes the connection.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except ClientDisconnect:  # the client left (the edge cut an oversized body): nobody to answer
            log.info("http.client_disconnected", path=scope["path"])
        except Exception as exc:
            if started:
                raise
            await _unexpected(scope["path"], Headers(scope=scope), exc)(scope, receive, send)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(errors.Problem, _on_problem)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(IntegrityError, _on_integrity_error)
    app.add_exception_handler(DBAPIError, _on_database_error)
    app.add_exception_handler(Exception, _on_unexpected)
