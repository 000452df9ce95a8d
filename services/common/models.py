"""Column families shared by every service's tables (each table still lives in its own schema)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Protocol, TypeAlias

from sqlalchemy import DateTime
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from services.common.clock import utcnow


class Identified(SQLModel):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)


class Timestamped(SQLModel):
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False)


# the version an edit expects, or the versions an `If-Match` listing several accepts (any may be current);
# None for `*`: whatever is current
ExpectedVersions: TypeAlias = int | frozenset[int] | None


class Versioned(SQLModel):
    """A version that each edit increments: the resource's ETag and the If-Match guard."""

    version: int = Field(default=1, nullable=False)


class Tracked(Protocol):
    """A row that is versioned and knows the time of its last change."""

    version: int
    updated_at: datetime


def touch(row: Tracked) -> None:
    """Mark a row changed: its version (the ETag) moves on and `updated_at` is now (a sync sees it)."""
    row.version += 1
    row.updated_at = utcnow()


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
