from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")
    refresh_token: str | None = None


class GrantPublic(BaseModel):
    role: str
    area: str


class MePublic(BaseModel):
    id: uuid.UUID
    kind: Literal["user", "client", "service"]
    username: str
    display_name: str
    grants: list[GrantPublic]


class Jwk(BaseModel):
    kty: str
    crv: str
    x: str
    y: str
    kid: str
    use: str
    alg: str


class JwkSet(BaseModel):
    keys: list[Jwk]
