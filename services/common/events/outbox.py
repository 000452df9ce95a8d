"""The transactional outbox: an event is a row written in the same transaction as the change it reports.

Each service keeps `<schema>.outbox` (the events, `position` giving relay order) and
`<schema>.event_sequences` (the last sequence number per aggregate). Taking the next sequence is an upsert
inside the request's transaction, so it rolls back with the change: sequences have no gaps, and two changes to
one aggregate are numbered in commit order (the second waits on the first's row lock). When no earlier event
waits, the insert also NOTIFYs `khabuan_outbox_<schema>`, delivered at commit, so an idle relay wakes at once
(a busy one reads again after each batch).

The outbox is a hand-over buffer, not the archive: published rows are pruned after
`outbox_retention_seconds`; the 90-day replay of the event history is the gateway's own event log's job.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from pydantic import BaseModel
from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Uuid,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.sql import Select
from sqlalchemy.types import TypeEngine
from sqlmodel import SQLModel

from services.common.actor import current_actor
from services.common.clock import utcnow
from services.common.db import CompiledStatement
from services.common.events.envelope import EventEnvelope
from services.common.events.registry import EventType, current

SOURCE_KEY = "khabuan.event_source"
PRUNE_CHUNK = 10_000


def outbox_columns() -> list[Column[Any]]:
    """Fresh column objects for the outbox (a migration builds its own table from them)."""
    return [
        Column("position", BigInteger, primary_key=True, autoincrement=True),
        Column("id", Uuid, nullable=False, unique=True),
        Column("type", String(128), nullable=False),
        Column("occurred_at", DateTime(timezone=True), nullable=False),
        Column("source", String(64), nullable=False),
        Column("aggregate_type", String(64), nullable=False),
        Column("aggregate_id", String(64), nullable=False),
        Column("sequence", Integer, nullable=False),
        Column("area_code", String(32), nullable=False),
        Column("data", JSONB, nullable=False),
        Column("schema_version", Integer, nullable=False),
        Column("published_at", DateTime(timezone=True), nullable=True),
    ]


def actor_column() -> Column[Any]:
    """Who made the change (`user:<id>`, `client:<client id>`, `service:<name>`; NULL for the system): added
    to every outbox after the first (`services.common.migrations.add_outbox_actor`)."""
    return Column("actor", String(120), nullable=True)


def sequence_columns() -> list[Column[Any]]:
    return [
        Column("aggregate_type", String(64), nullable=False),
        Column("aggregate_id", String(64), nullable=False),
        Column("last_sequence", Integer, nullable=False),
    ]


def unpublished_index_name(schema: str) -> str:
    return f"ix_{schema}_outbox_unpublished"


def published_index_name(schema: str) -> str:
    return f"ix_{schema}_outbox_published_at"


def outbox_indexes(schema: str) -> list[Index]:
    return [
        # the relay's scan: only what waits, in position order (stays tiny while the relay keeps up)
        Index(unpublished_index_name(schema), "position", postgresql_where=text("published_at IS NULL")),
        Index(published_index_name(schema), "published_at"),
    ]


_tables: dict[str, tuple[Table, Table]] = {}


def outbox_tables(metadata: MetaData, schema: str) -> tuple[Table, Table]:
    """The outbox and sequence tables inside a service's own schema (each service keeps its own)."""
    if schema not in _tables:
        outbox = Table(
            "outbox", metadata, *outbox_columns(), actor_column(), *outbox_indexes(schema), schema=schema
        )
        sequences = Table(
            "event_sequences",
            metadata,
            *sequence_columns(),
            PrimaryKeyConstraint("aggregate_type", "aggregate_id", name=f"pk_{schema}_event_sequences"),
            schema=schema,
        )
        _tables[schema] = (outbox, sequences)
    return _tables[schema]


def notify_channel(schema: str) -> str:
    return f"khabuan_outbox_{schema}"


@dataclass(frozen=True)
class EventSource:
    """Who records events (the service, the envelope's `source`) and where (its schema's tables)."""

    service: str
    schema: str
    outbox: Table
    sequences: Table

    @property
    def channel(self) -> str:
        return notify_channel(self.schema)


def event_source(service: str, schema: str) -> EventSource:
    outbox, sequences = outbox_tables(SQLModel.metadata, schema)
    return EventSource(service, schema, outbox, sequences)


def bind_event_source(sessions: async_sessionmaker[Any], source: EventSource) -> None:
    """Let every session of this factory record events as `source` (done once by the service frame)."""
    sessions.configure(info={SOURCE_KEY: source})


async def record_event(
    session: AsyncSession,
    event: EventType,
    *,
    aggregate_id: str,
    area_code: str,
    data: BaseModel | Mapping[str, object],
) -> EventEnvelope:
    """Record `event` in the session's transaction; it is published only if that transaction commits.

    `data` is validated against the event's schema (a row may be passed as it is: only the schema's public
    fields are kept).
    """
    source: EventSource | None = session.info.get(SOURCE_KEY)
    if source is None:
        raise RuntimeError("this session has no event source: bind_event_source(sessions, source) first")
    if current(event.name) != event:
        raise ValueError(
            f"{event.name} v{event.schema_version} is not the registered version a service records"
        )
    payload = event.data.model_validate(data).model_dump(mode="json")
    event_id, occurred_at, actor = uuid.uuid4(), utcnow(), current_actor.get()
    sequence = await _insert(
        session, source, event_id, event, aggregate_id, area_code, payload, occurred_at, actor
    )
    return EventEnvelope(
        actor=actor,
        id=event_id,
        type=event.name,
        occurred_at=occurred_at,
        source=source.service,
        aggregate_type=event.aggregate_type,
        aggregate_id=aggregate_id,
        sequence=sequence,
        area_code=area_code,
        data=payload,
        schema_version=event.schema_version,
    )


async def _insert(
    session: AsyncSession,
    source: EventSource,
    event_id: uuid.UUID,
    spec: EventType,
    aggregate_id: str,
    area_code: str,
    payload: dict[str, Any],
    occurred_at: datetime,
    actor: str | None,
) -> int:
    """One round trip: next sequence (upsert), the outbox row, and the NOTIFY that wakes the relay."""
    rows = await _insert_statement(source).fetch(
        session,
        id=event_id,
        type=spec.name,
        occurred_at=occurred_at,
        source=source.service,
        aggregate_type=spec.aggregate_type,
        aggregate_id=aggregate_id,
        area_code=area_code,
        data=orjson.dumps(payload).decode(),
        schema_version=spec.schema_version,
        actor=actor,
    )
    sequence: int = rows[0]["sequence"]
    return sequence


@functools.cache
def _insert_statement(source: EventSource) -> CompiledStatement:
    sequences, outbox = source.sequences, source.outbox
    next_sequence = (
        pg_insert(sequences)
        .values(
            aggregate_type=bindparam("aggregate_type"),
            aggregate_id=bindparam("aggregate_id"),
            last_sequence=1,
        )
        .on_conflict_do_update(
            index_elements=[sequences.c.aggregate_type, sequences.c.aggregate_id],
            set_={"last_sequence": sequences.c.last_sequence + 1},
        )
        .returning(sequences.c.last_sequence)
        .cte("next_sequence")
    )
    typed: dict[str, TypeEngine[Any]] = {
        "id": Uuid(),
        "type": String(),
        "occurred_at": DateTime(timezone=True),
        "source": String(),
        "aggregate_type": String(),
        "aggregate_id": String(),
    }
    row: Select[Any] = select(
        *(bindparam(name, type_=type_) for name, type_ in typed.items()),
        next_sequence.c.last_sequence,
        bindparam("area_code", type_=String()),
        cast(bindparam("data", type_=String()), JSONB),
        bindparam("schema_version", type_=Integer()),
        bindparam("actor", type_=String()),
    )
    columns = [*typed, "sequence", "area_code", "data", "schema_version", "actor"]
    statement = insert(outbox).from_select(columns, row).returning(outbox.c.sequence, _wake_relay(source))
    return CompiledStatement(statement)


def _wake_relay(source: EventSource) -> ColumnElement[Any]:
    """NOTIFY the relay only when no earlier event waits (a relay with rows waiting is awake): a NOTIFY in
    every transaction serialises commits on the notification queue's lock (bench/README.md)."""
    outbox = source.outbox
    waiting = select(outbox.c.position).where(outbox.c.published_at.is_(None)).correlate(None).exists()
    return case((~waiting, func.pg_notify(source.channel, "")))


def envelope_of(row: Any) -> EventEnvelope:
    """The envelope of an outbox row."""
    return EventEnvelope(
        id=row.id,
        type=row.type,
        occurred_at=row.occurred_at,
        source=row.source,
        aggregate_type=row.aggregate_type,
        aggregate_id=row.aggregate_id,
        sequence=row.sequence,
        area_code=row.area_code,
        data=row.data,
        schema_version=row.schema_version,
        actor=row.actor,
    )


async def prune_published(engine: AsyncEngine, source: EventSource, *, older_than: datetime) -> int:
    """Delete rows published before `older_than`, in chunks so no transaction grows large."""
    outbox = source.outbox
    pruned = 0
    while True:
        chunk = (
            select(outbox.c.position)
            .where(outbox.c.published_at < older_than)
            .order_by(outbox.c.published_at)
            .limit(PRUNE_CHUNK)
            .scalar_subquery()
        )
        async with engine.begin() as connection:
            result = await connection.execute(delete(outbox).where(outbox.c.position.in_(chunk)))
        deleted = int(getattr(result, "rowcount", 0) or 0)
        pruned += deleted
        if deleted < PRUNE_CHUNK:
            return pruned
