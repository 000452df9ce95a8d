"""The ledger is public by design: it never holds a private person's name, and shows their kind instead."""

from __future__ import annotations

INDIVIDUAL = "individual"


def public_name(kind: str, name: str | None) -> str | None:
    """A payee's or contributor's name as the public sees it: a private person is "individual"."""
    return INDIVIDUAL if kind == INDIVIDUAL else name
