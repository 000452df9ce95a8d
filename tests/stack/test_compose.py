"""compose.yaml runs what `make run` runs: the same processes, setup steps and settings names."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from gateway.edge import caddyfile
from khabuan.processes import (
    EDGE,
    SETUP_STEPS,
    AppProcess,
    SetupStep,
    app_processes,
    edge_argv,
    worker_processes,
    workers_process,
)
from services.common.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SERVERS = {"postgres", "redis"}


def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return document


def stack_processes() -> list[AppProcess]:
    return app_processes(
        {"plans": 1, "funds": 2, "assessment": 3}, 4, {"plans": 5, "funds": 6, "assessment": 7}
    )


def setting_names() -> set[str]:
    """Every environment variable the settings class reads."""
    names: set[str] = set()
    for name, field in Settings.model_fields.items():
        choices = getattr(field.validation_alias, "choices", None)
        names |= set(choices) if choices else {f"KHABUAN_{name.upper()}"}
    return names


def drift(services: dict[str, Any], processes: list[AppProcess], steps: tuple[SetupStep, ...]) -> list[str]:
    """Differences between compose services and the supervisor's table; empty when they agree."""
    problems: list[str] = []
    expected = {p.name for p in processes} | {s.name for s in steps} | SERVERS | {EDGE}
    for name in sorted(expected ^ set(services)):
        where = "compose.yaml" if name not in services else "khabuan/processes.py"
        problems.append(f"{name}: missing from {where}")
    known = setting_names()
    for process in processes:
        service = services.get(process.name)
        if service is None:
            continue
        command = service.get("command", [])
        if command[:3] != ["python", "-m", process.module] or command[3:4] != list(process.arguments[:1]):
            problems.append(f"{process.name}: compose runs {command}, make run runs {process.argv('python')}")
        environment = set(service.get("environment", {}))
        missing = (set(process.settings) | {k for k, _ in process.env}) - environment
        if missing:
            problems.append(f"{process.name}: compose does not set {sorted(missing)}")
        if environment - known:
            problems.append(f"{process.name}: compose sets unknown settings {sorted(environment - known)}")
    for step in steps:
        service = services.get(step.name)
        if service is not None and service.get("command") != step.argv("python"):
            problems.append(
                f"{step.name}: compose runs {service.get('command')}, make run runs {step.argv('python')}"
            )
    return problems


def test_compose_and_make_run_start_the_same_processes_with_the_same_settings() -> None:
    assert drift(compose()["services"], stack_processes(), SETUP_STEPS) == []


def test_make_run_hosts_in_one_process_the_workers_compose_runs_one_container_each() -> None:
    services = compose()["services"]
    in_compose = {name for name, service in services.items() if service.get("command", [])[3:] == ["worker"]}
    hosting = workers_process(worker_processes(), metrics_port=1)

    assert hosting.argv("python")[:4] == ["python", "-m", "khabuan", "workers"]
    assert set(hosting.arguments[1:]) == in_compose == {worker.name for worker in worker_processes()}
    for worker in worker_processes():
        # the WorkerSettings make run loads is the one the container's `python -m <module> worker` runs
        main = (ROOT / worker.module.replace(".", "/") / "__main__.py").read_text()
        assert f'"{worker.worker_settings}"' in main, worker.name
    assert dict(hosting.env) == {"KHABUAN_METRICS_PORT": "1"}


def test_the_drift_check_fails_when_a_process_is_added_to_make_run_only() -> None:
    extra = AppProcess("funds-reporter", "services.funds", ("reporter",))
    assert drift(compose()["services"], [*stack_processes(), extra], SETUP_STEPS) == [
        "funds-reporter: missing from compose.yaml"
    ]


def test_the_drift_check_fails_when_a_process_is_added_to_compose_only() -> None:
    services = {
        **compose()["services"],
        "plans-reporter": {"command": ["python", "-m", "services.plans", "x"]},
    }
    assert drift(services, stack_processes(), SETUP_STEPS) == [
        "plans-reporter: missing from khabuan/processes.py"
    ]


def test_the_drift_check_fails_when_a_command_or_setting_differs() -> None:
    services = compose()["services"]
    services["funds"] = {**services["funds"], "command": ["python", "-m", "services.funds", "worker"]}
    services["plans"] = {**services["plans"], "environment": {"KHABUAN_SECRET": "typo"}}
    problems = drift(services, stack_processes(), SETUP_STEPS)
    assert any(p.startswith("funds: compose runs") for p in problems)
    assert any(p.startswith("plans: compose does not set") for p in problems)
    assert any(p.startswith("plans: compose sets unknown settings ['KHABUAN_SECRET']") for p in problems)


def test_every_long_running_process_waits_for_what_it_needs_and_has_a_healthcheck() -> None:
    services = compose()["services"]
    for process in stack_processes():
        service = services[process.name]
        assert service["depends_on"]["setup"]["condition"] == "service_completed_successfully", process.name
        if process.port is not None:
            assert "healthcheck" in service, process.name
    assert services["setup"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["gateway"]["depends_on"]["funds"]["condition"] == "service_healthy"


def test_compose_validates_against_the_compose_specification() -> None:
    tool = shutil.which("check-jsonschema", path=str(ROOT / ".venv" / "bin")) or shutil.which(
        "check-jsonschema"
    )
    if tool is None:
        pytest.fail("check-jsonschema is not installed (make install)")
    result = subprocess.run(
        [tool, "--builtin-schema", "vendor.compose-spec", str(ROOT / "compose.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_edge_runs_caddy_on_the_generated_caddyfile_with_every_variable_it_reads() -> None:
    edge = compose()["services"][EDGE]
    sources = {target: source for source, target, *_ in (volume.split(":") for volume in edge["volumes"])}
    config = edge["command"][edge["command"].index("--config") + 1]

    assert edge["image"].startswith("caddy:2")
    assert edge["command"][1:] == [*edge_argv()[1:3], config, *edge_argv()[4:]]
    assert (ROOT / sources[config]).resolve() == caddyfile.CADDYFILE
    assert set(edge["environment"]) == set(caddyfile.variables())
    assert edge["ports"] == [f"{edge['environment']['KHABUAN_EDGE_PORT']}:8000"]
    assert "ports" not in compose()["services"]["gateway"]  # the edge is the only public port


def test_the_edge_sends_each_owner_to_every_replica_on_the_port_it_serves() -> None:
    services = compose()["services"]
    environment = services[EDGE]["environment"]
    for owner in caddyfile.OWNERS:
        service = services[owner]
        port = service["command"][service["command"].index("--port") + 1]
        replicas = service.get("deploy", {}).get("replicas", 1)
        expected = [f"{compose()['name']}-{owner}-{n}:{port}" for n in range(1, replicas + 1)]
        assert environment[caddyfile.upstreams_variable(owner)].split() == expected, owner


def test_the_edge_limits_in_compose_are_the_settings_defaults() -> None:
    defaults = caddyfile.environment(
        Settings(),
        host="",
        port=0,
        metrics_host="",
        metrics_port=0,
        upstreams=dict.fromkeys(caddyfile.OWNERS, ()),
    )
    environment = compose()["services"][EDGE]["environment"]
    for name in ("MAX_BODY_BYTES", "CONNECT_TIMEOUT", "READ_TIMEOUT", "HEALTH_INTERVAL", "PROBLEM_BASE_URI"):
        assert str(environment[f"KHABUAN_EDGE_{name}"]) == defaults[f"KHABUAN_EDGE_{name}"], name
