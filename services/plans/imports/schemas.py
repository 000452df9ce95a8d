from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field, computed_field
from sqlmodel import SQLModel

from services.plans.imports.models import FileFormat, ImportKind, ImportStatus


class RowError(SQLModel):
    row: int = Field(description="The spreadsheet's row number (the header is row 1)")
    column: str | None = Field(description="The column's name, or null for the whole row or file")
    message_en: str
    message_th: str


class ImportPublic(SQLModel):
    id: uuid.UUID
    indicator_id: uuid.UUID
    kind: ImportKind
    file_format: FileFormat
    file_name: str
    file_bytes: int
    file_sha256: str
    dry_run: bool
    status: ImportStatus
    rows_total: int | None = Field(description="Data rows in the file, once it was read")
    rows_done: int = Field(description="Rows checked so far")
    rows_written: int = Field(description="Figures added or changed (0 for a dry run or a failure)")
    errors: list[RowError] = Field(description="What was wrong, row by row (the first 1,000)")
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None

    @computed_field(description="How far the job is, 0–100")
    def percent_done(self) -> int:
        if self.status in (ImportStatus.completed, ImportStatus.failed):
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
