"""Reference accounts: our services' own clients always; the demo logins only in development."""

from __future__ import annotations

from services.common.db import create_engine, session_factory
from services.common.settings import Settings


async def seed_accounts(settings: Settings) -> None:
    from gateway.auth.clients import ensure_service_clients
    from gateway.demo import ensure_demo_accounts

    engine = create_engine(settings, application_name="khabuan-seed")
    try:
        async with session_factory(engine)() as session:
            await ensure_service_clients(session, settings)
            if settings.demo_accounts and not settings.is_production:
                await ensure_demo_accounts(session, settings)
            await session.commit()
    finally:
        await engine.dispose()


def ensure_signing_key(settings: Settings) -> str:
    """Create the token signing key if there is none; an existing key is never overwritten."""
    from gateway.auth.keys import write_new_signing_key

    path = settings.signing_key_path
    if path.exists():
        return f"{path} exists; kept as it is (a signing key is never overwritten)"
    write_new_signing_key(path)
    return f"wrote {path}"
