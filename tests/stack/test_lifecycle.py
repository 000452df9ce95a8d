"""`python -m khabuan run` from start to stop: clean shutdown, data kept across restarts, one stack per data
folder, production refusals, the embedded servers, and no orphans when the supervisor itself is killed.

Most tests here start their own stack in their own temporary data folder (about 5 s each)."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import psutil
import pytest
import redis

from khabuan.embedded import free_port
from tests.conftest import DEMO_PASSWORD, bearer
from tests.stack.proctools import describe, is_alive, kill_all, processes_of, stack_tree, wait_until_gone
from tests.stackrunner import ROOT, RunningStack, start_stack

ALREADY_RUNNING = "another Khabuan stack is already running"


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A fresh data folder directly under /tmp; whatever still runs on it afterwards is killed."""
    folder = Path(tempfile.mkdtemp(prefix="khabuan-life-"))
    try:
        yield folder / "data"
    finally:
        leftovers = processes_of(folder / "data")
        kill_all(leftovers)
        wait_until_gone(leftovers, 10)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def deep_data_dir(data_dir: Path) -> Path:
    """A data folder several levels down, through names with spaces and owner-only (0700) parents: the
    postgres system user must still reach its data."""
    parent = data_dir.parent
    for name in ("deeper level", "owner only", "ไทย"):
        parent = parent / name
        parent.mkdir(mode=0o700)
        parent.chmod(0o700)
    return parent / "data"


def _token(gateway_url: str, username: str = "demo-provincial-93") -> str:
    response = httpx.post(
        f"{gateway_url}/v1/auth/token",
        data={"grant_type": "password", "username": username, "password": DEMO_PASSWORD},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def _khabuan(argv: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_sigint_stops_the_stack_with_exit_code_0_and_leaves_no_process_behind(data_dir: Path) -> None:
    running = start_stack(data_dir)
    listed = running.state["processes"]
    tree = stack_tree(running)
    postgres_tree = [p for p in tree if p.username() == "embedded_postgres"]
    on_data_dir = processes_of(data_dir)
    embedded = running.state["embedded"]
    servers = {name for name in ("postgres", "redis") if embedded[name]}
    hosted = {worker for entry in listed.values() for worker in entry.get("hosts", ())}
    assert set(listed) >= {"plans", "funds", "assessment", "gateway"} | servers
    assert {"plans-worker", "funds-worker", "assessment-worker", "gateway-worker"} <= set(listed) | hosted
    assert all(entry["pid"] for entry in listed.values()), listed
    if embedded["postgres"]:
        assert len(postgres_tree) > 1, "expected the postmaster and its backends"
    assert {p.pid for p in tree} <= {p.pid for p in on_data_dir} | {running.process.pid}

    code = running.stop(signal.SIGINT)

    assert code == 0, running.output.read_text()[-3000:]
    assert [p for p in tree if is_alive(p)] == []
    assert describe(processes_of(data_dir)) == []
    assert not (data_dir / "run" / "stack.json").exists()


def test_second_start_on_the_same_data_folder_keeps_data_and_signing_key(deep_data_dir: Path) -> None:
    first = start_stack(deep_data_dir)
    try:
        token = _token(first.gateway_url)
        created = httpx.post(
            f"{first.gateway_url}/v1/funds",
            json={"name_th": "กองทุนก่อนรีสตาร์ต", "kind": "pooled_province", "area_code": "93"},
            headers=bearer(token),
            timeout=30,
        )
        assert created.status_code == 201, created.text
    finally:
        assert first.stop(signal.SIGINT) == 0

    second = start_stack(deep_data_dir)
    try:
        listed = httpx.get(f"{second.gateway_url}/v1/funds", params={"area": "93", "limit": 200}, timeout=30)
        me = httpx.get(f"{second.gateway_url}/v1/me", headers=bearer(token), timeout=30)
        # a service verifies the old token too (through the new gateway's JWKS)
        another = httpx.post(
            f"{second.gateway_url}/v1/funds",
            json={"name_th": "กองทุนหลังรีสตาร์ต", "kind": "pooled_province", "area_code": "93"},
            headers=bearer(token),
            timeout=30,
        )
    finally:
        assert second.stop(signal.SIGINT) == 0

    assert listed.status_code == 200, listed.text
    assert created.json()["id"] in {item["id"] for item in listed.json()["items"]}
    assert me.status_code == 200, me.text
    assert me.json()["username"] == "demo-provincial-93"
    assert another.status_code == 201, another.text


def test_a_second_stack_on_the_same_data_folder_refuses_to_start_and_leaves_the_first_alone(
    data_dir: Path,
) -> None:
    first = start_stack(data_dir)
    try:
        state_before = first.state
        env = {
            **os.environ,
            "KHABUAN_DATA_DIR": str(data_dir),
            "KHABUAN_GATEWAY_PORT": str(free_port()),
            "KHABUAN_ENV": "test",
        }

        second = _khabuan(["khabuan", "run"], env)

        assert second.returncode != 0
        assert ALREADY_RUNNING in second.stderr, second.stderr
        assert str(data_dir) in second.stderr
        assert first.process.poll() is None
        assert first.state["processes"] == state_before["processes"]
        assert httpx.get(f"{first.gateway_url}/health", timeout=10).status_code == 200
    finally:
        assert first.stop(signal.SIGINT) == 0


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["khabuan", "run"], id="khabuan-run"),
        pytest.param(["services.funds", "serve", "--port", "0"], id="funds-serve"),
        pytest.param(["gateway", "serve", "--port", "0"], id="gateway-serve"),
    ],
)
def test_production_mode_with_default_secrets_refuses_to_start_and_names_the_secret(
    argv: list[str], data_dir: Path
) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"KHABUAN_SECRET_KEY", "KHABUAN_DEMO_ACCOUNTS", "KHABUAN_DEMO_PASSWORD"}
    }
    env |= {"KHABUAN_ENV": "production", "KHABUAN_DATA_DIR": str(data_dir), "KHABUAN_GATEWAY_PORT": "0"}

    result = _khabuan(argv, env)

    assert result.returncode != 0
    assert "KHABUAN_SECRET_KEY" in result.stderr, result.stderr
    assert "production" in result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert describe(processes_of(data_dir)) == []
    assert not (data_dir / "postgres").exists()


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL") or os.environ.get("REDIS_URL")),
    reason="external PostgreSQL/Redis (DATABASE_URL or REDIS_URL set): the embedded servers are not in use",
)
def test_default_mode_runs_the_embedded_postgresql_18_and_redis_6_2(stack: RunningStack) -> None:
    state = stack.state

    async def postgres_version() -> str:
        connection = await asyncpg.connect(state["database_url"])
        try:
            return str(await connection.fetchval("SHOW server_version"))
        finally:
            await connection.close()

    client = redis.Redis.from_url(state["redis_url"])
    try:
        info: dict[str, object] = client.info("server")  # type: ignore[assignment]
        redis_version = str(info["redis_version"])
    finally:
        client.close()

    assert state["embedded"] == {"postgres": True, "redis": True}
    assert asyncio.run(postgres_version()).startswith("18.")
    assert redis_version.startswith("6.2.")


def test_killing_the_supervisor_with_sigkill_takes_its_children_down_and_the_folder_starts_again(
    data_dir: Path,
) -> None:
    running = start_stack(data_dir)
    tree = stack_tree(running)
    assert len(tree) >= expected_process_count(running), describe(tree)

    running.process.kill()
    assert running.process.wait(timeout=10) == -signal.SIGKILL

    orphans = wait_until_gone(tree, timeout=30)
    assert describe(orphans) == []
    assert describe(processes_of(data_dir)) == []

    again = start_stack(data_dir)
    try:
        assert httpx.get(f"{again.gateway_url}/health", timeout=10).status_code == 200
    finally:
        assert again.stop(signal.SIGINT) == 0
    assert describe(processes_of(data_dir)) == []


def test_sigint_while_migrating_stops_the_start_and_leaves_no_process_behind(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    # a database that accepts connections and never answers keeps `setup` (its migrations) running until we
    # interrupt it
    silent = socket.create_server(("127.0.0.1", 0))
    silent_url = f"postgresql://postgres@127.0.0.1:{silent.getsockname()[1]}/khabuan"
    env = {
        **os.environ,
        "KHABUAN_DATA_DIR": str(data_dir),
        "KHABUAN_GATEWAY_PORT": str(free_port()),
        "KHABUAN_ENV": "test",
        "DATABASE_URL": silent_url,
    }
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "khabuan", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        migrating = _wait_for_child(supervisor.pid, ["khabuan", "setup"], timeout=120)
        assert migrating is not None, "never saw `python -m khabuan setup` running"

        supervisor.send_signal(signal.SIGINT)
        code = supervisor.wait(timeout=60)
    finally:
        silent.close()
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()

    assert code == 0, supervisor.stderr.read() if supervisor.stderr else ""
    assert not is_alive(migrating), describe([migrating])
    assert describe(processes_of(data_dir)) == []


def expected_process_count(running: RunningStack) -> int:
    """Supervisor + the zygote, 3 services, the gateway, the workers' process and the edge, + PostgreSQL
    (with its backends) and Redis when embedded."""
    embedded = running.state["embedded"]
    return 8 + (2 if embedded["postgres"] else 0) + (1 if embedded["redis"] else 0)


def _wait_for_child(parent: int, argv_tail: list[str], timeout: float) -> psutil.Process | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            for child in psutil.Process(parent).children():
                if child.cmdline()[-len(argv_tail) :] == argv_tail:
                    return child
        except psutil.NoSuchProcess:
            return None
        time.sleep(0.02)
    return None
