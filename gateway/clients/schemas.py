from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.common.types import AreaCode, Label


class PartnerGrant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["partner"] = "partner"
    area: AreaCode


class ClientCreate(BaseModel):
    """A partner system that reads Khabuan inside its areas (client credentials)."""

    model_config = ConfigDict(extra="forbid")

    name: Label  # as stored: at most 200 characters
    grants: list[PartnerGrant] = Field(min_length=1, max_length=20)


class ClientPublic(BaseModel):
    id: uuid.UUID
    client_id: str
    name: str
    kind: str
    grants: list[PartnerGrant]
    active: bool
    last_used_at: datetime | None = Field(description="When it last got a token")
    previous_secret_expires_at: datetime | None = Field(
        description="Until when the secret before the last rotation still works"
    )
    version: int
    created_at: datetime
    updated_at: datetime


class ClientWithSecret(ClientPublic):
    client_secret: str = Field(description="Shown this once: keep it; only its hash is stored")
