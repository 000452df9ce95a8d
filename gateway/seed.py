"""Reference accounts: our services' own clients always; the demo logins only in development."""

from __future__ import annotations

import uuid

from services.common.db import create_engine, session_factory
from services.common.settings import Settings


async def seed_accounts(settings: Settings) -> dict[str, uuid.UUID]:
    """Returns the demo users' ids by username (none outside development)."""
    from gateway.auth.clients import ensure_service_clients
    from gateway.demo import ensure_demo_accounts

    engine = create_engine(settings, application_name="khabuan-seed")
    demo_users: dict[str, uuid.UUID] = {}
    try:
        async with session_factory(engine)() as session:
            await ensure_service_clients(session, settings)
            if settings.demo_accounts and not settings.is_production:
                demo_users = await ensure_demo_accounts(session, settings)
            await session.commit()
    finally:
        await engine.dispose()
    return demo_users


def ensure_signing_key(settings: Settings) -> str:
    """Create the token signing key if there is none; an existing key is never overwritten."""
    from gateway.auth.keys import write_new_signing_key

    path = settings.signing_key_path
    if path.exists():
        return f"{path} exists; kept as it is (a signing key is never overwritten)"
    write_new_signing_key(path)
    return f"wrote {path}"
