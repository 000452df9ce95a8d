"""`make schemathesis`: property-based tests of the merged OpenAPI document against a fresh stack.

Starts a stack of its own on a temporary data folder, signs in as demo-national and runs schemathesis with
every check over every operation but those that change shared reference data (a province's CODI region), with
bounded examples. Exits with schemathesis's status. Not yet part of `.ci/run`: the run is not clean yet (the
closing note of issue 15's first part lists what it still finds).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from tests.conftest import DEMO_PASSWORD
from tests.stackrunner import start_stack

EXAMPLES = int(os.environ.get("KHABUAN_FUZZ_EXAMPLES", "10"))
SECONDS = int(os.environ.get("KHABUAN_FUZZ_SECONDS", "300"))
SHARED_REFERENCE_DATA = r"^/v1/geo/provinces/"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="khabuan-fuzz-") as folder:
        stack = start_stack(Path(folder) / "data")
        try:
            token = httpx.post(
                stack.gateway_url + "/v1/auth/token",
                data={"grant_type": "password", "username": "demo-national", "password": DEMO_PASSWORD},
                timeout=30,
            ).json()["access_token"]
            argv = [
                str(Path(sys.executable).parent / "st"),
                *("run", stack.gateway_url + "/openapi.json", "--url", stack.gateway_url),
                *("-H", f"Authorization: Bearer {token}", "--checks", "all"),
                *("--max-examples", str(EXAMPLES), "--max-time", str(SECONDS), "--workers", "2"),
                *("--exclude-path-regex", SHARED_REFERENCE_DATA, "--continue-on-failure", "--seed", "1"),
            ]
            return subprocess.run(argv, check=False).returncode
        finally:
            stack.stop()


if __name__ == "__main__":
    sys.exit(main())
