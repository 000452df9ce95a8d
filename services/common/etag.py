"""ETags: `If-None-Match` → 304 on reads, `If-Match` → 412 on stale edits and 428 when left out.

A tag is `"<version>-<digest of the body>"`. The version is what `If-Match` checks; the digest is there
because one version of a resource reads differently to different callers (people are shown to the area's
staff only), and a strong tag names one representation: a client that cached the public copy does not get
304 for it once it signs in.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from fastapi import Request
from pydantic import BaseModel
from starlette.responses import Response

from services.common import errors
from services.common.i18n import Text
from services.common.models import ExpectedVersions

_TAG = r'(?:W/)?"[!#-~\u0080-\u00ff]*"'
# `*` or a list of entity-tags (RFC 9110 §8.8.3, §13.1.1): what If-Match may hold, published as its pattern
IF_MATCH_PATTERN = rf"^[ \t]*(?:\*|{_TAG}(?:[ \t]*,[ \t]*{_TAG})*)[ \t]*$"  # OWS: spaces and tabs
_IF_MATCH = re.compile(IF_MATCH_PATTERN)
_NOT_A_TAG = Text(
    'Send * or the ETag you read, in its quotes (e.g. "3-5f2a9c01d4e7")',
    'ส่ง * หรือ ETag ที่อ่านได้ พร้อมเครื่องหมายคำพูด (เช่น "3-5f2a9c01d4e7")',
)


def etag(version: int | str, body: bytes) -> str:
    return f'"{version}-{hashlib.blake2b(body, digest_size=6).hexdigest()}"'


def if_match_versions(request: Request) -> frozenset[str] | None:
    """The version parts of the strong tags an `If-Match` edit names: the edit goes ahead when any of them
    is current (RFC 9110 §13.1.1); None for `*`: whatever is current. Without the header 428: an offline copy
    must not overwrite a newer one unseen. Something that is not an entity-tag is 422; a weak tag never
    matches (RFC 9110 compares strongly here); a list of tags we never issued is 412 at once."""
    header = request.headers.get("if-match")
    if header is None or not header.strip():
        raise errors.PreconditionRequired()
    if not _IF_MATCH.fullmatch(header):
        raise errors.ValidationFailed(
            Text("If-Match is not an entity-tag.", "If-Match ไม่ใช่ ETag"),
            extensions={"errors": [errors.parameter_error("header", "If-Match", _NOT_A_TAG)]},
        )
    if header.strip() == "*":
        return None
    tags = (part.strip() for part in header.split(","))
    versions = frozenset(
        tag[1:-1].partition("-")[0]
        for tag in tags
        if tag.startswith('"') and tag.endswith('"') and len(tag) > 2
    )
    if not versions:
        raise errors.PreconditionFailed()
    return versions


def expected_version(request: Request) -> ExpectedVersions:
    """The versions an `If-Match` edit accepts, for resources versioned by one number."""
    return numbered(if_match_versions(request), lambda version: version)


def numbered(versions: frozenset[str] | None, number: Callable[[str], str]) -> ExpectedVersions:
    """The numbers `number` finds in the tags' versions; 412 when no tag holds one (we never issued it)."""
    if versions is None:
        return None
    found = frozenset(int(part) for part in map(number, versions) if part.isdigit())
    if not found:
        raise errors.PreconditionFailed()
    return found


def resource_response(
    request: Request, payload: BaseModel, version: int | str, *, status_code: int = 200
) -> Response:
    """The resource as JSON with its ETag, or 304 when the client's copy is current."""
    body = payload.model_dump_json().encode()
    tag = etag(version, body)
    headers = {"ETag": tag, "Vary": "Authorization"}
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None and request.method in ("GET", "HEAD"):
        tags = {part.strip().removeprefix("W/") for part in if_none_match.split(",")}
        if "*" in tags or tag in tags:
            return Response(status_code=304, headers=headers)
    return Response(body, status_code=status_code, media_type="application/json", headers=headers)
