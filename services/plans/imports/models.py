from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, LargeBinary
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from services.common.models import choice
from services.common.resources import Stored, paging_indexes
from services.plans.db import SCHEMA


class ImportKind(StrEnum):
    indicator_values = "indicator_values"  # a tambon's figure per period and dimension
    indicator_targets = "indicator_targets"  # an area's target per period and dimension
    tpmap_households = "tpmap_households"  # TPMAP's target households per tambon, dimension and fiscal year


class ImportStatus(StrEnum):
    queued = "queued"
    running = "running"
    completed = "completed"  # every row imported (a dry run: every row checked, none wrong, none written)
    failed = "failed"  # a row (or the file) was wrong: nothing of it was imported; `errors` says where


class FileFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


class ImportJob(Stored, table=True):
    """One uploaded file of one kind for one indicator, imported whole or not at all by the plans worker."""

    __tablename__ = "imports"
    __table_args__ = (*paging_indexes("imports"), {"schema": SCHEMA})

    indicator_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.indicators.id", index=True)
    area_code: str = Field(max_length=12, description="The indicator's area (who may see the job)")
    kind: ImportKind = Field(sa_type=choice(ImportKind, 32))
    file_format: FileFormat = Field(sa_type=choice(FileFormat))
    file_name: str = Field(max_length=300)
    file_bytes: int
    file_sha256: str = Field(max_length=64)
    dry_run: bool = False
    status: ImportStatus = Field(default=ImportStatus.queued, sa_type=choice(ImportStatus))
    rows_total: int | None = None
    rows_done: int = 0
    rows_written: int = 0
    errors: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONB, nullable=False)
    finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class ImportFile(SQLModel, table=True):
    """The uploaded file itself, apart from its job (which is read often, the file once)."""

    __tablename__ = "import_files"
    __table_args__ = ({"schema": SCHEMA},)

    import_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.imports.id", primary_key=True)
    content: bytes = Field(sa_type=LargeBinary)
