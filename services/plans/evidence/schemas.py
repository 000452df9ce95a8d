from __future__ import annotations

import uuid

from pydantic import Field, computed_field
from sqlmodel import SQLModel

from services.plans.evidence.models import EvidenceFileBase

ACCEPTED = {
    "image/jpeg": "a JPEG photo",
    "image/png": "a PNG image",
    "image/webp": "a WebP image",
    "image/heic": "a HEIC photo (phones)",
    "application/pdf": "a PDF document (minutes, receipts)",
}


class EvidenceFilePublic(EvidenceFileBase):
    id: uuid.UUID

    @computed_field(description="Where its bytes are downloaded (the area's staff)")  # type: ignore[prop-decorator]
    @property
    def content_url(self) -> str:
        return f"/v1/evidence/{self.id}/content"


class EvidenceFiles(SQLModel):
    items: list[EvidenceFilePublic] = Field(description="An update's files, in the order they were given")
