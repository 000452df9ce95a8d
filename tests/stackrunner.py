"""Start and stop a whole Khabuan stack (`python -m khabuan run`) for tests, in its own folder and ports."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
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
        value = self.state["processes"][process]["pid"]
        return int(value) if value else None

    def all_pids(self) -> list[int]:
        return [p["pid"] for p in self.state["processes"].values() if p["pid"]]

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        return self.process.wait(timeout=timeout)


def start_stack(data_dir: Path, *, env: dict[str, str] | None = None, timeout: float = 120) -> RunningStack:
    """Start a stack and wait until its gateway's /health answers 200."""
    data_dir.mkdir(parents=True, exist_ok=True)
    output = data_dir / "supervisor.out"
    child_env = {
        **os.environ,
        "KHABUAN_DATA_DIR": str(data_dir),
        "KHABUAN_GATEWAY_PORT": str(free_port()),
        "KHABUAN_ENV": "test",
        "KHABUAN_GEO_REFRESH_SECONDS": "1",
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
            if httpx.get(stack.gateway_url + "/health", timeout=2).status_code == 200:
                return stack
        except (FileNotFoundError, KeyError, ValueError, httpx.HTTPError):
            pass
        time.sleep(0.25)
    stack.stop(signal.SIGKILL)
    raise RuntimeError(f"the stack did not become healthy:\n{output.read_text()[-4000:]}")


def external_database_for_tests() -> tuple[str, str] | None:
    """With DATABASE_URL set, make a fresh database on that server; returns (url, admin url)."""
    admin_url = os.environ.get("DATABASE_URL")
    if not admin_url:
        return None
    import asyncio

    import asyncpg

    name = f"khabuan_test_{uuid.uuid4().hex[:10]}"

    async def create() -> None:
        connection = await asyncpg.connect(admin_url)
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    asyncio.run(create())
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}", admin_url


def drop_database(admin_url: str, url: str) -> None:
    import asyncio

    import asyncpg

    name = url.rpartition("/")[2]

    async def drop() -> None:
        connection = await asyncpg.connect(admin_url)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()

    asyncio.run(drop())
