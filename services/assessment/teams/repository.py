"""Support teams as stored: one row per team, found by id or listed by area and kind."""

from __future__ import annotations

from sqlmodel.sql.expression import SelectOfScalar

from services.assessment.teams.models import Team, TeamKind
from services.assessment.teams.schemas import TeamPublic
from services.common.i18n import Text
from services.common.resources import AreaResource

TEAMS = AreaResource(
    model=Team,
    public=TeamPublic,
    area_field="area_code",
    what=Text("team", "ทีม"),
    aggregate="team",
)


def listing(area: str | None, kind: TeamKind | None) -> SelectOfScalar[Team]:
    """Teams inside `area` (all when None), of one kind when asked."""
    statement = TEAMS.within(area)
    if kind:
        statement = statement.where(Team.kind == kind)
    return statement
