"""A process the zygote forks is what `python -m <module>` would have started: its own environment and
settings, session, log, command line and signal handlers, reseeded, adopted by the supervisor and dying with
it; and the zygote holds nothing a forked process must not inherit."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from typing import Any

from tests.stackrunner import ROOT


def _run(*argv: str, env: dict[str, str] | None = None) -> Any:
    result = subprocess.run(
        [sys.executable, "-m", *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_a_forked_process_is_what_python_m_would_have_started() -> None:
    # the zygote runs with a setting of its own that no forked process may see
    forked = _run("tests.stack.zygote_probe", env={**os.environ, "KHABUAN_DATA_DIR": "/zygote/own"})
    fresh = _run("tests.stack.zygote_probe", "--fresh", env={"PATH": os.environ["PATH"]})

    assert forked["exit_codes"] == [0, 0]
    first, second = forked["reports"]
    for probe in (first, second):
        assert probe["parent"] == forked["supervisor"]
        assert probe["death_signal"] == signal.SIGTERM
        assert probe["own_session"]
        assert set(probe["environment"]) <= {"PATH", "KHABUAN_DATA_DIR", "KHABUAN_ENV"}
        assert probe["data_dir"].endswith("/data")
        assert probe["handlers"] == fresh["handlers"]
        assert probe["blocked"] == []
        assert probe["gc_enabled"]
        assert probe["threads"] == 1
        assert probe["stdin"] == "/dev/null"
        assert probe["stdout"].endswith("/probe.log")
        assert probe["command"] == ["python", "-m", "tests.stack.zygote_probe", "report"]
        assert probe["argv"] == ["report"]
    assert first["pid"] != second["pid"]
    assert first["random"] != second["random"]


def test_the_zygote_preloads_without_reading_settings_starting_threads_or_opening_files() -> None:
    script = (
        "import threading\n"
        "from khabuan import zygote\n"
        "started_with = zygote.preload()\n"
        "zygote.check_fork_safety(started_with)\n"
        "from services.common.settings import get_settings\n"
        "print(threading.active_count(), get_settings.cache_info().currsize)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["1", "0"]
