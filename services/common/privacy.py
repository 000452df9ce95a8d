"""A data subject's requests (PDPA), as the gateway hands them to each service: export what you hold about
this person, or erase it. Personal fields are replaced by a pseudonym; financial records stay (the ledger
never holds a private person's name, so its chain is untouched), pointing to the pseudonym.

Only the gateway asks (a service token whose subject is `GATEWAY_SUBJECT`); the endpoints are internal, left
out of the public API document, and reached at each service's own address, not through the edge."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.auth import CurrentPrincipal, Principal
from services.common.db import Session
from services.common.i18n import Text
from services.common.idempotency import IdempotencyStore
from services.common.settings import Settings, get_settings

GATEWAY_SUBJECT = "khabuan-gateway"


def national_id_hash(number: str, settings: Settings | None = None) -> str:
    """The keyed hash a national ID is kept as (HMAC-SHA256 under the deployment's secret key): the same
    person is found again by it, and a leaked table gives no ID back without the key."""
    message = f"khabuan:national-id:{number}".encode()
    key = (settings or get_settings()).secret_key.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def national_id_kept(number: str | None, settings: Settings | None = None) -> tuple[str | None, str | None]:
    """What is stored of a validated national ID: its keyed hash and its last four digits."""
    return (national_id_hash(number, settings), number[-4:]) if number else (None, None)


PSEUDONYM_PREFIX = "ผู้ถูกลบข้อมูล-"  # an erased name is this and 8 hex digits of its request


class DataSubject(BaseModel):
    """Who the request is about: their account (if any), the names they appear under in records and the
    keyed hashes of their national IDs."""

    request_id: uuid.UUID
    user_ids: list[str] = Field(default_factory=list)
    # the names given; a service that finds a record by ID hash adds the name it holds, before the answers
    # kept for retries are pseudonymised
    names: list[str] = Field(default_factory=list)
    national_id_hashes: list[str] = Field(default_factory=list)
    pseudonym: str = Field(description=f"What replaces each of their names: `{PSEUDONYM_PREFIX}<8 hex>`")


class Held(BaseModel):
    """What one service holds about the person, by kind of record."""

    service: str
    records: dict[str, list[dict[str, Any]]]


class Erased(BaseModel):
    """How many records of each kind one service pseudonymised."""

    service: str
    changed: dict[str, int]


def require_gateway(principal: Principal) -> None:
    if principal.kind == "service" and principal.subject == GATEWAY_SUBJECT:
        return
    raise errors.Forbidden(Text("Only the gateway makes data subject requests.", "เฉพาะเกตเวย์ที่ส่งคำขอนี้ได้"))


HeldBy = Callable[[AsyncSession, DataSubject], Awaitable[dict[str, list[dict[str, Any]]]]]
ErasedBy = Callable[[AsyncSession, DataSubject], Awaitable[dict[str, int]]]


def privacy_router(service: str, held: HeldBy, pseudonymise: ErasedBy) -> APIRouter:
    """The internal routes a service answers with its own `privacy/repository.py`: what it holds about the
    subject, and its pseudonymisation (in the request's one transaction)."""
    router = APIRouter(prefix=f"/internal/privacy/{service}", include_in_schema=False)

    @router.post("/held", response_model=Held)
    async def held_here(subject: DataSubject, session: Session, principal: CurrentPrincipal) -> Held:
        require_gateway(principal)
        return Held(service=service, records=await held(session, subject))

    @router.post("/erasures", response_model=Erased)
    async def erase_here(
        subject: DataSubject, request: Request, session: Session, principal: CurrentPrincipal
    ) -> Erased:
        require_gateway(principal)
        changed = await pseudonymise(session, subject)
        store: IdempotencyStore = request.app.state.idempotency  # answers kept for retries name them too
        changed["stored_answers"] = await store.pseudonymise(session, subject.names, subject.pseudonym)
        return Erased(service=service, changed=changed)

    return router
