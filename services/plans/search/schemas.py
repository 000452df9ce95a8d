from __future__ import annotations

import uuid
from enum import StrEnum

from pydantic import BaseModel, Field


class Found(StrEnum):
    strategy = "strategy"
    goal = "goal"
    plan = "plan"
    agenda = "agenda"
    project = "project"
    activity = "activity"
    resolution = "resolution"  # a forum's resolution: its text is its title


class SearchHit(BaseModel):
    type: Found
    id: uuid.UUID
    title_th: str = Field(description="Its title (a resolution's text)")
    area_code: str = Field(
        description="The province it belongs to (an activity's tambon, a resolution's forum's area)"
    )
    project_id: uuid.UUID | None = Field(description="An activity's project")
    parent_id: uuid.UUID | None = Field(
        description="What it sits under: a goal's strategy, a plan's goal, an activity's project, "
        "a resolution's forum"
    )
    score: float = Field(description="Trigram similarity of the title to the query (0–1; best first)")


class SearchResults(BaseModel):
    items: list[SearchHit]
