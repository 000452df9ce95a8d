"""Issuing access tokens (JWT, ES256) and opaque refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta
from typing import Any

import jwt

from gateway.auth.keys import SigningKey
from services.common.auth import ALGORITHM
from services.common.clock import utcnow
from services.common.settings import Settings


def issue_access_token(
    key: SigningKey,
    settings: Settings,
    *,
    subject: str,
    kind: str,
    grants: list[dict[str, Any]],
    username: str | None = None,
    session_id: str | None = None,
) -> str:
    now = utcnow()
    claims: dict[str, Any] = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": subject,
        "kind": kind,
        "grants": [{"role": g["role"], "area": g["area"]} for g in grants],
        # to the millisecond (a NumericDate may be fractional, RFC 7519 §2): a token issued just after a
        # deactivation is told from one issued just before it (services/common/deactivations.py)
        "iat": round(now.timestamp(), 3),
        "exp": int((now + timedelta(seconds=settings.access_token_ttl_seconds)).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    if username:
        claims["preferred_username"] = username
    if session_id:  # the sign-in it belongs to (its refresh tokens' family), as OpenID Connect's `sid`
        claims["sid"] = session_id
    return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid})


def new_refresh_token() -> tuple[str, str]:
    """A fresh opaque refresh token and the hash we store instead of it."""
    token = secrets.token_urlsafe(32)
    return token, refresh_token_hash(token)


def refresh_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
