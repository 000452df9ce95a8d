"""Signing secrets: `whsec_` + base64 of 32 random bytes, shown once, stored sealed, signing per Standard
Webhooks (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`).

Secrets are sealed (services/common/sealing.py) under a key derived from KHABUAN_SECRET_KEY, so a database
dump or backup alone does not let anyone forge messages. Changing KHABUAN_SECRET_KEY therefore makes stored
secrets unreadable: rotate every endpoint's secret after changing it.
"""

from __future__ import annotations

import base64
import os
from datetime import datetime
from functools import lru_cache

from standardwebhooks.webhooks import Webhook

from services.common import sealing

PREFIX = "whsec_"
SECRET_BYTES = 32
_SEAL_VERSION = "v1:"
_PURPOSE = b"khabuan webhook secrets"


def new_secret() -> str:
    return PREFIX + base64.b64encode(os.urandom(SECRET_BYTES)).decode()


def seal(secret: str, secret_key: str) -> str:
    return _SEAL_VERSION + base64.b64encode(sealing.seal(secret.encode(), secret_key, _PURPOSE)).decode()


def unseal(sealed: str, secret_key: str) -> str:
    if not sealed.startswith(_SEAL_VERSION):
        raise ValueError("unknown sealing version")
    return sealing.unseal(base64.b64decode(sealed[len(_SEAL_VERSION) :]), secret_key, _PURPOSE).decode()


@lru_cache(maxsize=4096)
def signer(sealed: str, secret_key: str) -> Webhook:
    """The signer of a sealed secret, unsealed once per process (a sealed value names one secret: its
    nonce is random), so an attempt costs an HMAC, not a decryption."""
    return Webhook(unseal(sealed, secret_key))


def signature_header(message_id: str, timestamp: datetime, body: bytes, signers: list[Webhook]) -> str:
    """The `webhook-signature` value: one `v1,…` per secret, space-separated (two during a rotation)."""
    data = body.decode()
    return " ".join(one.sign(message_id, timestamp, data) for one in signers)
