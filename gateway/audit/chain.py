"""The audit chain's hashes: each entry's hash covers the previous one's and the entry's fields; `actor`
and `details` enter through their digest, fixed when the entry is written."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC
from typing import Any

import orjson

GENESIS = "0" * 64


def _canonical(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def personal_digest(actor: str | None, details: Mapping[str, Any]) -> str:
    return hashlib.sha256(_canonical({"actor": actor, "details": details})).hexdigest()


def entry_hash(prev_hash: str, fields: Mapping[str, Any], digest: str) -> str:
    """SHA-256 of the previous hash, the entry's own fields and the digest of its personal ones."""
    body = {
        "seq": fields["seq"],
        "id": str(fields["id"]),
        "event_id": str(fields["event_id"]) if fields["event_id"] else None,
        "occurred_at": fields["occurred_at"].astimezone(UTC).isoformat(),
        "action": fields["action"],
        "area_code": fields["area_code"],
        "source": fields["source"],
        "subject_type": fields["subject_type"],
        "subject_id": fields["subject_id"],
        "personal_digest": digest,
    }
    return hashlib.sha256(prev_hash.encode() + _canonical(body)).hexdigest()
