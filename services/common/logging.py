"""structlog set up once per process; every line carries the service and the request id.

Every request writes a line, so the pipeline is kept cheap: JSON lines are rendered by orjson straight to
bytes, console lines by a small renderer in ConsoleRenderer's layout (structlog's own costs more per line than
the database read of a GET).
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

import orjson
import structlog
from structlog.typing import EventDict, WrappedLogger

_LEVEL_WIDTH = 9
_EVENT_WIDTH = 30


def configure_logging(service: str, *, level: str = "INFO", json: bool = False) -> None:
    renderer: structlog.types.Processor = _json_line if json else _console_line
    logger_factory: Any = (
        structlog.BytesLoggerFactory(sys.stderr.buffer) if json else structlog.WriteLoggerFactory(sys.stderr)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            _add_level_and_time,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=logger_factory,
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)
    logging.basicConfig(
        level=level.upper(), stream=sys.stderr, format=f"%(levelname)s [{service}] %(message)s"
    )
    # our own access log replaces uvicorn's
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("httpx").setLevel(logging.WARNING)


def _add_level_and_time(_logger: WrappedLogger, method_name: str, event_dict: EventDict) -> EventDict:
    # add_log_level + TimeStamper(fmt="iso", utc=True) in one step
    event_dict["level"] = "warning" if method_name == "warn" else method_name
    event_dict["timestamp"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return event_dict


def _json_line(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> bytes:
    return orjson.dumps(event_dict, default=str)


def _console_line(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> str:
    """`<time> [<level>] <event> key=value …` (keys sorted), then any traceback: ConsoleRenderer's layout."""
    timestamp = event_dict.pop("timestamp", "")
    level = event_dict.pop("level", "")
    event = str(event_dict.pop("event", ""))
    exception = event_dict.pop("exception", None)
    stack = event_dict.pop("stack", None)
    fields = " ".join(f"{key}={_console_value(event_dict[key])}" for key in sorted(event_dict))
    line = f"{timestamp} [{level:<{_LEVEL_WIDTH}}] {event:<{_EVENT_WIDTH}} {fields}".rstrip()
    if stack is not None:
        line += "\n" + str(stack)
    if exception is not None:
        line += "\n" + str(exception)
    return line


def _console_value(value: object) -> str:
    return value if isinstance(value, str) else repr(value)
