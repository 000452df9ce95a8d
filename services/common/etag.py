"""ETags from resource versions: `If-None-Match` → 304 on reads, `If-Match` → 412 on stale edits."""

from __future__ import annotations

from fastapi import Request
from pydantic import BaseModel
from starlette.responses import Response

from services.common import errors


def etag(version: int) -> str:
    return f'"{version}"'


def _tags(header: str) -> list[str]:
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


def expected_version(request: Request) -> int | None:
    """The version an `If-Match` edit expects (None without the header or with `*`)."""
    header = request.headers.get("if-match")
    if header is None or header.strip() == "*":
        return None
    for tag in _tags(header):
        value = tag.strip('"')
        if value.isdigit():
            return int(value)
    # an ETag we never issued can never match the current one
    raise errors.PreconditionFailed()


def resource_response(
    request: Request, payload: BaseModel, version: int, *, status_code: int = 200
) -> Response:
    """The resource as JSON with its ETag, or 304 when the client's copy is current."""
    tag = etag(version)
    if_none_match = request.headers.get("if-none-match")
    fresh = if_none_match is not None and (if_none_match.strip() == "*" or tag in _tags(if_none_match))
    if fresh and request.method in ("GET", "HEAD"):
        return Response(status_code=304, headers={"ETag": tag})
    return Response(
        payload.model_dump_json().encode(),
        status_code=status_code,
        media_type="application/json",
        headers={"ETag": tag},
    )
