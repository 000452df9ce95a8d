"""Fan-out: each batch of stream events is logged (the 90-day replay source) and turned into messages for
every endpoint that takes it, in one transaction; the stream entries are acknowledged only after it commits.

Re-reading an entry (a crash before the ack) changes nothing: the log keeps the first copy and an endpoint
is never owed the same live event twice (a unique index).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.auth.models import Client, User
from gateway.webhooks import filters
from gateway.webhooks.models import (
    LoggedEvent,
    MessageOrigin,
    MessageStatus,
    WebhookEndpoint,
    aggregate_key,
    table_of,
)
from gateway.webhooks.repository import MESSAGES
from gateway.webhooks.scope import ENDPOINT_AGGREGATE, TESTED, in_scope, subscriber_areas
from gateway.webhooks.service import DISPATCH_CHANNEL
from services.common.clock import utcnow
from services.common.events import EventEnvelope

log = structlog.get_logger()


@dataclass(frozen=True)
class Subscriber:
    endpoint_id: uuid.UUID
    owner: tuple[str, str]
    patterns: list[str]
    areas: list[str]
    since: datetime  # the endpoint's creation: events that occurred before it are not owed to it


def recipients(
    event: EventEnvelope, subscribers: Sequence[Subscriber], owners: dict[str, tuple[str, str]]
) -> list[uuid.UUID]:
    """The endpoints owed this event: type filter and area scope; endpoint events only to their owner; and
    only events that occurred once the endpoint existed (a replay is how to ask for earlier ones)."""
    subscribers = [s for s in subscribers if event.occurred_at >= s.since]
    if event.aggregate_type == ENDPOINT_AGGREGATE:
        if event.type == TESTED:
            return [s.endpoint_id for s in subscribers if str(s.endpoint_id) == event.aggregate_id]
        owner = owners.get(event.aggregate_id)
        return [
            s.endpoint_id for s in subscribers if s.owner == owner and filters.matches(s.patterns, event.type)
        ]
    return [
        s.endpoint_id
        for s in subscribers
        if filters.matches(s.patterns, event.type) and in_scope(s.areas, event.area_code)
    ]


class FanOut:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def __call__(self, events: Sequence[EventEnvelope]) -> None:
        now = utcnow()
        async with self.engine.begin() as connection:
            # executemany form: compiled once, sent in pipelined batches (a multi-VALUES statement of
            # thousands of rows costs more to compile than to run)
            await connection.execute(
                insert(table_of(LoggedEvent)).on_conflict_do_nothing(index_elements=["id"]),
                [_logged(event, now) for event in events],
            )
            subscribers = await _subscribers(connection)
            endpoint_ids = [e.aggregate_id for e in events if e.aggregate_type == ENDPOINT_AGGREGATE]
            owners = await _owners_of(connection, endpoint_ids) if endpoint_ids else {}
            owed = [(event, e) for event in events for e in recipients(event, subscribers, owners)]
            if owed:
                await connection.execute(MESSAGES, _messages(owed, now))
                await connection.execute(select(func.pg_notify(DISPATCH_CHANNEL, "")))
        log.debug("webhooks.fanned_out", events=len(events), messages=len(owed))


async def _subscribers(connection: Any) -> list[Subscriber]:
    """Enabled endpoints whose owner is enabled, with the owner's current grants."""
    endpoints, users, clients = table_of(WebhookEndpoint).c, table_of(User).c, table_of(Client).c
    rows = await connection.execute(
        select(
            endpoints.id,
            endpoints.owner_kind,
            endpoints.owner,
            endpoints.event_types,
            endpoints.created_at,
            func.coalesce(users.grants, clients.grants).label("grants"),
        )
        .select_from(table_of(WebhookEndpoint))
        .outerjoin(
            table_of(User),
            and_(endpoints.owner_kind == "user", cast(users.id, String) == endpoints.owner, ~users.disabled),
        )
        .outerjoin(
            table_of(Client),
            and_(endpoints.owner_kind == "client", clients.client_id == endpoints.owner, ~clients.disabled),
        )
        .where(~endpoints.disabled, or_(users.id.is_not(None), clients.id.is_not(None)))
    )
    return [
        Subscriber(
            row.id,
            (row.owner_kind, row.owner),
            list(row.event_types),
            subscriber_areas(row.grants),
            row.created_at,
        )
        for row in rows
    ]


async def _owners_of(connection: Any, endpoint_ids: list[str]) -> dict[str, tuple[str, str]]:
    endpoints = table_of(WebhookEndpoint).c
    rows = await connection.execute(
        select(endpoints.id, endpoints.owner_kind, endpoints.owner).where(
            cast(endpoints.id, String).in_(endpoint_ids)
        )
    )
    return {str(row.id): (row.owner_kind, row.owner) for row in rows}


def _logged(event: EventEnvelope, received_at: Any) -> dict[str, Any]:
    return {
        "id": event.id,
        "type": event.type,
        "occurred_at": event.occurred_at,
        "source": event.source,
        "aggregate_type": event.aggregate_type,
        "aggregate_id": event.aggregate_id,
        "sequence": event.sequence,
        "area_code": event.area_code,
        "schema_version": event.schema_version,
        "body": event.to_json(),
        "received_at": received_at,
    }


def _messages(owed: list[tuple[EventEnvelope, uuid.UUID]], now: datetime) -> dict[str, Any]:
    """MESSAGES' parameters: one live, pending message per (event, endpoint) owed."""
    return {
        "endpoint_ids": [endpoint_id for _, endpoint_id in owed],
        "event_ids": [event.id for event, _ in owed],
        "event_types": [event.type for event, _ in owed],
        "aggregate_keys": [aggregate_key(event.aggregate_type, event.aggregate_id) for event, _ in owed],
        "sequences": [event.sequence for event, _ in owed],
        "origin": MessageOrigin.live.value,
        "status": MessageStatus.pending.value,
        "now": now,
    }
