"""The audit chain's hashes: each entry's hash covers the previous one's and the entry's fields; `actor`
and `details` enter through their digest, fixed when the entry is written. The digest covers the actor and
each detail's own digest (salted by the entry's id and the key), so an erasure that replaces a name by its
pseudonym leaves that one field unchecked, never the amounts, statuses or the actor beside it."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from datetime import UTC
from typing import Any

import orjson

from services.common.privacy import PSEUDONYM_PREFIX

GENESIS = "0" * 64
# the details that may name a person (a login's account name): an erasure replaces these, and only these
PERSONAL_DETAILS = frozenset({"username"})


def _canonical(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def personal_digest(actor: str | None, details: Mapping[str, Any]) -> str:
    """The digest of entries written before field digests (gateway_0008): actor and details as a whole."""
    return hashlib.sha256(_canonical({"actor": actor, "details": details})).hexdigest()


def field_digests(entry_id: uuid.UUID, details: Mapping[str, Any]) -> dict[str, str]:
    return {
        key: hashlib.sha256(f"{entry_id}:{key}:".encode() + _canonical(value)).hexdigest()
        for key, value in details.items()
    }


def sealed_digest(actor: str | None, digests: Mapping[str, str]) -> str:
    return hashlib.sha256(_canonical({"actor": actor, "fields": dict(digests)})).hexdigest()


def digest_as_stored(
    entry_id: uuid.UUID,
    actor: str | None,
    details: Mapping[str, Any],
    digests: Mapping[str, str],
    *,
    erased: bool,
) -> str | None:
    """The digest the row's actor and details give now, or None when a detail was changed: a detail may
    differ from its digest only in an erased row, only where it may name a person, and only by being a
    pseudonym."""
    now = field_digests(entry_id, details)
    if now.keys() != digests.keys():
        return None
    for key, digest in now.items():
        value = details[key]
        pseudonym = key in PERSONAL_DETAILS and isinstance(value, str) and value.startswith(PSEUDONYM_PREFIX)
        if digest != digests[key] and not (erased and pseudonym):
            return None
    return sealed_digest(actor, digests)


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
