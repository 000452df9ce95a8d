"""`make run`: embedded PostgreSQL + Redis (unless DATABASE_URL / REDIS_URL), migrations, demo data, apps."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import TextIO

import structlog

from gateway.edge import caddyfile
from gateway.routing import ROUTES, SERVICES
from khabuan import embedded, probe
from khabuan.forked import ZYGOTE, EarlyZygote, Zygote, ZygoteError
from khabuan.processes import (
    EDGE,
    PREFERRED_SERVICE_PORTS,
    SETUP_STEPS,
    WORKERS_PROCESS,
    AppProcess,
    app_processes,
    edge_argv,
    worker_processes,
    workers_process,
)
from khabuan.supervisor import Child, Supervisor
from services.common.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
log = structlog.get_logger()
# each service's first prefix in the routing table: what the start probes through the edge
FIRST_ROUTES = {owner: prefix for prefix, owner in reversed(ROUTES.items())}


class StackError(RuntimeError):
    """The stack cannot start; the message says why and what to do."""


class Stack:
    def __init__(self, settings: Settings, lock: TextIO, zygote: EarlyZygote | None = None) -> None:
        self.settings = settings
        self.lock = lock  # the data folder's (khabuan/data_folder.py), held as long as this object lives
        self.data_dir = settings.data_dir.resolve()
        self.run_dir = self.data_dir / "run"
        self.log_dir = self.data_dir / "logs"
        self.supervisor = Supervisor(on_change=self.write_state)
        self.database_url = os.environ.get("DATABASE_URL", "")
        self.redis_url = os.environ.get("REDIS_URL", "")
        self.embedded: dict[str, bool] = {"postgres": not self.database_url, "redis": not self.redis_url}
        self.service_ports: dict[str, int] = {}
        self.workers_metrics_port = 0  # the one /metrics port of the process hosting every worker
        self.workers = worker_processes()
        self.ready = False
        self.public_port = settings.gateway_port  # the edge's
        self.gateway_app_port = 0  # the gateway app behind it, on a local port
        self.edge_metrics_port = 0
        self.env: dict[str, str] = {}
        self.zygote = Zygote(
            # the folder in its environment marks it, and every process it forks, as this stack's
            {**os.environ, "KHABUAN_DATA_DIR": str(self.data_dir), "PYTHONUNBUFFERED": "1"},
            ROOT,
            self.log_dir / f"{ZYGOTE}.log",
            zygote,
        )

    # -- start -----------------------------------------------------------------------------------
    async def start(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        if embedded.free_port(self.public_port) != self.public_port:
            raise StackError(
                f"port {self.public_port} is taken: stop what uses it "
                "or set KHABUAN_GATEWAY_PORT to another port"
            )
        self.supervisor.adopt_orphans()
        # the zygote imports what every app process needs while PostgreSQL initialises and starts
        await self.supervisor.start(self.zygote.child)
        servers = []
        if self.embedded["postgres"]:
            servers.append(self._start_postgres())
        if self.embedded["redis"]:
            servers.append(self._start_redis())
        await asyncio.gather(*servers)
        self._build_env()
        processes = app_processes(self.service_ports, self.gateway_app_port)
        services = [p for p in processes if p.name in SERVICES]
        gateway = [p for p in processes if p not in services and p not in self.workers]
        workers = workers_process(self.workers, self.workers_metrics_port)
        await self._zygote_ready()
        # the services start while setup runs (they touch no table until asked, and nothing routes to them
        # before the gateway, which waits for setup: it reads the signing key setup writes, and in production
        # the accounts setup migrates); the edge opens the public port once the apps answer (its first health
        # checks then pass)
        await self._start_processes(services)
        for step in SETUP_STEPS:
            await self._run_once(step.name, step.argv())
        await self._start_processes([*gateway, workers])
        await self._wait_healthy(self.gateway_app_url, require_every_component=False)
        await self._start_edge()
        await self._wait_healthy(self.public_url, require_every_component=False, through_edge=True)
        try:
            await self._wait_healthy(self.public_url, timeout=30)
        except StackError:
            # the gateway answers; a worker or Redis that is not up degrades jobs, it does not stop the stack
            log.warning("stack.degraded", detail="not every component reports up; see /health")

    async def _zygote_ready(self, timeout: float = 60) -> None:
        try:
            await self.zygote.ready(timeout)
        except ZygoteError as exc:
            raise self._zygote_failed(exc) from None

    def _zygote_failed(self, exc: ZygoteError) -> StackError:
        return StackError(f"{exc}; last lines of its log:\n{_tail(self.zygote.child.log_path)}")

    async def _start_processes(self, processes: list[AppProcess]) -> None:
        for process in processes:
            child = self._forked(process.name, process.argv(), dict(process.env))
            try:
                await self.supervisor.start(child)
            except ZygoteError as exc:
                raise self._zygote_failed(exc) from None

    def _forked(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> Child:
        return Child(
            name,
            argv,
            {**self.env, **(env or {})},
            ROOT,
            self.log_dir / f"{name}.log",
            stop_signal=signal.SIGTERM,
            launch=self.zygote.launch,
        )

    async def _start_edge(self) -> None:
        edge_home = self.data_dir / "edge"  # Caddy keeps its own files here, never in $HOME
        upstreams: dict[caddyfile.Owner, list[str]] = {
            name: [f"127.0.0.1:{self.service_ports[name]}"] for name in SERVICES
        }
        upstreams["gateway"] = [f"127.0.0.1:{self.gateway_app_port}"]
        threads = self.settings.edge_threads or max(1, (os.cpu_count() or 2) // 2)
        env = {
            **self.env,
            "GOMAXPROCS": str(threads),
            "XDG_DATA_HOME": str(edge_home / "data"),
            "XDG_CONFIG_HOME": str(edge_home / "config"),
            **caddyfile.environment(
                self.settings,
                host=self.settings.gateway_host,
                port=self.public_port,
                metrics_host="127.0.0.1",
                metrics_port=self.edge_metrics_port,
                upstreams=upstreams,
            ),
        }
        await self.supervisor.start(
            Child(EDGE, edge_argv(), env, ROOT, self.log_dir / f"{EDGE}.log", stop_signal=signal.SIGTERM)
        )

    @property
    def public_url(self) -> str:
        return f"http://127.0.0.1:{self.public_port}"

    @property
    def gateway_app_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_app_port}"

    async def _start_postgres(self) -> None:
        pgdata = self.data_dir / "postgres"
        try:
            run_as = await asyncio.to_thread(embedded.postgres_run_as, pgdata)
            await asyncio.to_thread(embedded.init_postgres, pgdata, run_as)
        except Exception as exc:
            raise StackError(f"embedded PostgreSQL could not be initialised in {pgdata}: {exc}") from exc
        port = embedded.free_port()
        await self.supervisor.start(
            Child(
                "postgres",
                embedded.postgres_argv(pgdata, port),
                dict(os.environ),
                ROOT,
                self.log_dir / "postgres.log",
                stop_signal=signal.SIGINT,
                become=run_as.become if run_as else None,
            )
        )
        await self._wait_for("postgres", lambda: embedded.pg_isready(port), 30)
        await asyncio.to_thread(embedded.ensure_database, port)
        self.database_url = embedded.postgres_url(port)

    async def _start_redis(self) -> None:
        port = embedded.free_port()
        await self.supervisor.start(
            Child(
                "redis",
                embedded.redis_argv(self.data_dir / "redis", port),
                dict(os.environ),
                ROOT,
                self.log_dir / "redis.log",
                stop_signal=signal.SIGTERM,
            )
        )
        self.redis_url = embedded.redis_url(port)
        await self._wait_for("redis", lambda: _redis_pings(port), 15)

    def _build_env(self) -> None:
        for name in SERVICES:
            # test stacks take random ports: two stacks starting at once must never pick the same one
            preferred = None if self.settings.env == "test" else PREFERRED_SERVICE_PORTS[name]
            self.service_ports[name] = embedded.free_port(preferred)
        self.workers_metrics_port = embedded.free_port()
        self.gateway_app_port = embedded.free_port()
        self.edge_metrics_port = embedded.free_port()
        gateway = self.gateway_app_url  # services reach the gateway app directly, not through the edge
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "KHABUAN_DATA_DIR": str(self.data_dir),
            "KHABUAN_JWKS_URL": f"{gateway}/.well-known/jwks.json",
            "KHABUAN_GEO_URL": f"{gateway}/v1/geo",
            "KHABUAN_ACCOUNTS_URL": gateway,
            "KHABUAN_TOKEN_URL": f"{gateway}/v1/auth/token",
            "PYTHONUNBUFFERED": "1",
            **{
                f"KHABUAN_{name.upper()}_URL": f"http://127.0.0.1:{port}"
                for name, port in self.service_ports.items()
            },
        }

    async def _run_once(self, name: str, argv: list[str]) -> None:
        step = self._forked(name, argv)
        try:
            code = await self.supervisor.run_once(step)
        except ZygoteError as exc:
            raise self._zygote_failed(exc) from None
        if code != 0:
            tail = _tail(step.log_path)
            raise StackError(f"{name} failed (exit {code}); last lines of {step.log_path}:\n{tail}")

    async def _wait_for(self, name: str, is_ready: object, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if await asyncio.to_thread(is_ready):  # type: ignore[arg-type]
                return
            await asyncio.sleep(0.1)
        raise StackError(
            f"{name} did not become ready in {timeout:.0f} s; see {self.log_dir / (name + '.log')}"
        )

    async def _wait_healthy(
        self,
        base_url: str,
        *,
        require_every_component: bool = True,
        through_edge: bool = False,
        timeout: float = 90.0,
    ) -> None:
        """Until /health answers 200 (and, by default, reports every component up, workers included);
        `through_edge`: and the edge reaches every service too (its first route answers, not 502–504)."""
        routed = [f"{base_url}{FIRST_ROUTES[name]}" for name in SERVICES] if through_edge else []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            answers = await asyncio.gather(
                _healthy(f"{base_url}/health", require_every_component), *(map(_routed, routed))
            )
            if all(answers):
                return
            await asyncio.sleep(0.1)
        raise StackError(
            f"the stack did not become healthy in {timeout:.0f} s; see the logs in {self.log_dir}"
        )

    # -- state -----------------------------------------------------------------------------------
    def write_state(self) -> None:
        state = {
            "ready": self.ready,
            "supervisor_pid": os.getpid(),
            "data_dir": str(self.data_dir),
            "gateway_url": self.public_url,
            "gateway_app_url": self.gateway_app_url,
            "edge_metrics": f"http://127.0.0.1:{self.edge_metrics_port}/metrics",
            "database_url": self.database_url,
            "redis_url": self.redis_url,
            "embedded": self.embedded,
            "services": {name: f"http://127.0.0.1:{port}" for name, port in self.service_ports.items()},
            "worker_metrics": {
                worker.name: f"http://127.0.0.1:{self.workers_metrics_port}/metrics"
                for worker in self.workers
            },
            "processes": {c.name: self._process_state(c) for c in self.supervisor.children},
        }
        target = self.run_dir / "stack.json"
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps(state, indent=2))
        temporary.replace(target)

    def _process_state(self, child: Child) -> dict[str, object]:
        state: dict[str, object] = {"pid": child.pid, "restarts": child.restarts}
        if child.name == WORKERS_PROCESS:
            state["hosts"] = [worker.name for worker in self.workers]
        return state

    def banner(self) -> str:
        gateway = self.public_url
        postgres = "embedded" if self.embedded["postgres"] else "external"
        redis = "embedded" if self.embedded["redis"] else "external"
        return (
            f"\nKhabuan is up ({postgres} PostgreSQL, {redis} Redis)\n"
            f"  gateway    {gateway}\n"
            f"  API docs   {gateway}/docs\n"
            f"  health     {gateway}/health\n"
            f"  data       {self.data_dir}\n"
            f"  logs       {self.log_dir}\n"
            "Demo logins (password: KHABUAN_DEMO_PASSWORD, default khabuan-demo): demo-national, "
            "demo-regional-south, demo-provincial-93, demo-provincial-18, demo-provincial-57, "
            "demo-tambon-930101, demo-tambon-180101, demo-evaluator\n"
            "Press Ctrl-C to stop.\n"
        )


async def _healthy(url: str, require_every_component: bool) -> bool:
    """/health answers 200 (and says every component is up, when that is required)."""
    answer = await probe.get(url)
    if answer is None or answer.status != 200:
        return False
    try:
        return not require_every_component or json.loads(answer.body).get("status") == "ok"
    except ValueError:
        return False


async def _routed(url: str) -> bool:
    """The edge reached the route's owner: whatever it answers, it is not the edge's own 502–504."""
    answer = await probe.get(url)
    return answer is not None and not 502 <= answer.status <= 504


def _tail(log_path: Path, lines: int = 15) -> str:
    if not log_path.exists():
        return "(no log)"
    return "\n".join(log_path.read_text(errors="replace").strip().splitlines()[-lines:])


def _redis_pings(port: int) -> bool:
    import redis

    try:
        return bool(redis.Redis(host="127.0.0.1", port=port, socket_timeout=0.5).ping())
    except redis.RedisError:
        return False


async def run_stack(settings: Settings, lock: TextIO, zygote: EarlyZygote | None = None) -> int:
    """Start the stack on the data folder `lock` holds, supervise it until SIGINT/SIGTERM/SIGHUP, stop it."""
    stack = Stack(settings, lock, zygote)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stop.set)
    starting = asyncio.create_task(stack.start())
    stopper = asyncio.create_task(stop.wait())
    code = 0
    try:
        done, _ = await asyncio.wait({starting, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if starting in done:
            starting.result()
            stack.ready = True
            stack.write_state()
            log.info("stack.ready", processes=len(stack.supervisor.children))
            print(stack.banner(), flush=True)
            await stop.wait()
        else:
            starting.cancel()
            await asyncio.wait({starting})  # let it finish cancelling before its processes are stopped
    except StackError as exc:
        print(f"khabuan: {exc}", file=sys.stderr, flush=True)
        code = 1
    finally:
        print("khabuan: stopping…", file=sys.stderr, flush=True)
        await stack.supervisor.stop_all()
        (stack.run_dir / "stack.json").unlink(missing_ok=True)
    return code
