"""Partner clients: registered with area grants their registrar may give, a secret shown once, rotated with
an overlap (the previous secret works until it ends), disabled and enabled; their last use is kept."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

import structlog
from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.auth.models import Client
from gateway.auth.passwords import hash_generated_secret
from gateway.clients.events import CLIENT_CREATED, CLIENT_DISABLED, CLIENT_ENABLED, CLIENT_SECRET_ROTATED
from gateway.clients.schemas import ClientCreate, ClientPublic, ClientWithSecret, PartnerGrant
from gateway.users.access import admin_areas, require_giver, require_manager
from gateway.users.repository import has_grant
from services.common import errors
from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.events import record_event
from services.common.events.registry import EventType
from services.common.geo import covering_area, covers
from services.common.i18n import Text
from services.common.models import touch
from services.common.pagination import Page, PageRequest, paginate
from services.common.settings import Settings

log = structlog.get_logger()


def shown(client: Client) -> ClientPublic:
    return ClientPublic(
        id=client.id,
        client_id=client.client_id,
        name=client.name,
        kind=client.kind,
        grants=[PartnerGrant(area=g["area"]) for g in client.grants if g.get("role") == "partner"],
        active=not client.disabled,
        last_used_at=client.last_used_at,
        previous_secret_expires_at=client.previous_secret_expires_at,
        version=client.version,
        created_at=client.created_at,
        updated_at=client.updated_at,
    )


async def _record(session: AsyncSession, event: EventType, client: Client) -> None:
    public = shown(client)
    await record_event(
        session,
        event,
        aggregate_id=str(client.id),
        area_code=covering_area(g.area for g in public.grants),
        data=public,
    )


def _secret() -> tuple[str, str]:
    secret = secrets.token_urlsafe(32)
    return secret, hash_generated_secret(secret)


async def create(session: AsyncSession, principal: Principal, data: ClientCreate) -> ClientWithSecret:
    for grant in data.grants:
        require_giver(principal, "partner", grant.area)
    secret, secret_hash = _secret()
    client = Client(
        client_id=f"partner-{uuid.uuid4().hex[:12]}",
        name=data.name,
        kind="partner",
        secret_hash=secret_hash,
        grants=[{"role": "partner", "area": area} for area in dict.fromkeys(g.area for g in data.grants)],
        created_by=principal.subject,
    )
    session.add(client)
    await session.flush()
    await _record(session, CLIENT_CREATED, client)
    log.info("clients.created", client_id=client.client_id, by=principal.subject)
    return ClientWithSecret(**shown(client).model_dump(), client_secret=secret)


async def _visible(session: AsyncSession, principal: Principal, client_id: str) -> Client:
    """The partner client named by its OAuth `client_id`, if one of its grants lies in the principal's
    admin areas (404 otherwise)."""
    statement = select(Client).where(col(Client.client_id) == client_id).with_for_update(key_share=True)
    client: Client | None = (await session.execute(statement)).scalars().first()
    areas = admin_areas(principal)
    if (
        client is None
        or client.kind != "partner"
        or not any(covers(area, g["area"]) for area in areas for g in client.grants)
    ):
        raise errors.NotFound(Text(f"No client with id {client_id}.", f"ไม่พบระบบภาคี รหัส {client_id}"))
    return client


async def get(session: AsyncSession, principal: Principal, client_id: str) -> ClientPublic:
    return shown(await _visible(session, principal, client_id))


async def list_clients(
    session: AsyncSession, principal: Principal, *, page: PageRequest
) -> Page[ClientPublic]:
    """Partner clients with a grant inside the caller's national, regional or provincial areas."""
    areas = admin_areas(principal)
    if not areas:
        raise errors.Forbidden(Text("Listing clients needs an administrator's grant.", "ต้องมีสิทธิ์ผู้ดูแล"))
    statement = select(Client).where(col(Client.kind) == "partner", has_grant(Client.grants, inside=areas))
    rows, next_cursor = await paginate(session, statement, model=Client, page=page)
    return Page(items=[shown(row) for row in rows], next_cursor=next_cursor)


async def rotate(
    session: AsyncSession, principal: Principal, settings: Settings, client_id: str
) -> ClientWithSecret:
    """A new secret (shown once); the one before works until the overlap ends, then never again."""
    client = await _visible(session, principal, client_id)
    require_manager(principal, client.grants)
    secret, secret_hash = _secret()
    client.previous_secret_hash, client.secret_hash = client.secret_hash, secret_hash
    client.previous_secret_expires_at = utcnow() + timedelta(seconds=settings.client_secret_overlap_seconds)
    touch(client)
    await session.flush()
    await _record(session, CLIENT_SECRET_ROTATED, client)
    return ClientWithSecret(**shown(client).model_dump(), client_secret=secret)


async def set_active(
    session: AsyncSession, principal: Principal, client_id: str, *, active: bool
) -> ClientPublic:
    client = await _visible(session, principal, client_id)
    require_manager(principal, client.grants)
    if client.disabled == (not active):
        return shown(client)
    client.disabled = not active
    touch(client)
    await session.flush()
    await _record(session, CLIENT_ENABLED if active else CLIENT_DISABLED, client)
    return shown(client)
