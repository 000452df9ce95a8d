"""What a subscription may name, as the merged OpenAPI document lists it: every event type, every prefix of
one (`fund.*`) and `*`. A field of the gateway's schemas marked `EVENT_TYPE_CHOICE` gets that list as its
`enum` when the document is merged (gateway/openapi/merge.py), so the spec names the same set
`filters.validate_patterns` accepts. No gateway imports: the merge step uses it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

EVERYTHING = "*"
MAX_PATTERNS = 50  # types, prefixes or * one endpoint may name
EVENT_TYPE_CHOICE = "x-khabuan-event-type-choice"


def choices(event_types: Iterable[str]) -> list[str]:
    """`*`, each type, and each of its dotted prefixes followed by `.*`, sorted."""
    named = {EVERYTHING}
    for event_type in event_types:
        named.add(event_type)
        parts = event_type.split(".")
        named.update(".".join(parts[:end]) + ".*" for end in range(1, len(parts)))
    return sorted(named)


def list_choices(value: Any, event_types: list[str]) -> None:
    """Replace each `EVENT_TYPE_CHOICE` marker under `value` (a schema, in place) with the choices' enum."""
    if isinstance(value, dict):
        if value.pop(EVENT_TYPE_CHOICE, False):
            value["enum"] = choices(event_types)
        for item in value.values():
            list_choices(item, event_types)
    elif isinstance(value, list):
        for item in value:
            list_choices(item, event_types)
