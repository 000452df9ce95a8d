"""Sealed values: AES-GCM under a key derived (HKDF-SHA256) from KHABUAN_SECRET_KEY and the value's
purpose, so a database dump or a backup alone reads none of them. A sealed value is its random nonce, then
the ciphertext."""

from __future__ import annotations

import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_NONCE_BYTES = 12


@lru_cache(maxsize=8)
def _key(secret_key: str, purpose: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret_key.encode())
    return AESGCM(derived)


def seal(value: bytes, secret_key: str, purpose: bytes) -> bytes:
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + _key(secret_key, purpose).encrypt(nonce, value, None)


def unseal(sealed: bytes, secret_key: str, purpose: bytes) -> bytes:
    """The value, or `cryptography.exceptions.InvalidTag` when it was sealed under another key or changed."""
    return _key(secret_key, purpose).decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], None)
