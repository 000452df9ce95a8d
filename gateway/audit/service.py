"""Reading the audit log (national and regional admins, inside their areas), exporting it as CSV, and
verifying its chain; logins are written here too, the rest by the worker from events (writer.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.sql import Select
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.audit import chain, repository
from gateway.audit.models import AuditEntry
from gateway.audit.repository import Fact
from gateway.audit.schemas import AuditBreak, AuditEntryPublic, AuditPage, AuditVerification
from services.common import errors
from services.common.auth import Principal, Role
from services.common.clock import utcnow
from services.common.i18n import Language, Text
from services.common.pagination import PageRequest, invalid_cursor

AUDIT_READERS: tuple[Role, ...] = ("national", "regional")
CSV_COLUMNS = ("seq", "occurred_at", "actor", "action", "area_code", "source", "subject_type", "subject_id")
CSV_HEADER = (
    Text("seq", "ลำดับ"),
    Text("occurred_at", "เวลาที่เกิด"),
    Text("actor", "ผู้กระทำ"),
    Text("action", "การกระทำ"),
    Text("area_code", "รหัสพื้นที่"),
    Text("source", "ระบบต้นทาง"),
    Text("subject_type", "ประเภทสิ่งที่ถูกกระทำ"),
    Text("subject_id", "รหัสสิ่งที่ถูกกระทำ"),
    Text("details", "รายละเอียด"),
    Text("entry_hash", "ค่าแฮช"),
)


def readable_areas(principal: Principal) -> list[str]:
    """The areas whose entries the principal reads (403 for anyone but national and regional admins)."""
    areas = [g.area for g in principal.grants if g.role in AUDIT_READERS] if principal.kind == "user" else []
    if not areas:
        raise errors.Forbidden(
            Text(
                "The audit log is for national and regional administrators.",
                "บันทึกการตรวจสอบเปิดให้ผู้ดูแลระดับประเทศและระดับภาคเท่านั้น",
            )
        )
    return areas


def shown(entry: AuditEntry) -> AuditEntryPublic:
    return AuditEntryPublic(
        **entry.model_dump(exclude={"erased_at", "field_digests"}), erased=entry.erased_at is not None
    )


def _after(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.isdigit() or len(cursor) > 18:
        raise invalid_cursor()
    return int(cursor)


def filtered(principal: Principal, **filters: Any) -> Select[Any]:
    return repository.listing(seen_from=readable_areas(principal), **filters)


async def list_entries(
    session: AsyncSession, principal: Principal, *, page: PageRequest, **filters: Any
) -> AuditPage:
    cursor, limit = page.cursor, page.limit
    rows = await repository.page(
        session, filtered(principal, **filters), after=_after(cursor), limit=limit + 1
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return AuditPage(
        items=[shown(row) for row in rows], next_cursor=str(rows[-1].seq) if more and rows else None
    )


async def record(
    session: AsyncSession,
    actor: str,
    action: str,
    *,
    area_code: str,
    subject_type: str,
    subject_id: str,
    details: dict[str, Any] | None = None,
) -> None:
    """One of the gateway's own sensitive actions as an entry, in the request's transaction: `actor` as
    `kind:id`; `details` only figures and kinds, never a name or a secret."""
    fact = Fact(
        action=action,
        occurred_at=utcnow(),
        actor=actor,
        area_code=area_code,
        source="gateway",
        subject_type=subject_type,
        subject_id=subject_id,
        details=details or {},
    )
    await repository.append(session, [fact])


async def record_export(session: AsyncSession, principal: Principal, filters: dict[str, Any]) -> None:
    """An export of the log is itself an entry (in the request's transaction, before the file streams)."""
    kept = {
        key: (value.isoformat() if isinstance(value, datetime) else value) for key, value in filters.items()
    }
    await repository.append(
        session,
        [
            Fact(
                action="audit.exported",
                occurred_at=utcnow(),
                actor=f"{principal.kind}:{principal.subject}",
                area_code=readable_areas(principal)[0],
                source="gateway",
                subject_type="audit",
                subject_id="log",
                details={key: value for key, value in kept.items() if value is not None},
            )
        ],
    )


async def csv_rows(
    sessions: Callable[[], AsyncSession], statement: Select[Any], language: Language, batch: int = 1_000
) -> AsyncIterator[str]:
    """The entries as CSV (its header in the reader's language), a batch per read, in a session of its own
    (the request's has ended)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column(language) for column in CSV_HEADER])
    yield _drain(buffer)
    after = 0
    while True:
        async with sessions() as session:
            rows = await repository.page(session, statement, after=after, limit=batch)
        if not rows:
            return
        for row in rows:
            writer.writerow(
                [
                    *(getattr(row, column) for column in CSV_COLUMNS),
                    orjson.dumps(row.details).decode(),
                    row.entry_hash,
                ]
            )
        yield _drain(buffer)
        after = rows[-1].seq


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


async def verify(session: AsyncSession, principal: Principal) -> AuditVerification:
    """Walk the whole chain: every seq in order from 1, every link, every hash recomputed from the row as
    stored (an erased row's pseudonymised names through the digests they were written with), and the head."""
    readable_areas(principal)
    head = await repository.head(session)  # first: what is appended meanwhile lies beyond it
    head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, None)
    expected, prev, checked = 1, chain.GENESIS, 0
    broken: AuditBreak | None = None
    async for entry in repository.every_entry(session, up_to=head_seq):
        checked += 1
        if broken is None:
            broken = _check(entry, expected, prev)
        expected, prev = entry.seq + 1, entry.entry_hash
    if broken is None and (expected - 1 != head_seq or (head_hash or chain.GENESIS) != prev):
        broken = AuditBreak(seq=expected if expected <= head_seq else head_seq, problem="head")
    return AuditVerification(
        verified=broken is None,
        entries_checked=checked,
        head_seq=head_seq,
        head_hash=head_hash,
        first_broken=broken,
    )


def _check(entry: AuditEntry, expected: int, prev: str) -> AuditBreak | None:
    if entry.seq != expected:
        return AuditBreak(seq=expected, problem="missing")
    if entry.prev_hash != prev:
        return AuditBreak(seq=entry.seq, problem="changed")
    erased = entry.erased_at is not None
    digest: str | None
    if entry.field_digests is None:  # written before gateway_0008: an erased row is checked by its digest
        digest = entry.personal_digest if erased else chain.personal_digest(entry.actor, entry.details)
    else:
        digest = chain.digest_as_stored(
            entry.id, entry.actor, entry.details, entry.field_digests, erased=erased
        )
    if digest is None or digest != entry.personal_digest:
        return AuditBreak(seq=entry.seq, problem="changed")
    if chain.entry_hash(prev, entry.model_dump(), digest) != entry.entry_hash:
        return AuditBreak(seq=entry.seq, problem="changed")
    return None
