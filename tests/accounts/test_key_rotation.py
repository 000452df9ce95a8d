"""Signing-key rotation: new tokens use the new key at once, the old key stays published (so the tokens it
signed verify everywhere) until those tokens have expired, and then leaves the JWKS."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import timedelta
from pathlib import Path

import httpx
import jwt

from gateway.auth.keys import KeyRing, rotate_signing_key
from services.common.clock import set_clock, utcnow
from services.common.settings import Settings
from tests.conftest import DEMO_PASSWORD, bearer
from tests.stackrunner import RunningStack

ROOT = Path(__file__).resolve().parents[2]


def _kid(token: str) -> str:
    return str(jwt.get_unverified_header(token)["kid"])


async def _token(gateway: httpx.AsyncClient) -> str:
    answer = await gateway.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": "demo-provincial-93", "password": DEMO_PASSWORD},
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


async def test_after_a_rotation_old_tokens_still_verify_in_every_service_and_new_ones_use_the_new_key(
    gateway: httpx.AsyncClient, stack: RunningStack
) -> None:
    old_token = await _token(gateway)
    rotation = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "gateway",
        "rotate-signing-key",
        cwd=ROOT,
        env={**os.environ, "KHABUAN_DATA_DIR": str(stack.data_dir), "KHABUAN_ENV": "test"},
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await rotation.communicate()
    new_token = old_token
    for _ in range(50):  # the running gateway looks at its key files once a second
        new_token = await _token(gateway)
        if _kid(new_token) != _kid(old_token):
            break
        await asyncio.sleep(0.1)
    jwks = (await gateway.get("/.well-known/jwks.json")).json()["keys"]
    paths = ("/v1/me", "/v1/funds", "/v1/projects", "/v1/teams")
    old_answers = [await gateway.get(path, headers=bearer(old_token)) for path in paths]
    with_old = [answer.status_code for answer in old_answers]
    with_new = [(await gateway.get(path, headers=bearer(new_token))).status_code for path in paths]

    assert rotation.returncode == 0, stderr.decode()
    assert _kid(new_token) != _kid(old_token)
    assert [key["kid"] for key in jwks] == [_kid(new_token), _kid(old_token)]  # the current key first
    assert with_old == [200] * len(paths), [answer.text for answer in old_answers]
    assert with_new == [200] * len(paths)


def test_a_retired_key_leaves_the_jwks_once_the_tokens_it_signed_have_expired(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, env="test", access_token_ttl_seconds=900, jwks_cache_seconds=300)
    ring = KeyRing(settings)
    first = ring.current().kid
    old, new = rotate_signing_key(settings)
    ring = KeyRing(settings)
    now = utcnow()
    try:
        set_clock(lambda: now + timedelta(seconds=900 + 300 + 59))
        during = [key.kid for key in ring.published()]
        set_clock(lambda: now + timedelta(seconds=900 + 300 + 61))
        after = [key.kid for key in ring.published()]
    finally:
        set_clock(None)

    assert old == first
    assert ring.current().kid == new != old
    assert during == [new, old]
    assert after == [new]
