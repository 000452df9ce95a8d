"""`python -m gateway serve | seed | generate-signing-key`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from gateway.auth.clients import ensure_service_clients
from gateway.auth.keys import write_new_signing_key
from gateway.demo import ensure_demo_accounts
from services.common.cli import load_settings_or_exit
from services.common.cli import main as serve_main
from services.common.db import create_engine, session_factory
from services.common.logging import configure_logging
from services.common.settings import Settings


async def _seed(settings: Settings) -> None:
    """Reference accounts: our services' own clients always; demo logins only in development."""
    engine = create_engine(settings, application_name="khabuan-seed")
    try:
        async with session_factory(engine)() as session:
            await ensure_service_clients(session, settings)
            if settings.demo_accounts and not settings.is_production:
                await ensure_demo_accounts(session, settings)
            await session.commit()
    finally:
        await engine.dispose()


def run(argv: list[str]) -> None:
    if argv[:1] == ["seed"]:
        settings = load_settings_or_exit()
        configure_logging("gateway", level=settings.log_level)
        asyncio.run(_seed(settings))
    elif argv[:1] == ["generate-signing-key"]:
        settings = load_settings_or_exit()
        path = settings.signing_key_path
        if path.exists():
            print(f"{path} exists; kept as it is (a signing key is never overwritten)")
            return
        write_new_signing_key(path)
        print(f"wrote {path}")
    else:
        parser = argparse.ArgumentParser(add_help=False)
        parser.parse_known_args(argv)
        serve_main(
            "gateway",
            app_factory="gateway.app:create_app",
            worker_settings=None,
            default_port=8000,
            argv=argv,
        )


run(sys.argv[1:])
