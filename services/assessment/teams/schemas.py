from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import SQLModel

from services.assessment.teams.models import MemberRole, TeamBase, TeamKind
from services.common.resources import Shown
from services.common.types import AreaCode, Name, PatchModel, RequestBody


class TeamCreate(RequestBody):
    kind: TeamKind
    name: Name
    area_code: AreaCode


class TeamUpdate(PatchModel):
    """Fields left out stay as they are; a team stays with its area and kind."""

    name: Name | None = None


class TeamPublic(Shown, TeamBase):
    pass


class MemberSet(RequestBody):
    role: MemberRole = MemberRole.member


class MemberPublic(SQLModel):
    """A member as the area's staff see them: the account's id and its role (names stay with identity)."""

    user_id: str
    role: MemberRole
    created_at: datetime


class Members(SQLModel):
    items: list[MemberPublic]


class AssignmentPublic(SQLModel):
    team_id: uuid.UUID
    area_code: str
    created_at: datetime


class Assignments(SQLModel):
    items: list[AssignmentPublic]
