"""The event types this process may record: each service's app and worker register the service's own
(gathered from its sub-domains' `events.py`), and `record_event` validates a payload against them.

Versioning: adding an optional field is not breaking and keeps the version. Removing or renaming a field,
changing its type or meaning is breaking: the type gets a new `schema_version` beside the old one, and both
are published for the announced deprecation period before the old one is retired.
Payloads carry public fields only: no personal data (no national IDs, no names of private persons, no user
ids such as `created_by`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler
from pydantic_core import core_schema


class EventData(BaseModel):
    """Base of every payload: built from a row's attributes, unknown attributes left out."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")


class _InlineValues:
    """`Annotated[SomeStrEnum, INLINE]`: a payload's schema lists the enum's values itself, not a `$ref`
    to a component of the service that owns the enum (a published payload schema stands alone)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        if not (isinstance(source, type) and issubclass(source, StrEnum)):
            raise TypeError(f"INLINE annotates a StrEnum, not {source!r}")
        values = core_schema.literal_schema([member.value for member in source])
        return core_schema.no_info_after_validator_function(source, values)


INLINE = _InlineValues()


@dataclass(frozen=True)
class EventType:
    name: str
    aggregate_type: str
    schema_version: int
    data: type[EventData]
    summary: str
    summary_th: str


class UnknownEventType(LookupError):
    """A service tried to record an event type nobody registered in this process."""


_registered: dict[tuple[str, int], EventType] = {}
_newest: dict[str, EventType] = {}  # by name: the version services record


def register(*event_types: EventType) -> tuple[EventType, ...]:
    """Let this process record these types (idempotent; a second, different type of one name and version
    is a mistake)."""
    for event_type in event_types:
        key = (event_type.name, event_type.schema_version)
        known = _registered.setdefault(key, event_type)
        if known != event_type:
            raise ValueError(
                f"{event_type.name} v{event_type.schema_version} is registered twice, differently"
            )
        newest = _newest.get(event_type.name)
        if newest is None or newest.schema_version < event_type.schema_version:
            _newest[event_type.name] = event_type
    return event_types


def lookup(name: str, schema_version: int) -> EventType:
    found = _registered.get((name, schema_version))
    if found is None:
        raise UnknownEventType(f"{name!r} v{schema_version} is not registered: register() it at import")
    return found


def current(name: str) -> EventType:
    """The newest schema version of a type: the one services record."""
    newest = _newest.get(name)
    if newest is None:
        raise UnknownEventType(f"{name!r} is not registered: its service's events.py registers it at import")
    return newest


def registered() -> list[EventType]:
    """Every registered type and version, sorted by name then version."""
    return sorted(_registered.values(), key=lambda t: (t.name, t.schema_version))
