"""argon2id password hashing, off the event loop."""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
SHA256_PREFIX = "sha256$"


@cache
def _dummy_hash() -> str:
    """Verified when the username is unknown, so a wrong username costs as long as a wrong password."""
    return _hasher.hash("khabuan-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    def check() -> bool:
        try:
            return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    return await anyio.to_thread.run_sync(check)


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def hash_generated_secret(secret: str) -> str:
    """For secrets we generate with 256 bits of entropy (service clients), a plain SHA-256 is as safe as a
    slow hash: nobody can guess them, so there is nothing for key stretching to slow down."""
    return SHA256_PREFIX + hashlib.sha256(secret.encode()).hexdigest()


async def verify_secret(stored: str | None, secret: str) -> bool:
    """Check a client secret against either kind of stored hash."""
    if stored is not None and stored.startswith(SHA256_PREFIX):
        return hmac.compare_digest(stored, hash_generated_secret(secret))
    return await verify_password(stored, secret)
