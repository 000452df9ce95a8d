"""`python -m khabuan.openapi_snapshot` (make openapi): rewrite openapi/khabuan.json from a fresh stack.

The committed snapshot lets clients be generated offline; tests/gateway/test_openapi.py fails when the
live merged document drifts from it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

from tests.stackrunner import drop_external_databases, start_stack

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "openapi" / "khabuan.json"


def render(document: dict[str, Any]) -> str:
    """The snapshot's text: sorted keys and two-space indents so diffs are small and reviewable."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def fetch_merged_document() -> dict[str, Any]:
    """Start a whole stack in a temporary folder, take its gateway's /openapi.json, stop it."""
    folder = Path(tempfile.mkdtemp(prefix="khabuan-openapi-"))
    try:
        stack = start_stack(folder / "data")
        try:
            response = httpx.get(stack.gateway_url + "/openapi.json", timeout=30)
        finally:
            stack.stop()
    finally:
        drop_external_databases()
        shutil.rmtree(folder, ignore_errors=True)
    response.raise_for_status()
    sources = response.headers.get("khabuan-spec-sources", "")
    if any(not part.strip().endswith("=live") for part in sources.split(",")):
        raise RuntimeError(f"not every service answered with its own spec: {sources}")
    document: dict[str, Any] = response.json()
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m khabuan.openapi_snapshot", description=__doc__)
    parser.add_argument("--output", type=Path, default=SNAPSHOT, help="where to write (openapi/khabuan.json)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the snapshot is out of date")
    args = parser.parse_args(argv)
    text = render(fetch_merged_document())
    output: Path = args.output
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            print(f"{output} is out of date: run `make openapi` and commit it", file=sys.stderr)
            return 1
        print(f"{output} is up to date")
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
