"""The Idempotency-Key store (docs/architecture.md): scoped to caller + method + path, kept 24 h.

Phase 1 claims the key in its own short transaction, so a concurrent retry sees it at once (409 while in
flight). Phase 2 stores the response in the request's own transaction, so the change and its stored response
commit together. A business failure (a 4xx problem) is stored in a separate transaction after the rollback, so
a retry fails the same way; an unexpected failure releases the key so the retry runs again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from typing import Any

import orjson
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    and_,
    bindparam,
    cast,
    delete,
    func,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlmodel import SQLModel

from services.common import errors, sealing
from services.common.clock import utcnow
from services.common.db import CompiledStatement
from services.common.i18n import Text
from services.common.settings import Settings

KEY_HEADER = "idempotency-key"
# the fields of a stored answer that an erasure nulls besides the person's names
PERSONAL_FIELDS = r'"(birth_date|[a-z_]*national_id_last4)":\s*"[^"]*"'
REPLAYED_HEADER = "Idempotency-Replayed"
MAX_KEY_LENGTH = 255
STORED_HEADERS = ("content-type", "location", "etag", "content-language", "cache-control")
# an answer marked no-store (it shows a secret once: a partner client's, a webhook endpoint's) is kept sealed
_SEALED = "x-khabuan-sealed"
_SEALING_PURPOSE = b"khabuan stored answers"

_tables: dict[str, Table] = {}


def idempotency_columns() -> list[Column[Any]]:
    """Fresh column objects for the key table (a migration builds its own table from them)."""
    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("caller", String(128), nullable=False),
        Column("method", String(8), nullable=False),
        Column("path", String(512), nullable=False),
        Column("key", String(MAX_KEY_LENGTH), nullable=False),
        Column("request_hash", String(64), nullable=False),
        Column("locked_at", DateTime(timezone=True), nullable=True),
        Column("response_status", Integer, nullable=True),
        Column("response_headers", JSONB, nullable=True),
        Column("response_body", LargeBinary, nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("expires_at", DateTime(timezone=True), nullable=False),
    ]


SCOPE_CONSTRAINT = "uq_idempotency_scope"


def idempotency_table(metadata: MetaData, schema: str) -> Table:
    """The key table inside a service's own schema (each service keeps its own keys)."""
    if schema not in _tables:
        _tables[schema] = Table(
            "idempotency_keys",
            metadata,
            *idempotency_columns(),
            UniqueConstraint("caller", "method", "path", "key", name=SCOPE_CONSTRAINT),
            Index(f"ix_{schema}_idempotency_keys_expires_at", "expires_at"),
            schema=schema,
        )
    return _tables[schema]


class IdempotencyKeyInFlight(errors.Conflict):
    slug = "idempotency-key-in-flight"
    title = Text("The first request with this key is still running", "คำขอแรกที่ใช้คีย์นี้ยังทำงานไม่เสร็จ")
    default_detail = Text(
        "Retry after a moment; you will get the first request's response.",
        "กรุณาลองใหม่อีกครู่ ระบบจะตอบผลของคำขอแรก",
    )

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": "1"})


class IdempotencyKeyReused(errors.ValidationFailed):
    slug = "idempotency-key-reused"
    title = Text("This key was used with a different request", "คีย์นี้ถูกใช้กับคำขออื่นไปแล้ว")
    default_detail = Text(
        "An Idempotency-Key may be reused only with the same body; use a new key for a new request.",
        "ใช้ Idempotency-Key ซ้ำได้เฉพาะกับข้อมูลเดิมเท่านั้น คำขอใหม่ต้องใช้คีย์ใหม่",
    )


KEY_RULE = Text(
    f"Use 1 to {MAX_KEY_LENGTH} visible ASCII characters (! to ~), e.g. a UUID.",
    f"ใช้อักขระ ASCII ที่มองเห็นได้ (! ถึง ~) 1 ถึง {MAX_KEY_LENGTH} ตัว เช่น UUID",
)
KEY_PATTERN = f"^[\\x21-\\x7E]{{1,{MAX_KEY_LENGTH}}}$"


class InvalidIdempotencyKey(errors.ValidationFailed):
    """422 naming the header, like any other invalid field; nothing runs."""

    slug = "invalid-idempotency-key"
    title = Text("Invalid Idempotency-Key", "Idempotency-Key ไม่ถูกต้อง")
    default_detail = KEY_RULE

    def __init__(self) -> None:
        super().__init__(
            extensions={"errors": [errors.parameter_error("header", "Idempotency-Key", KEY_RULE)]}
        )


@dataclass(frozen=True)
class StoredResponse:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Claim:
    row_id: int
    replay: StoredResponse | None = None


@dataclass(frozen=True)
class KeyUse:
    """One request's use of an Idempotency-Key: its scope and the fingerprint of its body."""

    caller: str
    method: str
    path: str
    key: str
    request_hash: str


def request_fingerprint(body: bytes, content_type: str = "") -> str:
    """Hash of the request body as sent, not as spelled: JSON canonicalised (key order and spacing do not
    matter), a multipart form by its parts — each one's name, file name, type and content — not by the
    boundary every client draws afresh for each attempt."""
    media_type, options = parse_options_header(content_type)
    if media_type == b"multipart/form-data" and (boundary := options.get(b"boundary")):
        with contextlib.suppress(MultipartParseError):
            return hashlib.sha256(_form_parts(body, boundary)).hexdigest()
    try:
        canonical = orjson.dumps(orjson.loads(body), option=orjson.OPT_SORT_KEYS) if body else b""
    except orjson.JSONDecodeError:
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


def _form_parts(body: bytes, boundary: bytes) -> bytes:
    parts: list[list[str]] = []
    headers: dict[bytes, bytes] = {}
    field, data = bytearray(), hashlib.sha256()

    def header_field(chunk: bytes, start: int, end: int) -> None:
        field.extend(chunk[start:end])

    def header_value(chunk: bytes, start: int, end: int) -> None:
        key = bytes(field).lower()
        headers[key] = headers.get(key, b"") + chunk[start:end]

    def header_end() -> None:
        field.clear()

    def part_data(chunk: bytes, start: int, end: int) -> None:
        data.update(chunk[start:end])

    def part_end() -> None:
        nonlocal data
        _, disposition = parse_options_header(headers.get(b"content-disposition", b""))
        kind = headers.get(b"content-type", b"").decode("latin-1").strip().lower()
        named = [
            disposition.get(b"name", b"").decode("latin-1"),
            disposition.get(b"filename", b"").decode("latin-1"),
        ]
        parts.append([*named, kind, data.hexdigest()])
        headers.clear()
        data = hashlib.sha256()

    parser = MultipartParser(
        boundary,
        {
            "on_header_field": header_field,
            "on_header_value": header_value,
            "on_header_end": header_end,
            "on_part_data": part_data,
            "on_part_end": part_end,
        },
    )
    parser.write(body)
    parser.finalize()
    return orjson.dumps(sorted(parts))


def validate_key(key: str) -> str:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all(33 <= ord(c) <= 126 for c in key):
        raise InvalidIdempotencyKey()
    return key


_CLAIMED = (*(field.name for field in fields(KeyUse)), "locked_at", "created_at", "expires_at")


class IdempotencyStore:
    def __init__(
        self, engine: AsyncEngine, table: Table, *, ttl: timedelta, lock_timeout: timedelta, secret_key: str
    ) -> None:
        self.engine = engine
        self.secret_key = secret_key
        self.autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
        self.table = table
        self._claim = CompiledStatement(
            pg_insert(table)
            .values({name: bindparam(name) for name in _CLAIMED})
            .on_conflict_do_nothing(constraint=SCOPE_CONSTRAINT)
            .returning(table.c.id)
        )
        self._complete = CompiledStatement(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(
                locked_at=None,
                response_status=bindparam("status"),
                response_headers=cast(bindparam("headers", type_=String()), JSONB),
                response_body=bindparam("body"),
            )
        )
        self.ttl = ttl
        self.lock_timeout = lock_timeout

    async def claim(self, use: KeyUse) -> Claim:
        """Claim the key for this request, or say how to answer without running it (replay, 409, 422)."""
        now = utcnow()
        async with self.autocommit.connect() as connection:  # a fresh key: one round trip
            inserted = await self._insert(connection, use, now)
        if inserted is not None:
            return Claim(inserted)
        scope = and_(
            self.table.c.caller == use.caller,
            self.table.c.method == use.method,
            self.table.c.path == use.path,
            self.table.c.key == use.key,
        )
        async with self.engine.begin() as connection:
            await connection.execute(delete(self.table).where(scope, self.table.c.expires_at <= now))
            inserted = await self._insert(connection, use, now)
            if inserted is not None:
                return Claim(inserted)
            row = (await connection.execute(select(self.table).where(scope).with_for_update())).one()
            if row.request_hash != use.request_hash:
                raise IdempotencyKeyReused()
            if row.response_status is not None:
                answer = self._opened(row.response_status, row.response_headers, row.response_body)
                return Claim(row.id, answer)
            if row.locked_at is not None and row.locked_at > now - self.lock_timeout:
                raise IdempotencyKeyInFlight()
            # the first attempt died without an answer: this retry takes the key over
            await connection.execute(
                update(self.table).where(self.table.c.id == row.id).values(locked_at=now)
            )
            return Claim(row.id)

    async def _insert(self, connection: AsyncConnection, use: KeyUse, now: datetime) -> int | None:
        held = {"locked_at": now, "created_at": now, "expires_at": now + self.ttl}
        rows = await self._claim.fetch(connection, **asdict(use), **held)
        return rows[0]["id"] if rows else None

    def _kept(self, response: StoredResponse) -> StoredResponse:
        """The answer as stored: sealed when it must not be kept (`Cache-Control: no-store`)."""
        if "no-store" not in response.headers.get("cache-control", ""):
            return response
        body = sealing.seal(response.body, self.secret_key, _SEALING_PURPOSE)
        return StoredResponse(response.status, {**response.headers, _SEALED: "1"}, body)

    def _opened(self, status: int, headers: Mapping[str, str], body: bytes) -> StoredResponse:
        if _SEALED not in headers:
            return StoredResponse(status, dict(headers), body)
        shown = {name: value for name, value in headers.items() if name != _SEALED}
        return StoredResponse(status, shown, sealing.unseal(body, self.secret_key, _SEALING_PURPOSE))

    async def complete_in(self, session: AsyncSession, claim: Claim, response: StoredResponse) -> None:
        """Store the response inside the request's own transaction (commits with the change)."""
        response = self._kept(response)
        await self._complete.fetch(
            session,
            row_id=claim.row_id,
            status=response.status,
            headers=orjson.dumps(response.headers).decode(),
            body=response.body,
        )

    async def complete_alone(self, claim: Claim, response: StoredResponse) -> None:
        """Store a business failure after the request's transaction rolled back."""
        async with self.engine.begin() as connection:
            await connection.execute(self._completion(claim, response))

    async def release(self, claim: Claim) -> None:
        """Forget the key after an unexpected failure, so a retry runs the request again."""
        async with self.engine.begin() as connection:
            await connection.execute(
                delete(self.table).where(
                    self.table.c.id == claim.row_id, self.table.c.response_status.is_(None)
                )
            )

    def _completion(self, claim: Claim, response: StoredResponse) -> Any:
        response = self._kept(response)
        return (
            update(self.table)
            .where(self.table.c.id == claim.row_id)
            .values(
                locked_at=None,
                response_status=response.status,
                response_headers=response.headers,
                response_body=response.body,
            )
        )

    async def pseudonymise(self, session: AsyncSession, names: Sequence[str], pseudonym: str) -> int:
        """Replace `names` by `pseudonym` in the answers kept for retries (an erasure reaches them too), in
        the caller's transaction; how many answers changed. A name is replaced where it is a whole JSON
        string, as the records match it: never inside another person's name, an amount or an id."""
        body = self.table.c.response_body
        changed = 0
        quoted_pseudonym = json.dumps(pseudonym, ensure_ascii=False)
        for name in names:
            quoted = json.dumps(name, ensure_ascii=False)
            # bytes searched as bytes (Core has no `position(… in bytea)`), then rewritten as the JSON text
            holds = text("position(convert_to(:name, 'UTF8') in response_body) > 0").bindparams(name=quoted)
            rewritten = func.convert_to(
                func.replace(func.convert_from(body, "UTF8"), quoted, quoted_pseudonym), "UTF8"
            )
            result = await session.execute(update(self.table).where(holds).values(response_body=rewritten))
            changed += int(getattr(result, "rowcount", 0) or 0)
        # in those answers, the person's other personal fields (a birth date, an ID's last digits) become null
        theirs = text("position(convert_to(:pseudonym, 'UTF8') in response_body) > 0").bindparams(
            pseudonym=pseudonym
        )
        nulled = func.regexp_replace(func.convert_from(body, "UTF8"), PERSONAL_FIELDS, r'"\1":null', "g")
        await session.execute(
            update(self.table).where(theirs).values(response_body=func.convert_to(nulled, "UTF8"))
        )
        return changed

    async def prune(self) -> int:
        """Delete expired keys (run by each service's worker)."""
        async with self.engine.begin() as connection:
            result = await connection.execute(delete(self.table).where(self.table.c.expires_at <= utcnow()))
        return int(getattr(result, "rowcount", 0) or 0)


def idempotency_store(engine: AsyncEngine, settings: Settings, schema: str) -> IdempotencyStore:
    return IdempotencyStore(
        engine,
        idempotency_table(SQLModel.metadata, schema),
        ttl=timedelta(seconds=settings.idempotency_ttl_seconds),
        lock_timeout=timedelta(seconds=settings.idempotency_lock_timeout_seconds),
        secret_key=settings.secret_key,
    )
