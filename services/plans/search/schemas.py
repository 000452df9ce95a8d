from __future__ import annotations

import uuid
from enum import StrEnum

from pydantic import BaseModel, Field


class Found(StrEnum):
    strategy = "strategy"
    project = "project"
    activity = "activity"


class SearchHit(BaseModel):
    type: Found
    id: uuid.UUID
    title_th: str
    area_code: str = Field(description="The province (or, for an activity, the tambon) it belongs to")
    project_id: uuid.UUID | None = Field(description="An activity's project")
    score: float = Field(description="Trigram similarity of the title to the query (0–1; best first)")


class SearchResults(BaseModel):
    items: list[SearchHit]
