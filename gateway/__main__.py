"""`python -m gateway serve | worker | seed | generate-signing-key | rotate-signing-key |
edge-config [--check]` (imports stay lazy: each command pays only for what it uses)."""

from __future__ import annotations

import asyncio
import sys

from services.common.cli import load_settings_or_exit


def run(argv: list[str]) -> None:
    if argv[:1] == ["seed"]:
        from gateway.seed import seed_accounts
        from services.common.logging import configure_logging

        settings = load_settings_or_exit()
        configure_logging("gateway", level=settings.log_level)
        asyncio.run(seed_accounts(settings))
    elif argv[:1] == ["edge-config"]:
        from gateway.edge.caddyfile import CADDYFILE, render

        if argv[1:] == ["--check"]:
            if CADDYFILE.read_text() != render():
                sys.exit(f"{CADDYFILE} is out of date: run `make edge-config`")
        else:
            CADDYFILE.write_text(render())
            print(f"wrote {CADDYFILE}")
    elif argv[:1] == ["rotate-signing-key"]:
        from gateway.auth.keys import rotate_signing_key

        old, new = rotate_signing_key(load_settings_or_exit())
        print(
            f"signing key {old} retired (published until the tokens it signed expire); now signing with {new}"
        )
    elif argv[:1] == ["generate-signing-key"]:
        from gateway.seed import ensure_signing_key

        print(ensure_signing_key(load_settings_or_exit()))
    else:
        from services.common.cli import main as serve_main

        serve_main(
            "gateway",
            app_factory="gateway.app:create_app",
            worker_settings="gateway.worker:WorkerSettings",
            default_port=8000,
            argv=argv,
        )


run(sys.argv[1:])
