from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import SQLModel

from services.assessment.teams.models import TeamBase, TeamKind
from services.common.types import AreaCode, Name


class TeamCreate(SQLModel):
    kind: TeamKind
    name: Name
    area_code: AreaCode


class TeamPublic(TeamBase):
    id: uuid.UUID
    created_at: datetime
    updated_at: datetime
