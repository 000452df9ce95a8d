"""Column families shared by every service's tables (each table still lives in its own schema)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from services.common.clock import utcnow


class Identified(SQLModel):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)


class Timestamped(SQLModel):
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False)


class Versioned(SQLModel):
    """A version that each edit increments: the resource's ETag and the If-Match guard."""

    version: int = Field(default=1, nullable=False)
