"""The supervisor of `make run` keeps the stack up: a service that dies comes back, the others never stop.

Making the down window deterministic: the supervisor restarts a dead child after a short back-off (≥ 0.5 s)
plus the child's start-up, so racing a request against the restart would usually — not always — see the
service down. Instead the test pauses the supervisor (SIGSTOP) before killing the service: nothing can
restart it, so the gateway is observed with the service really gone (its process dead, its port closed)
for as long as the checks take. The other services and the gateway are separate processes and keep
serving while their supervisor is paused. Then SIGCONT: the supervisor notices the death it missed and
restarts the service, which is the second half of the behaviour under test. (Pausing the *service*
instead would not do: the kernel still accepts connections on its socket, so the gateway would wait for
its read timeout and answer 504, not 503.)
"""

from __future__ import annotations

import asyncio
import os
import signal
import time

import httpx
import psutil

from tests.stack.proctools import is_alive
from tests.stackrunner import RunningStack


async def _wait_until_dead(pid: int, timeout: float = 10.0) -> None:
    try:
        process = psutil.Process(pid)
    except psutil.NoSuchProcess:  # dead and already reaped
        return
    deadline = time.monotonic() + timeout
    while is_alive(process):
        assert time.monotonic() < deadline, f"process {pid} survived SIGKILL"
        await asyncio.sleep(0.05)


async def test_killed_service_answers_503_while_down_others_keep_working_and_supervisor_restarts_it(
    stack: RunningStack, gateway: httpx.AsyncClient
) -> None:
    before = stack.state["processes"]["funds"]
    supervisor_pid = int(stack.state["supervisor_pid"])
    assert (await gateway.get("/v1/funds")).status_code == 200

    os.kill(supervisor_pid, signal.SIGSTOP)
    try:
        os.kill(before["pid"], signal.SIGKILL)
        await _wait_until_dead(before["pid"])
        funds = await gateway.get("/v1/funds")
        strategies = await gateway.get("/v1/strategies")
        teams = await gateway.get("/v1/teams")
        health = await gateway.get("/health")
    finally:
        os.kill(supervisor_pid, signal.SIGCONT)

    assert funds.status_code == 503, funds.text
    assert funds.headers["content-type"] == "application/problem+json"
    assert funds.json()["status"] == 503
    assert funds.json()["service"] == "funds"
    assert "retry-after" in funds.headers
    assert strategies.status_code == 200, strategies.text
    assert teams.status_code == 200, teams.text
    assert health.status_code == 503
    components = health.json()["components"]
    assert components["funds"]["status"] == "down"
    assert components["plans"]["status"] == "up"
    assert components["assessment"]["status"] == "up"

    # the supervisor brings funds back: a new process, one more restart recorded, requests served again
    deadline = time.monotonic() + 60
    after = before
    while time.monotonic() < deadline:
        after = stack.state["processes"]["funds"]
        if after["pid"] and after["pid"] != before["pid"] and after["restarts"] == before["restarts"] + 1:
            break
        await asyncio.sleep(0.1)
    assert after["pid"] not in (None, before["pid"]), after
    assert after["restarts"] == before["restarts"] + 1
    assert psutil.Process(after["pid"]).ppid() == supervisor_pid

    back: httpx.Response | None = None
    while time.monotonic() < deadline:
        back = await gateway.get("/v1/funds")
        if back.status_code == 200 and (await gateway.get("/health")).status_code == 200:
            break
        await asyncio.sleep(0.2)
    assert back is not None
    assert back.status_code == 200, back.text
    assert (await gateway.get("/health")).status_code == 200


async def test_other_services_answer_throughout_a_service_restart(
    stack: RunningStack, gateway: httpx.AsyncClient
) -> None:
    before = stack.state["processes"]["funds"]

    os.kill(before["pid"], signal.SIGKILL)
    statuses: dict[str, set[int]] = {"/v1/strategies": set(), "/v1/teams": set(), "/v1/funds": set()}
    deadline = time.monotonic() + 60
    restarted = False
    while time.monotonic() < deadline and not restarted:
        for path in statuses:
            statuses[path].add((await gateway.get(path)).status_code)
        now = stack.state["processes"]["funds"]
        restarted = (
            bool(now["pid"])
            and now["pid"] != before["pid"]
            and 200 in {(await gateway.get("/v1/funds")).status_code}
        )
        await asyncio.sleep(0.05)

    assert restarted, "funds was not restarted in time"
    assert statuses["/v1/strategies"] == {200}
    assert statuses["/v1/teams"] == {200}
    assert statuses["/v1/funds"] <= {200, 503}, statuses  # never a 500 or a hang while it restarts
    assert stack.state["processes"]["funds"]["restarts"] == before["restarts"] + 1


async def test_a_killed_edge_is_restarted_and_the_public_port_answers_again(
    stack: RunningStack, gateway: httpx.AsyncClient
) -> None:
    before = stack.state["processes"]
    edge = before["edge"]

    os.kill(edge["pid"], signal.SIGKILL)
    await _wait_until_dead(edge["pid"])

    deadline = time.monotonic() + 60
    answer: httpx.Response | None = None
    while time.monotonic() < deadline:
        now = stack.state["processes"]["edge"]
        if now["pid"] and now["pid"] != edge["pid"]:
            try:
                answer = await gateway.get("/v1/funds")
                if answer.status_code == 200:
                    break
            except httpx.TransportError:
                pass
        await asyncio.sleep(0.1)
    assert answer is not None
    assert answer.status_code == 200, answer.text
    after = stack.state["processes"]
    assert after["edge"]["restarts"] == edge["restarts"] + 1
    # nothing behind the edge was restarted with it
    assert {name: p["pid"] for name, p in after.items() if name != "edge"} == {
        name: p["pid"] for name, p in before.items() if name != "edge"
    }


async def _restarted(
    stack: RunningStack, name: str, before: dict[str, int], timeout: float = 60
) -> dict[str, int]:
    """stack.json's entry for `name` once it lists a new pid (and one more restart)."""
    deadline = time.monotonic() + timeout
    now = before
    while time.monotonic() < deadline:
        now = {key: stack.state["processes"][name][key] for key in ("pid", "restarts")}
        if now["pid"] and now["pid"] != before["pid"] and now["restarts"] == before["restarts"] + 1:
            return now
        await asyncio.sleep(0.1)
    raise AssertionError(f"{name} was not restarted: {now}")


async def test_a_killed_zygote_is_restarted_alone_and_forks_the_next_restart(
    stack: RunningStack, gateway: httpx.AsyncClient
) -> None:
    before = stack.state["processes"]

    os.kill(before["zygote"]["pid"], signal.SIGKILL)
    await _wait_until_dead(before["zygote"]["pid"])
    await _restarted(stack, "zygote", before["zygote"])
    funds = stack.state["processes"]["funds"]
    assert (await gateway.get("/v1/funds")).status_code == 200  # what it forked lives on without it
    os.kill(funds["pid"], signal.SIGKILL)
    back = await _restarted(stack, "funds", funds)

    assert psutil.Process(back["pid"]).cmdline()[-4:-1] == ["services.funds", "serve", "--port"]
    assert psutil.Process(back["pid"]).ppid() == stack.state["supervisor_pid"]
    after = stack.state["processes"]
    unchanged = {name for name in before if name not in ("zygote", "funds")}
    assert {name: after[name]["pid"] for name in unchanged} == {
        name: before[name]["pid"] for name in unchanged
    }
    deadline = time.monotonic() + 60
    answer = await gateway.get("/v1/funds")
    while answer.status_code != 200 and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        answer = await gateway.get("/v1/funds")
    assert answer.status_code == 200, answer.text


async def test_killed_workers_come_back_with_every_heartbeat_and_nothing_else_restarts(
    stack: RunningStack, gateway: httpx.AsyncClient
) -> None:
    before = stack.state["processes"]
    host = stack.host_of("funds-worker")

    os.kill(before[host]["pid"], signal.SIGKILL)
    await _wait_until_dead(before[host]["pid"])
    await _restarted(stack, host, before[host])

    # each worker's heartbeat names the new process once it beats again (an old beat lives 30 s)
    new_pid = f"pid={stack.pid(host)}"
    deadline = time.monotonic() + 60
    workers = (await gateway.get("/health")).json()["components"]["workers"]
    while not all(new_pid in w.get("last_heartbeat", "") for w in workers.values()):
        assert time.monotonic() < deadline, workers
        await asyncio.sleep(0.2)
        workers = (await gateway.get("/health")).json()["components"]["workers"]
    assert {name: worker["status"] for name, worker in workers.items()} == dict.fromkeys(workers, "up")
    hosted = {"plans-worker", "funds-worker", "assessment-worker", "gateway-worker"}
    assert {f"{name}-worker" for name in workers} == set(stack.state["processes"][host]["hosts"]) == hosted
    after = stack.state["processes"]
    assert {name: p["pid"] for name, p in after.items() if name != host} == {
        name: p["pid"] for name, p in before.items() if name != host
    }
