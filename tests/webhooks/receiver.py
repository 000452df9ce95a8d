"""A real webhook receiver on a local port, in a thread of the test process.

Every request is kept raw (path, headers, body, arrival order). Each path answers from its script: a list
of answers used one per request (the last one repeats), default 204. An answer is a status code, or
`Answer(status, headers, delay, body)`.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
import uvicorn
from standardwebhooks.webhooks import Webhook

from services.common.events import EventEnvelope


@dataclass(frozen=True)
class Answer:
    status: int = 204
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    body: bytes | None = None  # default: {"received": true} (nothing for 204 and 304)


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    order: int

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def event(self) -> EventEnvelope:
        return EventEnvelope.model_validate_json(self.body)

    def verify(self, secret: str) -> Any:
        """Verify with the official standardwebhooks package (raises WebhookVerificationError)."""
        return Webhook(secret).verify(self.body, self.headers)


class Receiver:
    def __init__(self) -> None:
        self.log: list[Received] = []
        self.scripts: dict[str, list[Answer]] = {}
        self._lock = threading.Lock()
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def script(self, path: str, answers: Sequence[int | Answer]) -> None:
        self.scripts["/" + path.lstrip("/")] = [a if isinstance(a, Answer) else Answer(a) for a in answers]

    def received(self, path: str) -> list[Received]:
        with self._lock:
            return [r for r in self.log if r.path == "/" + path.lstrip("/")]

    async def wait_for(self, path: str, count: int, timeout: float = 30.0) -> list[Received]:
        """Poll until `path` got at least `count` requests (then a moment more, to catch repeats)."""
        deadline = time.monotonic() + timeout
        while len(self.received(path)) < count:
            if time.monotonic() > deadline:
                got = [(r.event.type, r.event.aggregate_id) for r in self.received(path)]
                raise AssertionError(f"{path}: {len(got)} of {count} requests after {timeout} s: {got}")
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
        return self.received(path)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        path = scope["path"]
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        with self._lock:
            self.log.append(Received(path, headers, body, len(self.log)))
            script = self.scripts.get(path, [])
            answer = (script.pop(0) if len(script) > 1 else script[0]) if script else Answer()
        if answer.delay:
            await asyncio.sleep(answer.delay)
        reply = answer.body
        if reply is None:
            reply = b"" if answer.status in (204, 304) else orjson.dumps({"received": True})
        raw_headers = [(b"content-type", b"application/json")]
        raw_headers += [(k.encode(), v.encode()) for k, v in answer.headers.items()]
        await send({"type": "http.response.start", "status": answer.status, "headers": raw_headers})
        await send({"type": "http.response.body", "body": reply})

    def start(self) -> None:
        config = uvicorn.Config(self, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="webhook-receiver", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not (self._server.started and self._server.servers):
            if time.monotonic() > deadline:
                raise RuntimeError("the test receiver did not start")
            time.sleep(0.02)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
