"""Signing secrets: `whsec_` + base64 of 32 random bytes, shown once, stored sealed, signing per Standard
Webhooks (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`).

Secrets are sealed with AES-GCM under a key derived from KHABUAN_SECRET_KEY, so a database dump or backup
alone does not let anyone forge messages. Changing KHABUAN_SECRET_KEY therefore makes stored secrets
unreadable: rotate every endpoint's secret after changing it.
"""

from __future__ import annotations

import base64
import os
from datetime import datetime
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from standardwebhooks.webhooks import Webhook

PREFIX = "whsec_"
SECRET_BYTES = 32
_NONCE_BYTES = 12
_SEAL_VERSION = "v1:"


def new_secret() -> str:
    return PREFIX + base64.b64encode(os.urandom(SECRET_BYTES)).decode()


@lru_cache(maxsize=4)
def _sealing_key(secret_key: str) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"khabuan webhook secrets").derive(
        secret_key.encode()
    )
    return AESGCM(derived)


def seal(secret: str, secret_key: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _sealing_key(secret_key).encrypt(nonce, secret.encode(), None)
    return _SEAL_VERSION + base64.b64encode(nonce + sealed).decode()


def unseal(sealed: str, secret_key: str) -> str:
    if not sealed.startswith(_SEAL_VERSION):
        raise ValueError("unknown sealing version")
    raw = base64.b64decode(sealed[len(_SEAL_VERSION) :])
    return _sealing_key(secret_key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None).decode()


@lru_cache(maxsize=4096)
def signer(sealed: str, secret_key: str) -> Webhook:
    """The signer of a sealed secret, unsealed once per process (a sealed value names one secret: its
    nonce is random), so an attempt costs an HMAC, not a decryption."""
    return Webhook(unseal(sealed, secret_key))


def signature_header(message_id: str, timestamp: datetime, body: bytes, signers: list[Webhook]) -> str:
    """The `webhook-signature` value: one `v1,…` per secret, space-separated (two during a rotation)."""
    data = body.decode()
    return " ".join(one.sign(message_id, timestamp, data) for one in signers)
