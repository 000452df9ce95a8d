"""The gateway's token signing keys: ES256, generated into the data folder on first run, published as JWKS.

Rotation (`make rotate-keys`, `python -m gateway rotate-signing-key`) keeps the old key beside the new one as
`retired/<kid>.pem`: new tokens are signed with the new key at once, and the old one stays in the JWKS for an
access token's lifetime plus the services' JWKS cache period: every token it signed verifies until it expires.
A running gateway notices a rotation by the files (looked at once a second); nothing needs a restart."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from services.common.clock import utcnow
from services.common.settings import Settings


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: ec.EllipticCurvePrivateKey

    @property
    def public_jwk(self) -> dict[str, Any]:
        return {
            **_public_members(self.private_key.public_key()),
            "kid": self.kid,
            "use": "sig",
            "alg": "ES256",
        }


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _public_members(public_key: ec.EllipticCurvePublicKey) -> dict[str, str]:
    numbers = public_key.public_numbers()
    return {
        "crv": "P-256",
        "kty": "EC",
        "x": _b64url(numbers.x.to_bytes(32, "big")),
        "y": _b64url(numbers.y.to_bytes(32, "big")),
    }


def thumbprint(public_key: ec.EllipticCurvePublicKey) -> str:
    """RFC 7638 JWK thumbprint: the key id."""
    canonical = json.dumps(_public_members(public_key), separators=(",", ":"), sort_keys=True)
    return _b64url(hashlib.sha256(canonical.encode()).digest())


def load_or_create_signing_key(settings: Settings) -> SigningKey:
    path = settings.signing_key_path
    if not path.exists():
        if settings.is_production:
            raise RuntimeError(
                f"no token signing key at {path}: create one with `python -m gateway generate-signing-key` "
                "(or set KHABUAN_SIGNING_KEY_FILE) before starting in production"
            )
        write_new_signing_key(path)
    private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private_key, ec.EllipticCurvePrivateKey):
        raise RuntimeError(f"{path} is not an EC (P-256) private key")
    return SigningKey(kid=thumbprint(private_key.public_key()), private_key=private_key)


def write_new_signing_key(path: Path) -> None:
    """Write a new P-256 key with owner-only permissions; a concurrent writer wins, never both."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)


def _load(path: Path) -> SigningKey:
    private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private_key, ec.EllipticCurvePrivateKey):
        raise RuntimeError(f"{path} is not an EC (P-256) private key")
    return SigningKey(kid=thumbprint(private_key.public_key()), private_key=private_key)


def retired_dir(settings: Settings) -> Path:
    return settings.signing_key_path.parent / "retired"


def rotate_signing_key(settings: Settings) -> tuple[str, str]:
    """Retire the current key (kept as retired/<kid>.pem, its retirement the file's time) and put a new one in
    its place atomically; returns (old kid, new kid)."""
    path = settings.signing_key_path
    old = _load(path)
    retired = retired_dir(settings)
    retired.mkdir(parents=True, exist_ok=True, mode=0o700)
    kept = retired / f"{old.kid}.pem"
    descriptor = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(path.read_bytes())
    fresh = path.with_suffix(".new")
    fresh.unlink(missing_ok=True)
    write_new_signing_key(fresh)
    os.replace(fresh, path)
    return old.kid, _load(path).kid


class KeyRing:
    """The current signing key and the retired ones still published; re-read when the files change."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.overlap = timedelta(seconds=settings.access_token_ttl_seconds + settings.jwks_cache_seconds + 60)
        self._seen: tuple[float, ...] = ()
        self._looked_at = 0.0
        self._current = load_or_create_signing_key(settings)
        self._retired: list[tuple[SigningKey, float]] = []
        self._reload()

    def current(self) -> SigningKey:
        self._look()
        return self._current

    def published(self) -> list[SigningKey]:
        """The current key and each retired key younger than the overlap."""
        self._look()
        oldest = (utcnow() - self.overlap).timestamp()
        kept = [
            key for key, retired_at in self._retired if retired_at >= oldest and key.kid != self._current.kid
        ]
        return [self._current, *kept]

    def public_keys(self) -> dict[str, Any]:
        return {key.kid: key.private_key.public_key() for key in self.published()}

    def _look(self) -> None:
        if time.monotonic() - self._looked_at < 1.0:
            return
        self._looked_at = time.monotonic()
        self._reload()

    def _reload(self) -> None:
        retired = (
            sorted(retired_dir(self.settings).glob("*.pem")) if retired_dir(self.settings).exists() else []
        )
        stamps = tuple(path.stat().st_mtime for path in [self.settings.signing_key_path, *retired])
        if stamps == self._seen:
            return
        self._seen = stamps
        self._current = _load(self.settings.signing_key_path)
        self._retired = [(_load(path), path.stat().st_mtime) for path in retired]
