"""Start and stop a whole Khabuan stack (`python -m khabuan run`) for tests, in its own folder and ports."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from khabuan.embedded import free_port

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class RunningStack:
    process: subprocess.Popen[bytes]
    data_dir: Path
    output: Path

    @property
    def state(self) -> dict[str, Any]:
        return json.loads((self.data_dir / "run" / "stack.json").read_text())  # type: ignore[no-any-return]

    @property
    def gateway_url(self) -> str:
        return str(self.state["gateway_url"])

    def service_url(self, name: str) -> str:
        return str(self.state["services"][name])

    def pid(self, process: str) -> int | None:
        """The pid of `process`, or of the process hosting it (make run hosts every worker in one)."""
        value = self.state["processes"][self.host_of(process)]["pid"]
        return int(value) if value else None

    def host_of(self, process: str) -> str:
        processes: dict[str, dict[str, Any]] = self.state["processes"]
        if process in processes:
            return process
        return next(name for name, entry in processes.items() if process in entry.get("hosts", ()))

    def all_pids(self) -> list[int]:
        return [p["pid"] for p in self.state["processes"].values() if p["pid"]]

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        return self.process.wait(timeout=timeout)


# webhook schedules compressed for tests (every schedule is a setting; production defaults in settings.py):
# four attempts 0.3 s apart, a 3 s attempt timeout, leases that lapse 1 s after it, dead consumers' stream
# entries claimed after 2 s
COMPRESSED_WEBHOOK_SCHEDULES = {
    "KHABUAN_WEBHOOK_ALLOW_PRIVATE": "true",
    "KHABUAN_WEBHOOK_RETRY_SCHEDULE_SECONDS": "[0, 0.3, 0.3, 0.3]",
    "KHABUAN_WEBHOOK_TIMEOUT_SECONDS": "3",
    "KHABUAN_WEBHOOK_LEASE_MARGIN_SECONDS": "1",
    "KHABUAN_WEBHOOK_CONSUMER_MIN_IDLE_MS": "2000",
    "KHABUAN_WEBHOOK_POLL_SECONDS": "0.2",
}


def start_stack(data_dir: Path, *, env: dict[str, str] | None = None, timeout: float = 120) -> RunningStack:
    """Start a stack and wait until its gateway's /health answers 200.

    In external mode (DATABASE_URL / REDIS_URL set) each data folder gets its own database on that server
    and its own Redis database number, so stacks never share state; `drop_external_databases` cleans up.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    output = data_dir / "supervisor.out"
    child_env = {
        **os.environ,
        "KHABUAN_DATA_DIR": str(data_dir),
        "KHABUAN_GATEWAY_PORT": str(free_port()),
        "KHABUAN_ENV": "test",
        "KHABUAN_GEO_REFRESH_SECONDS": "1",
        **COMPRESSED_WEBHOOK_SCHEDULES,
        **external_servers_for(data_dir),
        **(env or {}),
    }
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "khabuan", "run"], cwd=ROOT, env=child_env, stdout=sink, stderr=sink
        )
    stack = RunningStack(process, data_dir, output)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the stack exited with {process.returncode}:\n{output.read_text()[-4000:]}")
        try:
            # `ready` is written once the supervisor has started everything (workers included)
            ready = stack.state.get("ready")
            if ready and httpx.get(stack.gateway_url + "/health", timeout=2).status_code == 200:
                return stack
        except (FileNotFoundError, KeyError, ValueError, httpx.HTTPError):
            pass
        time.sleep(0.25)
    stack.stop(signal.SIGKILL)
    raise RuntimeError(f"the stack did not become healthy:\n{output.read_text()[-4000:]}")


_created_databases: dict[str, str] = {}
_redis_databases: dict[Path, int] = {}


def external_servers_for(data_dir: Path) -> dict[str, str]:
    """A database (named after the data folder, so a restart finds it again) and a Redis db number."""
    servers: dict[str, str] = {}
    admin_url = os.environ.get("DATABASE_URL")
    if admin_url:
        name = "khabuan_test_" + hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:12]
        if name not in _created_databases:
            _run_sql(admin_url, f'CREATE DATABASE "{name}"')
            _created_databases[name] = admin_url
        servers["DATABASE_URL"] = admin_url.rpartition("/")[0] + "/" + name
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        number = _redis_databases.setdefault(data_dir.resolve(), 1 + len(_redis_databases) % 15)
        servers["REDIS_URL"] = redis_url.rpartition("/")[0] + f"/{number}"
    return servers


def drop_external_databases() -> None:
    while _created_databases:
        name, admin_url = _created_databases.popitem()
        _run_sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run_sql(admin_url: str, statement: str) -> None:
    import asyncio

    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(admin_url)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())
