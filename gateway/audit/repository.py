"""The audit log as stored: appended under one lock (so the chain has one order), read page by page and
walked whole to verify."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, exists, false, func, literal, or_, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.sql import Select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.audit import chain
from gateway.audit.models import AuditEntry, AuditHead
from services.common.clock import utcnow
from services.common.geo.queries import within_area

ENTRIES: Table = AuditEntry.__table__  # type: ignore[attr-defined]
_LOCK = "SELECT pg_advisory_xact_lock(hashtext('khabuan.audit'))"


@dataclass(frozen=True)
class Fact:
    """What an entry says, before it has its place in the chain."""

    action: str
    occurred_at: datetime
    actor: str | None
    area_code: str
    source: str
    subject_type: str
    subject_id: str
    details: dict[str, Any] = field(default_factory=dict)
    event_id: uuid.UUID | None = None


async def append(session: AsyncSession, facts: Sequence[Fact]) -> int:
    """Append the facts not yet logged (an event's fact once, whatever the redeliveries), in order, each
    chained to the one before, in one INSERT; the head follows. Runs in the caller's transaction; how many
    were appended."""
    await session.execute(text(_LOCK))
    event_ids = [fact.event_id for fact in facts if fact.event_id]
    seen: set[uuid.UUID | None] = set()
    if event_ids:
        known = select(col(AuditEntry.event_id)).where(col(AuditEntry.event_id).in_(event_ids))
        seen = set((await session.execute(known)).scalars())
    head = await session.get(AuditHead, 1, populate_existing=True)  # the head as it is now, not as cached
    last_seq, last_hash = (head.last_seq, head.last_hash) if head else (0, chain.GENESIS)
    written: list[dict[str, Any]] = []
    for fact in facts:
        if fact.event_id in seen:
            continue
        seen.add(fact.event_id)
        fields: dict[str, Any] = {
            "seq": last_seq + 1,
            "id": uuid.uuid4(),
            "event_id": fact.event_id,
            "occurred_at": fact.occurred_at,
            "action": fact.action,
            "area_code": fact.area_code,
            "source": fact.source,
            "subject_type": fact.subject_type,
            "subject_id": fact.subject_id,
        }
        digests = chain.field_digests(fields["id"], fact.details)
        digest = chain.sealed_digest(fact.actor, digests)
        entry_hash = chain.entry_hash(last_hash, fields, digest)
        written.append(
            fields
            | {
                "recorded_at": utcnow(),
                "actor": fact.actor,
                "details": fact.details,
                "personal_digest": digest,
                "field_digests": digests,
                "prev_hash": last_hash,
                "entry_hash": entry_hash,
            }
        )
        last_seq, last_hash = fields["seq"], entry_hash
    if written:
        await session.execute(insert(ENTRIES), written)
        statement = insert(AuditHead).values(id=1, last_seq=last_seq, last_hash=last_hash)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=["id"], set_={"last_seq": last_seq, "last_hash": last_hash}
            )
        )
    return len(written)


def listing(
    *,
    seen_from: Sequence[str],
    area: str | None,
    actor: str | None,
    action: str | None,
    since: datetime | None,
    until: datetime | None,
) -> Select[Any]:
    """Entries inside one of `seen_from`, narrowed by the filters; newest last (by `seq`)."""
    statement = select(AuditEntry).where(_inside(seen_from))
    if area:
        statement = statement.where(within_area(col(AuditEntry.area_code), area))
    if actor:
        statement = statement.where(col(AuditEntry.actor) == actor)
    if action:
        statement = statement.where(col(AuditEntry.action).startswith(action, autoescape=True))
    if since:
        statement = statement.where(col(AuditEntry.occurred_at) >= since)
    if until:
        statement = statement.where(col(AuditEntry.occurred_at) < until)
    return statement


def _inside(areas: Sequence[str]) -> ColumnElement[bool]:
    if not areas:
        return false()
    return or_(*(within_area(col(AuditEntry.area_code), area) for area in areas))


async def page(session: AsyncSession, statement: Select[Any], *, after: int, limit: int) -> list[AuditEntry]:
    rows = await session.execute(
        statement.where(col(AuditEntry.seq) > after).order_by(col(AuditEntry.seq)).limit(limit)
    )
    return list(rows.scalars())


async def every_entry(session: AsyncSession, *, up_to: int, batch: int = 5_000) -> AsyncIterator[AuditEntry]:
    """The chain in order up to `up_to`, a batch at a time."""
    after = 0
    while after < up_to:
        rows = list(
            (
                await session.execute(
                    select(AuditEntry)
                    .where(col(AuditEntry.seq) > after)
                    .order_by(col(AuditEntry.seq))
                    .limit(batch)
                )
            ).scalars()
        )
        if not rows:
            return
        for row in rows:
            yield row
        after = rows[-1].seq


async def head(session: AsyncSession) -> AuditHead | None:
    return await session.get(AuditHead, 1)


async def mentioning(session: AsyncSession, actor: str | None, names: Sequence[str]) -> list[AuditEntry]:
    """The entries not yet erased whose actor is `actor` or whose personal details hold one of `names`."""
    values = func.jsonb_each_text(AuditEntry.details).table_valued("key", "value").render_derived(name="d")
    named = exists(
        select(literal(1))
        .select_from(values)
        .where(values.c.key.in_(sorted(chain.PERSONAL_DETAILS)), values.c.value.in_(list(names)))
    )
    statement = select(AuditEntry).where(
        col(AuditEntry.erased_at).is_(None), or_(col(AuditEntry.actor) == actor, named) if actor else named
    )
    return list((await session.execute(statement.order_by(col(AuditEntry.seq)))).scalars())
