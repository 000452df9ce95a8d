"""The services' OpenAPI documents as last seen: fetched live, else the last good copy in memory or on disk.

The webhooks catalogue is read from the same merged document, so a service that is down keeps the event
types of its last good copy, and one never seen (no copy anywhere) is named in `sources` as missing.

The merged document is rebuilt at most every `ttl` seconds, not on every request: a page load of /docs
costs no upstream calls, a service that hangs costs one short timeout per window instead of one per
request, and a deploy shows up within `ttl` seconds. Concurrent requests share one refresh.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import httpx
import structlog
from fastapi import FastAPI

from gateway.openapi.merge import Spec, merge_specs, without_webhook_extension
from gateway.routing import ServiceName, owner_of
from services.common.events.published import EVENT_EXTENSION

Freshness = Literal["live", "cached", "missing"]
MISSING_RETRY_SECONDS = 1.0

log = structlog.get_logger()


@dataclass(frozen=True)
class MergedDocument:
    document: Spec  # with each event type's facts (`x-khabuan-event`), read by gateway/webhooks/catalogue.py
    body: bytes  # what /openapi.json serves: the document without those facts
    etag: str
    sources: dict[ServiceName, Freshness]


class SpecStore:
    """Keeps each service's last good spec in memory and under `folder`, so a restart while a
    service is down still documents it."""

    def __init__(
        self,
        folder: Path,
        urls: Mapping[ServiceName, str],
        *,
        ttl: float = 10.0,
        timeout: float = 2.0,
        webhook_notes: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._folder = folder
        self._urls = dict(urls)
        self._ttl = ttl
        self._timeout = timeout
        self._clock = clock
        self._webhook_notes = webhook_notes
        self._last_good: dict[ServiceName, Spec] = {}
        self._merged: MergedDocument | None = None
        self._built_at = 0.0
        self._lock = asyncio.Lock()

    async def merged(self, client: httpx.AsyncClient, gateway: Spec) -> MergedDocument:
        """The merged document, rebuilt when older than the TTL."""
        if self._merged is not None and self._clock() - self._built_at < self._ttl:
            return self._merged
        async with self._lock:
            if self._merged is None or self._clock() - self._built_at >= self._ttl:
                self._merged = await self._rebuild(client, gateway)
                # a service never seen is asked again within a moment, not after a whole TTL
                missing = "missing" in self._merged.sources.values()
                self._built_at = self._clock() - (self._ttl - MISSING_RETRY_SECONDS if missing else 0.0)
            return self._merged

    async def _rebuild(self, client: httpx.AsyncClient, gateway: Spec) -> MergedDocument:
        names = list(self._urls)
        found = await asyncio.gather(*(self._service_spec(client, name) for name in names))
        specs: dict[str, Spec] = {
            name: spec for name, (spec, _) in zip(names, found, strict=True) if spec is not None
        }
        sources = {name: freshness for name, (_, freshness) in zip(names, found, strict=True)}
        document = merge_specs(gateway, specs, owner_of, webhook_notes=self._webhook_notes)
        served = without_webhook_extension(document, EVENT_EXTENSION)
        body = json.dumps(served, ensure_ascii=False, separators=(",", ":")).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        return MergedDocument(document=document, body=body, etag=etag, sources=sources)

    async def _service_spec(
        self, client: httpx.AsyncClient, name: ServiceName
    ) -> tuple[Spec | None, Freshness]:
        try:
            response = await client.get(f"{self._urls[name]}/openapi.json", timeout=self._timeout)
            response.raise_for_status()
            spec = response.json()
            if not isinstance(spec, dict) or not isinstance(spec.get("paths"), dict):
                raise ValueError("not an OpenAPI document")
        except (httpx.HTTPError, ValueError) as exc:
            cached = self._last_good.get(name) or await asyncio.to_thread(self._read, name)
            log.warning(
                "openapi.service_spec_unavailable",
                service=name,
                error_type=type(exc).__name__,
                fallback="cached" if cached else "missing",
            )
            if cached is None:
                return None, "missing"
            self._last_good[name] = cached
            return cached, "cached"
        if self._last_good.get(name) != spec:
            self._last_good[name] = spec
            await asyncio.to_thread(self._write, name, spec)
        return spec, "live"

    def _path(self, name: ServiceName) -> Path:
        return self._folder / f"{name}.json"

    def _read(self, name: ServiceName) -> Spec | None:
        try:
            spec = json.loads(self._path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return spec if isinstance(spec, dict) else None

    def _write(self, name: ServiceName, spec: Spec) -> None:
        # write then rename: a reader (or another gateway replica) never sees half a file
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            temporary = self._folder / f".{name}.{uuid.uuid4().hex}.tmp"
            temporary.write_text(json.dumps(spec, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(temporary, self._path(name))
        except OSError as exc:
            log.warning("openapi.last_good_not_saved", service=name, error_type=type(exc).__name__)


async def merged_document(app: FastAPI) -> MergedDocument:
    """The gateway's merged document (its store is `app.state.openapi_store`, made by create_app)."""
    store: SpecStore = app.state.openapi_store
    return await store.merged(app.state.http, app.openapi())
