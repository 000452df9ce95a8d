from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, DateTime
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from services.common.models import Identified, Timestamped

SCHEMA = "gateway"


class User(Identified, Timestamped, table=True):
    """A person who logs in with a password; grants say what role they hold over which area."""

    __tablename__ = "users"
    __table_args__ = {"schema": SCHEMA}

    username: str = Field(max_length=64, unique=True, index=True)
    display_name: str = Field(max_length=200)
    password_hash: str = Field(max_length=255)
    grants: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    is_demo: bool = False
    disabled: bool = False


class RefreshToken(Identified, table=True):
    """One refresh token (stored as a hash); using it rotates it, reusing a spent one revokes its family."""

    __tablename__ = "refresh_tokens"
    __table_args__ = {"schema": SCHEMA}

    token_hash: str = Field(max_length=64, unique=True, index=True)
    family_id: uuid.UUID = Field(index=True)
    user_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.users.id", index=True)
    issued_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    expires_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    used_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    revoked_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class Client(Identified, Timestamped, table=True):
    """A system that authenticates with client credentials: a partner (grants limited to areas) or one of
    our own services calling another."""

    __tablename__ = "clients"
    __table_args__ = {"schema": SCHEMA}

    client_id: str = Field(max_length=64, unique=True, index=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=16, description="partner | service")
    secret_hash: str = Field(max_length=255)
    grants: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    is_demo: bool = False
    disabled: bool = False
