from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Date, DateTime, Index
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from services.common.models import Identified, Timestamped, Versioned

SCHEMA = "gateway"


class User(Identified, Timestamped, Versioned, table=True):
    """A person who logs in with a password; grants say what role they hold over which area. A new account
    has no password until its one-time code (an invite, or a reset) is used to set one."""

    __tablename__ = "users"
    __table_args__ = (
        Index(
            "ix_users_grants", "grants", postgresql_using="gin", postgresql_ops={"grants": "jsonb_path_ops"}
        ),
        {"schema": SCHEMA},
    )

    username: str = Field(max_length=64, unique=True, index=True)
    display_name: str = Field(max_length=200)
    password_hash: str | None = Field(default=None, max_length=255)
    grants: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    is_demo: bool = False
    disabled: bool = False
    code_hash: str | None = Field(default=None, max_length=64, description="SHA-256 of the one-time code")
    code_expires_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    password_changed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    national_id_hash: str | None = Field(
        default=None, max_length=64, index=True, description="Their national ID, as its keyed hash"
    )
    national_id_last4: str | None = Field(default=None, max_length=4)
    birth_date: date | None = Field(default=None, sa_type=Date)


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


class Client(Identified, Timestamped, Versioned, table=True):
    """A system that authenticates with client credentials: a partner (grants limited to areas) or one of
    our own services calling another. After a rotation the previous secret works until its overlap ends."""

    __tablename__ = "clients"
    __table_args__ = {"schema": SCHEMA}

    client_id: str = Field(max_length=64, unique=True, index=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=16, description="partner | service")
    secret_hash: str = Field(max_length=255)
    grants: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    is_demo: bool = False
    disabled: bool = False
    previous_secret_hash: str | None = Field(default=None, max_length=255)
    previous_secret_expires_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    last_used_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    created_by: str | None = Field(default=None, max_length=64)


class LoginFailures(SQLModel, table=True):
    """Wrong passwords counted per account or address in the current window, where they are counted when
    Redis cannot be reached (Redis holds them otherwise)."""

    __tablename__ = "login_failures"
    __table_args__ = {"schema": SCHEMA}

    key: str = Field(primary_key=True, max_length=200, description="account:<username> or address:<ip>")
    window_started_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    failures: int = 0
