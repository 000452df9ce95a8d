"""The supervisor's health probes: one plain HTTP/1.1 GET per connection to a process on this machine.

A full HTTP client (httpx) costs the supervisor an import and a TLS context per client on every start, for
requests that never leave loopback and never use TLS.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


async def get(url: str, timeout: float = 2.0) -> Answer | None:
    """GET `url` (http://host:port/path); None when nothing answers in time."""
    parts = urlsplit(url)
    try:
        return await asyncio.wait_for(
            _get(parts.hostname or "127.0.0.1", parts.port or 80, parts.path), timeout
        )
    except (OSError, TimeoutError, ValueError, asyncio.IncompleteReadError):
        return None


async def _get(host: str, port: int, path: str) -> Answer:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        request = f"GET {path or '/'} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n"
        writer.write(request.encode("ascii"))
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        return Answer(status, await reader.read())  # `Connection: close`: the body ends with the connection
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
