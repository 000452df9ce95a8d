"""`GET /v1/me/inbox`: what waits for the caller, gathered from each service's own pending state (each asked
with the caller's own token, so each applies its own rules), with counts for a badge."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Mapping
from datetime import datetime

import httpx
import structlog
from pydantic import BaseModel, Field, ValidationError

from services.common.inbox import InboxItem, Waiting

log = structlog.get_logger()
WAITING_PATHS: Mapping[str, str] = {
    "funds": "/v1/funds/approvals/waiting",
    "plans": "/v1/indicators/updates/waiting",
    "assessment": "/v1/rounds/items/waiting",
}


class Inbox(BaseModel):
    items: list[InboxItem] = Field(description="Newest first")
    total: int
    counts: dict[str, int] = Field(description="How many of each kind (a badge's figures)")
    unavailable: list[str] = Field(description="Services that did not answer: their items are missing")


async def _ask(http: httpx.AsyncClient, name: str, url: str, authorization: str) -> list[InboxItem] | None:
    try:
        response = await http.get(url, headers={"Authorization": authorization}, timeout=5.0)
        response.raise_for_status()
        return Waiting.model_validate_json(response.content).items
    except (httpx.HTTPError, ValidationError) as error:
        log.warning("inbox.service_unavailable", service=name, error=type(error).__name__)
        return None


async def inbox(
    http: httpx.AsyncClient, urls: Mapping[str, str], authorization: str, *, updated_since: datetime | None
) -> Inbox:
    names = [name for name in WAITING_PATHS if name in urls]
    answers = await asyncio.gather(
        *(_ask(http, name, urls[name] + WAITING_PATHS[name], authorization) for name in names)
    )
    items = [item for answer in answers if answer for item in answer]
    if updated_since is not None:
        items = [item for item in items if item.waiting_since >= updated_since]
    items.sort(key=lambda item: item.waiting_since, reverse=True)
    return Inbox(
        items=items,
        total=len(items),
        counts=dict(Counter(item.kind for item in items)),
        unavailable=[name for name, answer in zip(names, answers, strict=True) if answer is None],
    )
