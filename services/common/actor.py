"""Who the current request acts as (`user:<id>`, `client:<client id>`, `service:<name>`), set once its token
is verified (auth.optional_principal) and read where a change is recorded (the events' `actor`)."""

from __future__ import annotations

from contextvars import ContextVar

current_actor: ContextVar[str | None] = ContextVar("khabuan_actor", default=None)


def actor_of(kind: str, subject: str) -> str:
    return f"{kind}:{subject}"
