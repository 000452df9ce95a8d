"""Column families shared by every service's tables (each table still lives in its own schema)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime
from sqlalchemy import Enum as SAEnum
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


def choice(enum: type[StrEnum], length: int = 16) -> SAEnum:
    """A column of one of `enum`'s values: VARCHAR(length) in the database (no type, no constraint to
    migrate when a value is added), read back as the enum's member, so `row.status is Status.open` holds."""
    return SAEnum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )
