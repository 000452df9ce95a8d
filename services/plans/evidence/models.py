from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from services.common.clock import utcnow
from services.common.models import Identified
from services.plans.db import SCHEMA


class EvidenceFileBase(SQLModel):
    update_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.indicator_updates.id")
    indicator_id: uuid.UUID
    area_code: str = Field(max_length=6, description="The update's tambon")
    sha256: str = Field(max_length=64, description="The content's SHA-256 (hex): the key it is stored under")
    size_bytes: int = Field(sa_type=BigInteger)
    media_type: str = Field(max_length=100, description="Told from the content, not from the file's name")
    filename: str = Field(max_length=255, description="The name it was uploaded with")
    title: str | None = Field(default=None, max_length=300)
    uploaded_by: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False)


class EvidenceFile(EvidenceFileBase, Identified, table=True):
    """A file given as evidence for an update (a photo, minutes, a receipt): the bytes are in the file store
    under their SHA-256; this row says whose update they back and what they are. The same content on the
    same update is one file."""

    __tablename__ = "evidence_files"
    __table_args__ = (
        UniqueConstraint("update_id", "sha256", name="uq_evidence_files_update_content"),
        Index("ix_evidence_files_update", "update_id", "created_at"),
        {"schema": SCHEMA},
    )
