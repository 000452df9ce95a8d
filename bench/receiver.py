"""A webhook receiver for benchmarks, in its own process (`python -m bench.receiver PORT`): answers 204 at
once, counts requests per path and keeps each webhook-id's first arrival time (GET /_stats?path=…)."""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from typing import Any
from urllib.parse import parse_qs

import orjson
import uvicorn

counts: dict[str, int] = defaultdict(int)
arrivals: dict[str, dict[str, float]] = defaultdict(dict)


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    arrived = time.time()
    while (await receive()).get("more_body"):
        pass
    path = scope["path"]
    if path == "/_stats":
        wanted = parse_qs(scope["query_string"].decode()).get("path", [""])[0]
        body = orjson.dumps({"count": counts[wanted], "arrivals": arrivals[wanted]})
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})
        return
    counts[path] += 1
    webhook_id = dict(scope["headers"]).get(b"webhook-id", b"").decode()
    arrivals[path].setdefault(webhook_id, arrived)
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


if __name__ == "__main__":
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_level="warning",
        access_log=False,
        http="httptools",
        loop="uvloop",
        lifespan="off",
    )
