"""Queries of accounts (users and clients) that are not a request's: what the gateway checks at start."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from gateway.auth.models import Client, User


async def enabled_demo_accounts(connection: AsyncConnection) -> int:
    """How many demo users and clients can still sign in."""
    users = select(func.count()).where(User.is_demo, ~User.disabled).scalar_subquery()  # type: ignore[arg-type]
    clients = select(func.count()).where(Client.is_demo, ~Client.disabled).scalar_subquery()  # type: ignore[arg-type]
    count: int = (await connection.execute(select(users + clients))).scalar_one()
    return count
