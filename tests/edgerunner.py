"""Run a second edge (the real Caddy on the generated Caddyfile) in front of upstreams a test chooses."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from gateway.edge import caddyfile
from khabuan.embedded import free_port
from khabuan.processes import edge_argv
from services.common.settings import Settings


@contextmanager
def running_edge(
    upstreams: Mapping[caddyfile.Owner, Sequence[str]], folder: Path, settings: Settings | None = None
) -> Iterator[str]:
    """The edge's public URL while it runs; `upstreams` names each owner's `host:port` replicas."""
    port = free_port()
    env = {
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_CONFIG_HOME": str(folder / "config"),
        **caddyfile.environment(
            settings or Settings(),
            host="127.0.0.1",
            port=port,
            metrics_host="127.0.0.1",
            metrics_port=free_port(),
            upstreams=upstreams,
        ),
    }
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "edge.log").open("wb") as log:
        process = subprocess.Popen(edge_argv(), env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{url}/metrics", timeout=1)  # answered by the edge itself
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((folder / "edge.log").read_text()[-3000:]) from None
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(10)
