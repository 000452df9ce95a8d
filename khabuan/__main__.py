"""`python -m khabuan run | setup | migrate | backup | restore | workers | zygote`: what `make run` runs."""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from services.common.cli import load_settings_or_exit
from services.common.logging import configure_logging

if TYPE_CHECKING:
    from services.common.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ("gateway", "plans", "funds", "assessment")


def migrate() -> int:
    """Bring every schema to its latest revision (one Alembic environment and version table each)."""
    from alembic import command
    from alembic.config import Config

    for schema in SCHEMAS:
        command.upgrade(Config(str(ROOT / "alembic.ini"), ini_section=schema), "head")
        print(f"migrated {schema}", flush=True)
    return 0


def setup() -> int:
    """Everything a stack needs before its processes start, in one process: migrations, the token
    signing key, the reference accounts (service clients; demo logins in development)."""
    from gateway.seed import ensure_signing_key, seed_accounts
    from services.common.settings import get_settings

    migrate()
    settings = get_settings()
    print(ensure_signing_key(settings), flush=True)
    demo_users = asyncio.run(seed_accounts(settings))
    print("seeded reference accounts", flush=True)
    if demo_users:
        seed_demos(settings, demo_users)
    return 0


def seed_demos(settings: Settings, demo_users: dict[str, uuid.UUID]) -> None:
    """The funds, plans and assessment demos (development only), made by the demo users through each
    service's own rules."""
    from gateway.demo import DEMO_ACCOUNTS
    from services.assessment.demo import ensure_demo_assessment
    from services.common.auth import Grant, Principal
    from services.funds.demo import ensure_demo_funds
    from services.plans.demo import ensure_demo_plans

    people = {
        username: Principal(
            subject=str(demo_users[username]),
            kind="user",
            grants=tuple(Grant(role=grant["role"], area=grant["area"]) for grant in grants),
            username=username,
        )
        for username, _, grants in DEMO_ACCOUNTS
    }
    created = asyncio.run(ensure_demo_funds(settings, people))
    print("seeded demo funds" if created else "demo funds exist; kept as they are", flush=True)
    created = asyncio.run(ensure_demo_plans(settings, people))
    print("seeded demo plans" if created else "demo plans exist; kept as they are", flush=True)
    created = asyncio.run(ensure_demo_assessment(settings, people))
    print("seeded demo assessment" if created else "demo assessment exists; kept as it is", flush=True)


def run_workers(names: list[str]) -> int:
    """The named arq workers (their containers' `python -m <module> worker`) in one process."""
    from khabuan.processes import worker_processes
    from khabuan.workers import run_workers as run_in_one_loop
    from services.common.cli import new_event_loop

    known = {process.name: process for process in worker_processes()}
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise SystemExit(f"khabuan: no such worker: {', '.join(unknown)} (known: {', '.join(known)})")
    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        return runner.run(run_in_one_loop([known[name] for name in names]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m khabuan")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the whole stack and supervise it (make run)")
    commands.add_parser("migrate", help="run every schema's migrations")
    commands.add_parser("setup", help="migrate, ensure the signing key, seed reference accounts")
    backup = commands.add_parser("backup", help="write one archive of the database and the secrets")
    backup.add_argument("--archive", type=Path, help="default: backups/khabuan-<UTC timestamp>.tar.gz")
    restore = commands.add_parser("restore", help="restore an archive into a fresh data folder")
    restore.add_argument("archive", type=Path)
    restore.add_argument("--force", action="store_true", help="replace the folder's database and keys")
    workers = commands.add_parser("workers", help="(started by `run`) run these arq workers in one process")
    workers.add_argument("names", nargs="+", help="worker names, e.g. funds-worker gateway-worker")
    zygote = commands.add_parser("zygote", help="(started by `run`) import once, fork the app processes")
    zygote.add_argument("--fd", type=int, required=True, help="the supervisor's end of the channel")
    args = parser.parse_args(argv)
    if args.command == "zygote":  # it must not read settings: each process it forks reads its own
        from khabuan import zygote as zygotes

        return zygotes.main(args.fd)
    settings = load_settings_or_exit()
    if args.command == "migrate":
        return migrate()
    if args.command == "setup":
        configure_logging("setup", level=settings.log_level, json=settings.log_json)
        return setup()
    if args.command == "workers":
        return run_workers(args.names)
    if args.command in {"backup", "restore"}:
        from khabuan import backup as backups

        if args.command == "backup":
            return backups.backup_command(settings.data_dir, args.archive)
        return backups.restore_command(args.archive, settings.data_dir, args.force)
    return run(settings)


def run(settings: Settings) -> int:
    """The whole stack, supervised (make run). The data folder is taken and the zygote forked first, before
    logging is set up or an event loop runs: the zygote starts with what this process has imported."""
    from khabuan import data_folder
    from khabuan.forked import ZYGOTE, fork_zygote

    data_dir = settings.data_dir.resolve()
    try:
        lock = data_folder.hold(data_dir)
    except data_folder.DataFolderInUse as exc:
        print(f"khabuan: {exc}", file=sys.stderr, flush=True)
        return 1
    zygote = fork_zygote(data_dir / "logs" / f"{ZYGOTE}.log", closed_in_it=[lock])
    from khabuan.stack import run_stack

    configure_logging("stack", level=settings.log_level, json=settings.log_json)
    return asyncio.run(run_stack(settings, lock, zygote))


if __name__ == "__main__":
    raise SystemExit(main())
