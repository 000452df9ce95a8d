"""The baseline web app: bare FastAPI hello-world, served as services/common/cli.py serves a service."""

from __future__ import annotations

import argparse

from fastapi import FastAPI


def create_app() -> FastAPI:
    app = FastAPI(title="hello")

    @app.get("/")
    async def hello() -> dict[str, str]:
        return {"message": "hello"}

    return app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hello_app")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    import uvicorn

    # the same flags as `python -m services.<name> serve` (services/common/cli.py): keep them in step
    uvicorn.run(
        "bench.hello_app:create_app",
        factory=True,
        host="127.0.0.1",
        port=args.port,
        workers=1,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="info",
        proxy_headers=True,
        server_header=False,
        timeout_graceful_shutdown=10,
    )


if __name__ == "__main__":
    main()
