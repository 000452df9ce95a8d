"""An import's event: a file finished importing (or, for a dry run, checking) with nothing wrong."""

from __future__ import annotations

import uuid
from datetime import datetime

from services.common.events.registry import EventData, EventType
from services.plans.imports.models import ImportKind


class ImportData(EventData):
    id: uuid.UUID
    indicator_id: uuid.UUID
    kind: ImportKind
    dry_run: bool
    rows_total: int | None
    rows_written: int
    finished_at: datetime | None


IMPORT_COMPLETED = EventType(
    "import.completed", "import", 1, ImportData, "A file was imported whole", "นำเข้าข้อมูลจากไฟล์ครบแล้ว"
)
EVENT_TYPES = (IMPORT_COMPLETED,)
