"""A query parameter the API takes once is refused when sent more than once (FastAPI would keep the last and
drop the rest silently: `?limit=5&limit=500` is not a page size). Installed on every app (`dependencies=`)."""

from __future__ import annotations

import types
from collections import Counter
from collections.abc import Iterator
from typing import Any, Union, get_args, get_origin

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from services.common import errors
from services.common.i18n import Text

_SEQUENCES = (list, tuple, set, frozenset)


async def single_valued_query(request: Request) -> None:
    """422 naming each single-valued query parameter the request repeats (`/query/limit`)."""
    route = request.scope.get("route")
    counts = Counter(name for name, _ in request.query_params.multi_items())
    repeated = [name for name, count in counts.items() if count > 1]
    if not repeated or not isinstance(route, APIRoute):
        return
    singles = _single_valued(route)
    if offending := [name for name in repeated if name in singles]:
        once = Text("Send this parameter once", "ส่งพารามิเตอร์นี้เพียงครั้งเดียว")
        raise errors.ValidationFailed(
            Text("A parameter was sent more than once.", "มีพารามิเตอร์ที่ส่งมาซ้ำกัน"),
            extensions={"errors": [errors.parameter_error("query", name, once) for name in offending]},
        )


def _single_valued(route: APIRoute) -> frozenset[str]:
    return frozenset(
        field.alias for field in _query_fields(route.dependant) if not _many(field.field_info.annotation)
    )


def _query_fields(dependant: Dependant) -> Iterator[Any]:
    yield from dependant.query_params
    for dependency in dependant.dependencies:
        yield from _query_fields(dependency)


def _many(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return any(_many(option) for option in get_args(annotation))
    return origin in _SEQUENCES or annotation in _SEQUENCES
