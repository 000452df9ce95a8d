"""Client credentials (RFC 6749 §4.4): partner systems and our own services."""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any

import structlog
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.auth.keys import SigningKey
from gateway.auth.models import Client
from gateway.auth.passwords import hash_generated_secret, hash_password, verify_secret
from gateway.auth.schemas import TokenResponse
from gateway.auth.tokens import issue_access_token
from services.common import errors
from services.common.clock import utcnow
from services.common.i18n import Text
from services.common.service_clients import service_client_id, service_client_secret
from services.common.settings import Settings

SERVICE_CLIENTS = ("plans", "funds", "assessment")
_BAD_CLIENT = Text("The client id or secret is wrong.", "client_id หรือ client_secret ไม่ถูกต้อง")

log = structlog.get_logger()


def basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    """client_id and secret from an HTTP Basic header (RFC 6749 §2.3.1), if one was sent."""
    if not authorization or not authorization.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise errors.InvalidClient(
            _BAD_CLIENT, headers={"WWW-Authenticate": 'Basic realm="khabuan"'}
        ) from None
    client_id, _, secret = decoded.partition(":")
    return client_id, secret


async def issue_client_token(
    session: AsyncSession, key: SigningKey, settings: Settings, client_id: str, secret: str
) -> TokenResponse:
    """Client-credentials grant: an access token only (no refresh token), carrying the client's grants."""
    client = (await session.exec(select(Client).where(Client.client_id == client_id))).first()
    valid = await verify_secret(client.secret_hash if client else None, secret)
    if client is not None and not valid and client.previous_secret_hash and client.previous_secret_expires_at:
        # during a rotation's overlap the previous secret works too
        overlapping = client.previous_secret_expires_at > utcnow()
        valid = overlapping and await verify_secret(client.previous_secret_hash, secret)
    if client is None or not valid or client.disabled:
        log.info("auth.client_authentication_failed", client_id=client_id[:64])
        raise errors.InvalidClient(_BAD_CLIENT, headers={"WWW-Authenticate": 'Basic realm="khabuan"'})
    kind = "service" if client.kind == "service" else "client"
    access_token = issue_access_token(
        key, settings, subject=client.client_id, kind=kind, grants=client.grants, username=client.client_id
    )
    client.last_used_at = utcnow()
    log.info("auth.client_token_issued", client_id=client.client_id)
    return TokenResponse(access_token=access_token, expires_in=settings.access_token_ttl_seconds)


async def get_client(session: AsyncSession, client_id: str) -> Client:
    client = (await session.exec(select(Client).where(Client.client_id == client_id))).first()
    if client is None:
        raise errors.NotFound(Text("No such client.", "ไม่พบระบบภาคีนี้"))
    return client


async def ensure_client(
    session: AsyncSession,
    *,
    client_id: str,
    name: str,
    kind: str,
    secret: str,
    grants: list[dict[str, Any]],
    is_demo: bool = False,
    generated_secret: bool = False,
) -> None:
    """Create the client or bring its secret, name and grants up to date."""
    now = utcnow()
    secret_hash = hash_generated_secret(secret) if generated_secret else hash_password(secret)
    statement = insert(Client).values(
        id=uuid.uuid4(),
        client_id=client_id,
        name=name,
        kind=kind,
        secret_hash=secret_hash,
        grants=grants,
        is_demo=is_demo,
        disabled=False,
        version=1,
        created_at=now,
        updated_at=now,
    )
    await session.exec(
        statement.on_conflict_do_update(
            index_elements=[Client.client_id],
            set_={"name": name, "secret_hash": secret_hash, "grants": grants, "updated_at": now},
        )
    )


async def ensure_service_clients(session: AsyncSession, settings: Settings) -> None:
    for service in SERVICE_CLIENTS:
        await ensure_client(
            session,
            client_id=service_client_id(service),
            name=f"Khabuan {service} service",
            kind="service",
            secret=service_client_secret(settings, service),
            grants=[],
            generated_secret=True,
        )
