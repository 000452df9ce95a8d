"""(e) Events to partners: commit→delivery latency, and fan-out throughput against bare signed POSTs.

Latency: one strategy at a time is written through the gateway; each event's `occurred_at` (stamped inside
the writing transaction, so a little before its commit) is compared with its arrival at a local receiver.
Baseline: the round trip of a bare POST to the same receiver.

Fan-out: with the gateway's worker paused (SIGSTOP), 1,000 events are written for 10 endpoints (from
WRITERS threads, so the pause stays under the fan-out's 10 s Redis read timeout: a longer one makes the
first read after resuming time out and the consumer back off 1 s, a cost of pausing, not of delivering);
the worker is resumed and the clock runs until the receiver holds all 10,000 messages (none may be missing).
Baseline: 10,000 bare POSTs signed with the standardwebhooks package, sent from this one process with the
dispatcher's HTTP client (aiohttp, its connection limit) and concurrency to the same receiver, so the ratio
is Khabuan's own cost per delivery. The other client's bare figure (httpx, fewer POSTs: it is slow at
this concurrency) is in the note for the record.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import httpx
import psutil
from standardwebhooks.webhooks import Webhook

from bench.context import DEMO_LOGIN, Context
from bench.profile import py_spy, summarise
from bench.registry import Benchmark, Goal, Result, judge
from khabuan.embedded import free_port
from services.common.settings import Settings

LATENCY_EVENTS = 100
FANOUT_EVENTS = 1_000
FANOUT_ENDPOINTS = 10
LATENCY_GOAL = Goal("value", "<", 250, "ms")
FANOUT_GOAL = Goal("ratio", ">=", 0.5)
IN_FLIGHT = Settings().webhook_max_in_flight
HTTPX_POSTS = 2_000
BARE_BODY = b'{"type":"strategy.created","data":{}}'
BARE_SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
PROFILE_SECONDS = 10
WRITERS = 8


class ReceiverProcess:
    def __init__(self) -> None:
        self.port = free_port()
        self.process = subprocess.Popen([sys.executable, "-m", "bench.receiver", str(self.port)])
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{self.url}/_stats?path=/", timeout=1)
                return
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stats(self, path: str) -> dict[str, object]:
        result: dict[str, object] = httpx.get(f"{self.url}/_stats", params={"path": path}, timeout=10).json()
        return result

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def _token(client: httpx.Client) -> str:
    response = client.post("/v1/auth/token", data={"grant_type": "password", **DEMO_LOGIN})
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


def _subscribe(client: httpx.Client, headers: dict[str, str], receiver: ReceiverProcess, path: str) -> str:
    response = client.post(
        "/v1/webhooks/endpoints",
        json={"url": receiver.url + path, "event_types": ["strategy.created"], "description": "bench"},
        headers=headers,
    )
    response.raise_for_status()
    secret: str = response.json()["secret"]
    return secret


def _strategy(client: httpx.Client, headers: dict[str, str]) -> str:
    response = client.post(
        "/v1/strategies",
        json={"province_code": "93", "title_th": f"ยุทธศาสตร์วัดผล {uuid.uuid4().hex[:8]}"},
        headers=headers,
    )
    response.raise_for_status()
    occurred: str = response.json()["created_at"]
    return occurred


def _wait_for(receiver: ReceiverProcess, path: str, count: int, timeout: float) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while True:
        stats = receiver.stats(path)
        if int(stats["count"]) >= count or time.monotonic() > deadline:  # type: ignore[call-overload]
            return stats
        time.sleep(0.02)


def latency(ctx: Context, client: httpx.Client, headers: dict[str, str], receiver: ReceiverProcess) -> Result:
    path = "/latency"
    _subscribe(client, headers, receiver, path)
    delays = []
    for n in range(LATENCY_EVENTS):
        created_at = datetime.fromisoformat(_strategy(client, headers)).timestamp()
        stats = _wait_for(receiver, path, n + 1, 30)
        arrivals: dict[str, float] = stats["arrivals"]  # type: ignore[assignment]
        delays.append((max(arrivals.values()) - created_at) * 1000)
    bare = []
    with httpx.Client() as plain:
        for _ in range(LATENCY_EVENTS):
            started = time.perf_counter()
            plain.post(receiver.url + "/bare", content=b"{}")
            bare.append((time.perf_counter() - started) * 1000)
    median = statistics.median(delays)
    return judge(
        "commit→delivery median latency",
        median,
        "ms",
        baseline_name="bare POST round trip (median)",
        baseline_value=statistics.median(bare),
        goal=LATENCY_GOAL,
        note=f"{LATENCY_EVENTS} events one at a time; p90 {statistics.quantiles(delays, n=10)[-1]:.1f} ms",
    )


def fan_out(ctx: Context, client: httpx.Client, headers: dict[str, str], receiver: ReceiverProcess) -> Result:
    paths = [f"/fan/{n}" for n in range(FANOUT_ENDPOINTS)]
    for path in paths:
        _subscribe(client, headers, receiver, path)
    worker = ctx.stack().pid("gateway-worker")
    assert worker is not None
    os.kill(worker, signal.SIGSTOP)
    paused = time.monotonic()
    try:
        with ThreadPoolExecutor(WRITERS) as writers:
            list(writers.map(lambda _: _strategy(client, headers), range(FANOUT_EVENTS)))
        time.sleep(2)  # the relays hand everything to the stream
    finally:
        started = time.monotonic()
        os.kill(worker, signal.SIGCONT)
    profile = _Profile(worker, receiver.process.pid, PROFILE_SECONDS)
    delivered = 0
    deadline = started + 300
    while time.monotonic() < deadline:
        delivered = sum(int(receiver.stats(p)["count"]) for p in paths)  # type: ignore[call-overload]
        if delivered >= FANOUT_EVENTS * FANOUT_ENDPOINTS:
            break
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    unique = sum(len(receiver.stats(p)["arrivals"]) for p in paths)  # type: ignore[arg-type,misc]
    rate = unique / elapsed
    cpu = profile.cpu_line(unique)
    baseline = asyncio.run(_bare_signed_posts(receiver, FANOUT_EVENTS * FANOUT_ENDPOINTS))
    httpx_bare = asyncio.run(_bare_signed_posts_httpx(receiver, HTTPX_POSTS))
    missing = FANOUT_EVENTS * FANOUT_ENDPOINTS - unique
    result = judge(
        f"fan-out: {FANOUT_EVENTS} events × {FANOUT_ENDPOINTS} endpoints",
        rate,
        "deliveries/s",
        baseline_name=f"bare signed POSTs, the dispatcher's client (aiohttp), {IN_FLIGHT} in flight",
        baseline_value=baseline,
        goal=FANOUT_GOAL if missing == 0 else Goal("value", ">=", float("inf")),
        note=f"{unique} of {FANOUT_EVENTS * FANOUT_ENDPOINTS} delivered ({missing} missing), "
        f"{elapsed:.1f} s (worker paused {started - paused:.1f} s); {cpu}; "
        f"bare httpx, same concurrency: {httpx_bare:.0f}/s ({HTTPX_POSTS} POSTs)",
    )
    return result if result.met else replace(result, why=profile.explain())


class _Profile:
    """py-spy on the gateway worker and CPU of the worker, the receiver and PostgreSQL while it drains."""

    def __init__(self, worker: int, receiver: int, seconds: float) -> None:
        self.folder = tempfile.mkdtemp(prefix="khabuan-bench-webhooks-")
        self.processes = {"gateway-worker": psutil.Process(worker), "receiver": psutil.Process(receiver)}
        self.processes |= {
            f"postgres-{p.pid}": p for p in psutil.process_iter(["name"]) if p.info["name"] == "postgres"
        }
        self.cpu_before = {name: _cpu(p) for name, p in self.processes.items()}
        self.wall = time.monotonic()
        self.cpu_used: str | None = None
        tool = py_spy()
        self.recorder = (
            subprocess.Popen(
                [
                    *(
                        tool,
                        "record",
                        "--pid",
                        str(worker),
                        "--duration",
                        str(round(seconds)),
                        "--rate",
                        "200",
                    ),
                    *("--format", "raw", "--nonblocking", "--output", f"{self.folder}/worker.txt"),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            if tool
            else None
        )

    def cpu_line(self, deliveries: int) -> str:
        """CPU of each process from the worker's resumption until now (call it once draining ends)."""
        if self.cpu_used is None:
            wall = time.monotonic() - self.wall
            seconds = {name: _cpu(p) - self.cpu_before[name] for name, p in self.processes.items()}
            postgres = sum(v for k, v in seconds.items() if k.startswith("postgres"))
            split = {"gateway-worker": seconds["gateway-worker"], "receiver": seconds["receiver"]}
            split["postgres (all backends)"] = postgres
            self.cpu_used = "CPU while draining (100% = one core; ms per delivery): " + ", ".join(
                f"{name} {100 * used / wall:.0f}% ({1000 * used / max(deliveries, 1):.2f})"
                for name, used in split.items()
            )
        return self.cpu_used

    def explain(self) -> str:
        lines = [self.cpu_used or "CPU while draining: not measured"]
        if self.recorder is not None:
            self.recorder.wait(60)
            stacks = Path(self.folder) / "worker.txt"
            if stacks.exists():
                lines.append(summarise("gateway-worker", stacks.read_text()))
        return "\n".join(lines)


def _cpu(process: psutil.Process) -> float:
    try:
        times = process.cpu_times()
    except psutil.Error:
        return 0.0
    return float(times.user + times.system)


def _signed_headers(signer: Webhook) -> dict[str, str]:
    message_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signer.sign(message_id, now, BARE_BODY.decode()),
        "content-type": "application/json",
    }


async def _bare_signed_posts(receiver: ReceiverProcess, count: int) -> float:
    """POSTs/s with the dispatcher's client (aiohttp, its connection limit) and concurrency."""
    signer = Webhook(BARE_SECRET)
    limit = asyncio.Semaphore(IN_FLIGHT)
    connector = aiohttp.TCPConnector(limit=IN_FLIGHT)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as client:

        async def one(n: int) -> None:
            async with limit:
                url = f"{receiver.url}/bare-signed/{n % FANOUT_ENDPOINTS}"
                async with client.post(url, data=BARE_BODY, headers=_signed_headers(signer)) as response:
                    await response.read()

        started = time.monotonic()
        await asyncio.gather(*(one(n) for n in range(count)))
        return count / (time.monotonic() - started)


async def _bare_signed_posts_httpx(receiver: ReceiverProcess, count: int) -> float:
    """The same POSTs with httpx, the client the dispatcher used before (for the record)."""
    signer = Webhook(BARE_SECRET)
    limit = asyncio.Semaphore(IN_FLIGHT)
    limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)
    async with httpx.AsyncClient(limits=limits) as client:

        async def one(n: int) -> None:
            async with limit:
                url = f"{receiver.url}/bare-httpx/{n % FANOUT_ENDPOINTS}"
                await client.post(url, content=BARE_BODY, headers=_signed_headers(signer))

        started = time.monotonic()
        await asyncio.gather(*(one(n) for n in range(count)))
        return count / (time.monotonic() - started)


def run(ctx: Context) -> list[Result]:
    receiver = ReceiverProcess()
    try:
        with httpx.Client(base_url=ctx.stack().gateway_url, timeout=30) as client:
            headers = {"Authorization": f"Bearer {_token(client)}"}
            return [latency(ctx, client, headers, receiver), fan_out(ctx, client, headers, receiver)]
    finally:
        receiver.close()


BENCHMARK = Benchmark(
    name="webhooks",
    order=35,
    summary="commit→delivery latency to a local receiver; 1,000 events × 10 endpoints vs bare signed POSTs",
    run=run,
)
