"""What benchmarks share in one run: a working folder, one started stack, the hello app, measurements."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx

from bench import load
from bench.load import Measurement
from bench.processes import MemorySnapshot, Roles, memory_of, stack_roles
from khabuan.embedded import free_port
from tests.stackrunner import RunningStack, start_stack

ROOT = Path(__file__).resolve().parent.parent
# what `make run` runs (development settings), with the geography refresh at its default pace
STACK_ENV = {"KHABUAN_ENV": "development", "KHABUAN_GEO_REFRESH_SECONDS": "60"}
SETTLE_SECONDS = 3.0  # after /health answers, let start-up work (pools, first refreshes) finish
DEMO_LOGIN = {"username": "demo-provincial-93", "password": "khabuan-demo"}

T = TypeVar("T")


@dataclass(frozen=True)
class Server:
    process: subprocess.Popen[bytes]
    url: str

    @property
    def roles(self) -> Roles:
        return {"hello": self.process.pid}


class Context:
    def __init__(self, *, warmup: float, seconds: float) -> None:
        self.warmup = warmup
        self.seconds = seconds
        self.workdir = Path(tempfile.mkdtemp(prefix="khabuan-bench-"))
        self.memory_at_start: MemorySnapshot | None = None
        self._stack: RunningStack | None = None
        self._hello: Server | None = None
        self._fund_path: str | None = None
        self._measured: dict[str, object] = {}

    # -- the shared stack --------------------------------------------------------------------------
    def stack(self) -> RunningStack:
        """One stack for every benchmark that needs a running one, started on first use."""
        if self._stack is None:
            self._stack = start_stack(self.workdir / "stack", env=STACK_ENV)
            time.sleep(SETTLE_SECONDS)
            self.memory_at_start = memory_of(self.stack_roles())
        return self._stack

    def stack_roles(self) -> Roles:
        stack = self.stack()
        processes = {name: stack.pid(name) for name in stack.state["processes"]}
        return stack_roles(stack.process.pid, processes)

    def fund_path(self) -> str:
        """`/v1/funds/{id}` of a fund opened once through the gateway by a demo provincial user."""
        if self._fund_path is None:
            gateway = self.stack().gateway_url
            with httpx.Client(base_url=gateway, timeout=10) as client:
                token = client.post("/v1/auth/token", data={"grant_type": "password", **DEMO_LOGIN})
                token.raise_for_status()
                opened = client.post(
                    "/v1/funds",
                    json={"name_th": "กองทุนวัดผลจังหวัดพัทลุง", "kind": "pooled_province", "area_code": "93"},
                    headers={"Authorization": f"Bearer {token.json()['access_token']}"},
                )
                opened.raise_for_status()
                self._fund_path = f"/v1/funds/{opened.json()['id']}"
        return self._fund_path

    # -- the baseline app ----------------------------------------------------------------------------
    def hello(self) -> Server:
        if self._hello is None:
            port = free_port()
            with (self.workdir / "hello.log").open("wb") as output:
                process = subprocess.Popen(
                    [sys.executable, "-m", "bench.hello_app", "--port", str(port)],
                    cwd=ROOT,
                    stdout=output,
                    stderr=output,
                )
            self._hello = Server(process, f"http://127.0.0.1:{port}")
            _wait_until_answers(self._hello.url + "/", process)
        return self._hello

    # -- measurements --------------------------------------------------------------------------------
    def once(self, key: str, measure: Callable[[], T]) -> T:
        """A measurement taken at most once per run, so a benchmark can reuse another's (same conditions)."""
        if key not in self._measured:
            self._measured[key] = measure()
        return self._measured[key]  # type: ignore[return-value]

    def load(self, url: str, connections: int, roles: Roles) -> load.Measurement:
        return load.measure(
            url, connections=connections, seconds=self.seconds, warmup=self.warmup, roles=roles
        )

    def measure(
        self, url: str, connections: int, roles: Roles, *, seconds: float, warmup: float
    ) -> Measurement:
        """One wrk run of a chosen length (for benchmarks that alternate short runs)."""
        return load.measure(url, connections=connections, seconds=seconds, warmup=warmup, roles=roles)

    def drive(self, url: str, connections: int) -> Callable[[float], object]:
        """Load for a given time without warm-up or CPU accounting: what a profiler watches."""
        return lambda seconds: load.measure(url, connections=connections, seconds=seconds, warmup=0)

    def close(self) -> None:
        if self._hello is not None:
            self._hello.process.terminate()
            self._hello.process.wait(timeout=15)
        if self._stack is not None:
            self._stack.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _wait_until_answers(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode} before answering")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer in {timeout:.0f} s")
