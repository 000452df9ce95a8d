from __future__ import annotations

from services.assessment.teams.models import TeamBase, TeamKind
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
