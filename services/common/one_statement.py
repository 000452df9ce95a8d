"""What a write that is one statement needs (see reads.py): the service's asyncpg pool, its Idempotency-Key
store, its event source, and the request's use of its key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from services.common.events.outbox import EventSource
from services.common.idempotency import IdempotencyStore, KeyUse
from services.common.reads import Statements
from services.common.routing import key_use


@dataclass(frozen=True)
class OneStatement:
    reader: Statements
    keys: IdempotencyStore | None  # None: no key will be given (the demo data)
    events: EventSource
    key: KeyUse | None


async def one_statement(request: Request) -> OneStatement:
    state = request.app.state
    return OneStatement(state.reader, state.idempotency, state.event_source, key_use(request))


OneStatementWrite = Annotated[OneStatement, Depends(one_statement)]
