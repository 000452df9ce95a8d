"""Events tests read the stack's real Redis stream and outbox tables."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from tests.stackrunner import RunningStack


@pytest.fixture(scope="session")
async def redis_client(stack: RunningStack) -> AsyncIterator[Redis]:
    client = Redis.from_url(stack.state["redis_url"], socket_timeout=10)
    yield client
    await client.aclose()
