"""`python -m services.<name> serve|worker`: the same commands for `make run` and for containers."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from services.common.settings import Settings, get_settings

# idle HTTP connections outlive the edge's pooled ones (Caddy drops those after 30 s): the client closes
# them, so a proxied request never lands on a socket the server is just closing (a collateral 503)
KEEP_ALIVE_SECONDS = 75


def new_event_loop() -> asyncio.AbstractEventLoop:
    """The loop every process runs on: uvloop, as uvicorn's servers do (on asyncio's own loop the workers
    spent about a third of their CPU in its socket writes and polls: bench/README.md)."""
    import uvloop

    return uvloop.new_event_loop()


def load_settings_or_exit() -> Settings:
    """Read settings; on a refusal (e.g. production with default secrets) print why and exit 2."""
    try:
        return get_settings()
    except ValidationError as exc:
        reasons = "; ".join(str(error.get("msg", error)) for error in exc.errors())
        print(f"khabuan: cannot start: {reasons}", file=sys.stderr)
        raise SystemExit(2) from None


def main(
    name: str,
    *,
    app_factory: str,
    worker_settings: str | None,
    default_port: int,
    argv: Sequence[str] | None = None,
) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m {name}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the HTTP API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=default_port)
    serve.add_argument("--workers", type=int, default=1)
    if worker_settings:
        commands.add_parser("worker", help="run the arq worker")
    args = parser.parse_args(argv)
    settings = load_settings_or_exit()

    if args.command == "serve":
        import uvicorn

        uvicorn.run(
            app_factory,
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            loop="uvloop",
            http="httptools",
            access_log=False,
            log_level=settings.log_level.lower(),
            proxy_headers=True,
            forwarded_allow_ips=settings.forwarded_allow_ips,
            server_header=False,
            timeout_graceful_shutdown=10,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )
    elif args.command == "worker" and worker_settings:
        from arq.worker import run_worker

        module_name, _, attribute = worker_settings.partition(":")
        settings_class = getattr(importlib.import_module(module_name), attribute)
        asyncio.set_event_loop(new_event_loop())
        run_worker(settings_class)
