"""Accounts made the way an administrator makes them: created with grants, the invite's one-time code read
from the gateway's log (development delivers codes there), a password set with it."""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any

import httpx

from tests.conftest import bearer
from tests.stackrunner import RunningStack

PASSWORD = "ทุ่งนา-ข้าวหอม-2569"


def national_id(first_twelve: str) -> str:
    """A national ID with its check digit: (11 − Σ dᵢ·(13 − i) mod 11) mod 10."""
    check = (11 - sum(int(d) * (13 - i) for i, d in enumerate(first_twelve)) % 11) % 10
    return f"{first_twelve}{check}"


async def code_from_log(stack: RunningStack, user_id: str, after: int = 0) -> str:
    """The newest one-time code the gateway logged for the account (waits for the log line to land)."""
    log = stack.data_dir / "logs" / "gateway.log"
    code = re.compile(r"\bcode=['\"]?([A-Za-z0-9_-]{16})")
    for _ in range(100):
        lines = log.read_text(errors="replace").splitlines()
        found = [
            match.group(1)
            for line in lines
            if "users.code_sent" in line and user_id in line and (match := code.search(line))
        ]
        if len(found) > after:
            return found[-1]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no one-time code for {user_id} in {log}")


async def new_account(
    gateway: httpx.AsyncClient,
    stack: RunningStack,
    admin_token: str,
    grants: list[dict[str, str]],
    *,
    password: str | None = PASSWORD,
) -> dict[str, Any]:
    """A new account with these grants (its password set, unless None); the created body."""
    username = f"t-{uuid.uuid4().hex[:12]}"
    created = await gateway.post(
        "/v1/users",
        json={"username": username, "display_name": "บัญชีทดสอบ", "grants": grants},
        headers=bearer(admin_token),
    )
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    if password is not None:
        code = await code_from_log(stack, body["id"])
        done = await gateway.post(
            "/v1/auth/password", json={"username": username, "code": code, "password": password}
        )
        assert done.status_code == 204, done.text
    return body


async def password_login(
    gateway: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> httpx.Response:
    return await gateway.post(
        "/v1/auth/token", data={"grant_type": "password", "username": username, "password": password}
    )


async def refused_everywhere(gateway: httpx.AsyncClient, token: str, paths: tuple[str, ...]) -> list[int]:
    """The status `token` gets at each path once every service refuses it (401), or after ten seconds:
    the event that ends it reaches each process through the outbox, the relay and the followed stream."""
    answers: list[int] = []
    for _ in range(100):
        answers = [(await gateway.get(path, headers=bearer(token))).status_code for path in paths]
        if answers == [401] * len(paths):
            break
        await asyncio.sleep(0.1)
    return answers
