"""Webhook endpoints: who may subscribe, owning an endpoint, secrets, tests, the delivery log and replays."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import ColumnElement, String, and_, cast, func, insert, literal, or_, select, true
from sqlalchemy import delete as sa_delete
from sqlalchemy.exc import DBAPIError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.audit import service as audit
from gateway.webhooks import filters
from gateway.webhooks.addresses import check_url
from gateway.webhooks.catalogue import Catalogue
from gateway.webhooks.choices import EVERYTHING
from gateway.webhooks.events import ENDPOINT_TESTED
from gateway.webhooks.models import (
    DisabledReason,
    LoggedEvent,
    MessageOrigin,
    MessageStatus,
    WebhookEndpoint,
    WebhookMessage,
    table_of,
)
from gateway.webhooks.scope import ENDPOINT_AGGREGATE, TESTED, in_scope_sql, owner_area, require_subscriber
from gateway.webhooks.secrets import new_secret, seal
from services.common import errors
from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.events import record_event
from services.common.i18n import Text
from services.common.models import ExpectedVersions, touch
from services.common.pagination import PageRequest, paginate
from services.common.problems import TRANSIENT_SQLSTATES
from services.common.resources import apply_changes, get_or_404
from services.common.settings import Settings

ENDPOINT = Text("webhook endpoint", "ปลายทาง webhook")
MESSAGE = Text("delivery", "รายการส่ง")
DISPATCH_CHANNEL = "khabuan_webhooks"
UNTIL_BEFORE_SINCE = Text(
    "until is before since: no event could match.", "เวลา until อยู่ก่อน since จึงไม่มีเหตุการณ์ใดตรงเงื่อนไข"
)
UNTIL_BEFORE_SINCE_ERROR = {"pointer": "/until", "detail": UNTIL_BEFORE_SINCE}

log = structlog.get_logger()


def owner_of(principal: Principal) -> tuple[str, str]:
    return ("user" if principal.kind == "user" else "client", principal.subject)


async def create(
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
    url: str,
    event_types: list[str],
    description: str,
    catalogue: Catalogue,
) -> tuple[WebhookEndpoint, str]:
    """Subscribe to types of `catalogue`; returns the endpoint and its signing secret (never shown again)."""
    owner_kind, owner = owner_of(principal)
    secret = new_secret()
    endpoint = WebhookEndpoint(
        owner_kind=owner_kind,
        owner=owner,
        area_code=owner_area(principal),
        url=await check_url(url, allow_private=settings.webhooks_may_reach_private),
        description=description,
        event_types=filters.validate_patterns(event_types, catalogue),
        secret_sealed=seal(secret, settings.secret_key),
    )
    session.add(endpoint)
    await session.flush()
    await _audit(
        session, principal, "webhook.endpoint_created", endpoint, {"event_types": endpoint.event_types}
    )
    log.info("webhooks.endpoint_created", endpoint_id=str(endpoint.id), types=endpoint.event_types)
    return endpoint, secret


async def get_owned(
    session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID, *, for_update: bool = False
) -> WebhookEndpoint:
    """An endpoint of the principal's; another owner's is a 404 (its existence is not disclosed)."""
    require_subscriber(principal)
    endpoint = await get_or_404(session, WebhookEndpoint, endpoint_id, what=ENDPOINT, for_update=for_update)
    if (endpoint.owner_kind, endpoint.owner) != owner_of(principal):
        raise errors.NotFound(
            Text(f"No webhook endpoint with id {endpoint_id}.", f"ไม่พบปลายทาง webhook รหัส {endpoint_id}")
        )
    return endpoint


async def list_owned(
    session: AsyncSession, principal: Principal, *, page: PageRequest
) -> tuple[Sequence[WebhookEndpoint], str | None]:
    require_subscriber(principal)
    owner_kind, owner = owner_of(principal)
    statement = select(WebhookEndpoint).where(
        col(WebhookEndpoint.owner_kind) == owner_kind, col(WebhookEndpoint.owner) == owner
    )
    return await paginate(session, statement, model=WebhookEndpoint, page=page)


async def update(
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
    endpoint_id: uuid.UUID,
    changes: dict[str, object],
    expected_version: ExpectedVersions,
    catalogue: Catalogue | None = None,
) -> WebhookEndpoint:
    """Apply `changes`; new event types must be in `catalogue`."""
    endpoint = await get_owned(session, principal, endpoint_id, for_update=True)
    if "url" in changes:
        changes["url"] = await check_url(
            str(changes["url"]), allow_private=settings.webhooks_may_reach_private
        )
    if "event_types" in changes:
        if catalogue is None:
            raise ValueError("changing event types needs the catalogue to check them against")
        changes["event_types"] = filters.validate_patterns(list(changes["event_types"]), catalogue)  # type: ignore[call-overload]
    if changes.get("disabled") is True and not endpoint.disabled:
        changes |= {"disabled_reason": DisabledReason.manual.value, "disabled_at": utcnow()}
    elif changes.get("disabled") is False and endpoint.disabled:
        changes |= {"disabled_reason": None, "disabled_at": None, "failing_since": None}
    if apply_changes(endpoint, changes, expected_version=expected_version):
        await session.flush()
        if endpoint.disabled is False and changes.get("disabled") is False:
            await wake_dispatcher(session)  # its pending messages resume
        log.info("webhooks.endpoint_updated", endpoint_id=str(endpoint.id), version=endpoint.version)
    return endpoint


DELETE_ATTEMPTS = 3


async def delete(session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID) -> None:
    """Unsubscribe: its deliveries first, then the endpoint — the order the dispatcher locks them in (a
    delivery, then its endpoint's streak), so the two never wait on each other in a circle."""
    endpoint = await get_owned(session, principal, endpoint_id)
    for attempt in range(1, DELETE_ATTEMPTS + 1):
        # in a savepoint: a fan-out or a delivery batch met at the same moment (a deadlock, a lock not
        # granted) loses only the savepoint's locks, and the delete is tried again, not the whole request
        try:
            async with session.begin_nested():
                await session.execute(
                    sa_delete(WebhookMessage).where(col(WebhookMessage.endpoint_id) == endpoint.id)
                )
                await session.execute(
                    sa_delete(WebhookEndpoint).where(col(WebhookEndpoint.id) == endpoint.id)
                )
            break
        except DBAPIError as error:
            code = getattr(error.orig, "sqlstate", None)
            if code not in TRANSIENT_SQLSTATES or attempt == DELETE_ATTEMPTS:
                raise
            log.info("webhooks.endpoint_delete_retried", endpoint_id=str(endpoint_id), sqlstate=code)
    session.expunge(endpoint)  # deleted above, by its id
    await _audit(session, principal, "webhook.endpoint_deleted", endpoint)
    log.info("webhooks.endpoint_deleted", endpoint_id=str(endpoint_id))


async def _audit(
    session: AsyncSession,
    principal: Principal,
    action: str,
    endpoint: WebhookEndpoint,
    details: dict[str, Any] | None = None,
) -> None:
    """A subscription made or ended: where a province's events go is the audit log's business."""
    await audit.record(
        session,
        f"{principal.kind}:{principal.subject}",
        action,
        area_code=endpoint.area_code,
        subject_type="webhook_endpoint",
        subject_id=str(endpoint.id),
        details=details,
    )


async def rotate_secret(
    session: AsyncSession, principal: Principal, settings: Settings, endpoint_id: uuid.UUID
) -> tuple[str, datetime]:
    """A new secret; the current one keeps signing beside it for `webhook_secret_overlap_seconds`."""
    endpoint = await get_owned(session, principal, endpoint_id, for_update=True)
    secret = new_secret()
    expires_at = utcnow() + timedelta(seconds=settings.webhook_secret_overlap_seconds)
    endpoint.previous_secret_sealed = endpoint.secret_sealed
    endpoint.previous_secret_expires_at = expires_at
    endpoint.secret_sealed = seal(secret, settings.secret_key)
    touch(endpoint)
    await session.flush()
    log.info("webhooks.secret_rotated", endpoint_id=str(endpoint.id))
    return secret, expires_at


async def send_test(session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID) -> uuid.UUID:
    """Queue `webhook.endpoint.tested` for this endpoint only, through the same path as every event."""
    endpoint = await get_owned(session, principal, endpoint_id)
    if endpoint.disabled:
        raise errors.Conflict(
            Text("The endpoint is disabled; enable it before testing.", "ปลายทางถูกปิดอยู่ เปิดใช้ก่อนทดสอบ")
        )
    event = await record_event(
        session,
        ENDPOINT_TESTED,
        aggregate_id=str(endpoint.id),
        area_code=endpoint.area_code,
        data={"endpoint_id": endpoint.id},
    )
    return event.id


async def list_messages(
    session: AsyncSession,
    principal: Principal,
    endpoint_id: uuid.UUID,
    *,
    status: MessageStatus | None,
    page: PageRequest,
) -> tuple[Sequence[WebhookMessage], str | None]:
    await get_owned(session, principal, endpoint_id)
    statement = select(WebhookMessage).where(col(WebhookMessage.endpoint_id) == endpoint_id)
    if status is not None:
        statement = statement.where(col(WebhookMessage.status) == status.value)
    return await paginate(session, statement, model=WebhookMessage, page=page)


async def redeliver(
    session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID, message_id: uuid.UUID
) -> WebhookMessage:
    """Send one message again, as a new delivery with the event's original webhook-id."""
    await get_owned(session, principal, endpoint_id)
    original = await get_or_404(session, WebhookMessage, message_id, what=MESSAGE)
    if original.endpoint_id != endpoint_id:
        raise errors.NotFound(Text(f"No delivery with id {message_id}.", f"ไม่พบรายการส่ง รหัส {message_id}"))
    message = WebhookMessage(
        endpoint_id=endpoint_id,
        event_id=original.event_id,
        event_type=original.event_type,
        aggregate_key=original.aggregate_key,
        sequence=original.sequence,
        origin=MessageOrigin.redelivery.value,
        next_attempt_at=utcnow(),
    )
    session.add(message)
    await session.flush()
    await wake_dispatcher(session)
    return message


async def replay(
    session: AsyncSession,
    principal: Principal,
    endpoint_id: uuid.UUID,
    since: datetime,
    until: datetime | None,
) -> tuple[int, datetime]:
    """Queue every logged event the endpoint would have received with since ≤ occurred_at < until.

    They go out in per-aggregate order, each with its original webhook-id (receivers that kept it skip it).
    """
    endpoint = await get_owned(session, principal, endpoint_id)
    if until is not None and until < since:
        raise errors.ValidationFailed(UNTIL_BEFORE_SINCE, extensions={"errors": [UNTIL_BEFORE_SINCE_ERROR]})
    until = until or utcnow()
    areas = require_subscriber(principal)
    owned = select(cast(col(WebhookEndpoint.id), String)).where(
        col(WebhookEndpoint.owner_kind) == endpoint.owner_kind, col(WebhookEndpoint.owner) == endpoint.owner
    )
    events = table_of(LoggedEvent).c
    about_endpoints = events.aggregate_type == ENDPOINT_AGGREGATE
    wanted = and_(
        events.occurred_at >= since,
        events.occurred_at < until,
        _type_filter(events.type, endpoint.event_types),
        or_(
            and_(~about_endpoints, in_scope_sql(events.area_code, areas)),
            and_(about_endpoints, events.type != TESTED, events.aggregate_id.in_(owned)),
            and_(about_endpoints, events.type == TESTED, events.aggregate_id == str(endpoint.id)),
        ),
    )
    now = utcnow()
    rows = (
        select(
            func.gen_random_uuid(),
            literal(endpoint.id),
            events.id,
            events.type,
            events.aggregate_type + ":" + events.aggregate_id,
            events.sequence,
            literal(MessageOrigin.replay.value),
            literal(MessageStatus.pending.value),
            literal(0),
            literal(now),
            literal(now),
            literal(now),
        )
        .where(wanted)
        .order_by(events.occurred_at, events.aggregate_type, events.aggregate_id, events.sequence)
    )
    result = await session.execute(
        insert(table_of(WebhookMessage)).from_select(
            [
                "id",
                "endpoint_id",
                "event_id",
                "event_type",
                "aggregate_key",
                "sequence",
                "origin",
                "status",
                "attempts",
                "next_attempt_at",
                "created_at",
                "updated_at",
            ],
            rows,
        )
    )
    queued = int(getattr(result, "rowcount", 0) or 0)
    await wake_dispatcher(session)
    log.info("webhooks.replay_queued", endpoint_id=str(endpoint.id), since=since.isoformat(), queued=queued)
    return queued, until


def _type_filter(column: ColumnElement[str], patterns: list[str]) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    for pattern in patterns:
        if pattern == EVERYTHING:
            return true()
        if pattern.endswith(".*"):
            conditions.append(column.startswith(pattern[:-1], autoescape=True))
        else:
            conditions.append(column == pattern)
    return or_(*conditions)


async def wake_dispatcher(session: AsyncSession) -> None:
    """NOTIFY the dispatcher (delivered when the transaction commits)."""
    await session.execute(select(func.pg_notify(DISPATCH_CHANNEL, "")))
