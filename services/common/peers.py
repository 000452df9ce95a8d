"""Calling another service's API as this service: its own client-credentials token (the gateway issues it
from the secret every process derives, service_clients.py), kept until shortly before it expires. A peer that
cannot be reached, times out or fails answers as 503 to our caller: nothing of the request is written."""

from __future__ import annotations

import asyncio
import time

import httpx
import structlog

from services.common import errors
from services.common.i18n import Text
from services.common.service_clients import service_client_id, service_client_secret
from services.common.settings import Settings

RENEW_BEFORE_SECONDS = 60
log = structlog.get_logger()


class Peer:
    """Another service (`base_url`) called by `caller` with its own token."""

    def __init__(self, settings: Settings, *, caller: str, name: str, base_url: str) -> None:
        self.settings, self.caller, self.name, self.base_url = settings, caller, name, base_url.rstrip("/")
        self._token: tuple[str, float] | None = None
        self._lock = asyncio.Lock()

    async def get(self, path: str) -> httpx.Response:
        """GET `path` with this service's token; 503 (ServiceUnavailable) when the peer cannot answer. A 4xx
        answer is returned for the caller to judge (404: there is no such thing)."""
        try:
            async with httpx.AsyncClient(timeout=self.settings.peer_timeout_seconds) as client:
                response = await client.get(
                    f"{self.base_url}{path}",
                    headers={"Authorization": f"Bearer {await self._bearer(client)}"},
                )
                if response.status_code == 401:  # the gateway's keys changed: once more with a new token
                    self._token = None
                    response = await client.get(
                        f"{self.base_url}{path}",
                        headers={"Authorization": f"Bearer {await self._bearer(client)}"},
                    )
        except httpx.HTTPError as exc:
            raise self._unavailable(str(exc) or type(exc).__name__) from exc
        if response.status_code >= 500 or response.status_code in (401, 403):
            raise self._unavailable(f"{response.status_code} from {path}")
        return response

    async def _bearer(self, client: httpx.AsyncClient) -> str:
        async with self._lock:
            if self._token is None or time.monotonic() > self._token[1]:
                response = await client.post(
                    self.settings.token_url,
                    data={
                        "grant_type": "client_credentials",
                        "client_id": service_client_id(self.caller),
                        "client_secret": service_client_secret(self.settings, self.caller),
                    },
                )
                if response.status_code != 200:
                    raise self._unavailable(f"no service token: {response.status_code}")
                body = response.json()
                expires = time.monotonic() + float(body.get("expires_in", 300)) - RENEW_BEFORE_SECONDS
                self._token = (str(body["access_token"]), expires)
            return self._token[0]

    def _unavailable(self, reason: str) -> errors.ServiceUnavailable:
        log.warning("peer.unavailable", peer=self.name, reason=reason)
        return errors.ServiceUnavailable(
            Text(
                f"The {self.name} service cannot be reached to check this; nothing was written. Try again.",
                f"ติดต่อบริการ {self.name} เพื่อตรวจสอบไม่ได้ จึงยังไม่ได้บันทึกรายการ กรุณาลองใหม่",
            ),
            headers={"Retry-After": "5"},
        )
