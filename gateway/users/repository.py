"""Accounts as stored: one row per person (gateway.users), found by id or username, listed by the areas and
roles of their grants; their refresh tokens revoked together."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, column, exists, false, func, literal, or_, select, update
from sqlalchemy.sql import Select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.auth.models import RefreshToken, User
from services.common.geo.queries import within_area
from services.common.i18n import Text
from services.common.resources import get_or_404

USER = Text("user", "ผู้ใช้")


async def get(session: AsyncSession, user_id: uuid.UUID, *, for_update: bool = False) -> User:
    return await get_or_404(session, User, user_id, what=USER, for_update=for_update)


async def by_username(session: AsyncSession, username: str, *, for_update: bool = False) -> User | None:
    statement = select(User).where(col(User.username) == username)
    if for_update:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalars().first()


async def by_national_id(
    session: AsyncSession, hashes: Sequence[str], *, for_update: bool = False
) -> User | None:
    """The account holding one of these national IDs' keyed hashes (an ID is one person's)."""
    statement = (
        select(User).where(col(User.national_id_hash).in_(list(hashes))).order_by(col(User.created_at))
    )
    if for_update:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalars().first()


def _has_grant(*, inside: Sequence[str], role: str | None = None) -> ColumnElement[bool]:
    return has_grant(User.grants, inside=inside, role=role)


def has_grant(grants_column: Any, *, inside: Sequence[str], role: str | None = None) -> ColumnElement[bool]:
    """The row's grants (a JSON list of {role, area}) hold one (of `role`, when named) whose area lies inside
    one of `inside` (accounts' and clients')."""
    if not inside:
        return false()
    grants = (
        func.jsonb_to_recordset(grants_column)
        .table_valued(column("role", String), column("area", String))
        .render_derived(name="g", with_types=True)
    )
    where = or_(*(within_area(grants.c.area, area) for area in inside))
    if role is not None:
        where = where & (grants.c.role == role)
    return exists(select(literal(1)).select_from(grants).where(where))


def listing(
    *, seen_from: Sequence[str], area: str | None, role: str | None, active: bool | None
) -> Select[Any]:
    """Accounts with a grant inside one of `seen_from` (the reader's areas), narrowed to a grant of `role`
    inside `area` when asked, and to active or deactivated ones."""
    statement = select(User).where(_has_grant(inside=seen_from))
    if area is not None or role is not None:
        statement = statement.where(_has_grant(inside=[area or "TH"], role=role))
    if active is not None:
        statement = statement.where(col(User.disabled).is_(not active))
    return statement


async def revoke_refresh_tokens(
    session: AsyncSession, user_id: uuid.UUID, at: datetime, *, keeping: uuid.UUID | None = None
) -> int:
    """Revoke every live refresh token of the account (all its sessions but `keeping`, a refresh family);
    how many there were."""
    statement = update(RefreshToken).where(
        col(RefreshToken.user_id) == user_id, col(RefreshToken.revoked_at).is_(None)
    )
    if keeping is not None:
        statement = statement.where(col(RefreshToken.family_id) != keeping)
    result = await session.execute(statement.values(revoked_at=at))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
