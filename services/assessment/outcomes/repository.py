"""Outcomes as stored: a row each, listed by area, kind of actor and words."""

from __future__ import annotations

import uuid

from sqlmodel import col, or_
from sqlmodel.sql.expression import SelectOfScalar

from services.assessment.outcomes.models import ActorKind, Outcome, OutcomeStatus
from services.assessment.outcomes.schemas import OutcomePublic
from services.common.i18n import Text
from services.common.resources import AreaResource, where_given

OUTCOMES = AreaResource(
    model=Outcome,
    public=OutcomePublic,
    area_field="area_code",
    what=Text("outcome", "ผลลัพธ์"),
    aggregate="outcome",
)


def listing(
    area: str | None, *, words: str | None, actor_kind: ActorKind | None, teams: list[uuid.UUID]
) -> SelectOfScalar[Outcome]:
    """Published outcomes inside `area`, and those of `teams` at any stage."""
    statement = OUTCOMES.within(area).where(
        or_(Outcome.status == OutcomeStatus.published, col(Outcome.team_id).in_(teams))
    )
    if words:
        statement = statement.where(
            or_(
                col(Outcome.title_th).icontains(words, autoescape=True),
                col(Outcome.description).icontains(words, autoescape=True),
            )
        )
    return where_given(statement, (Outcome.actor_kind, actor_kind))
