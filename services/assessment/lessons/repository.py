"""Lessons as stored: a row each, listed by area, theme, year and Thai words (trigram-indexed texts)."""

from __future__ import annotations

import uuid

from sqlmodel import col, or_
from sqlmodel.sql.expression import SelectOfScalar

from services.assessment.lessons.models import Lesson, LessonStatus
from services.assessment.lessons.schemas import LessonPublic
from services.common.i18n import Text
from services.common.resources import AreaResource, where_given

LESSONS = AreaResource(
    model=Lesson,
    public=LessonPublic,
    area_field="area_code",
    what=Text("lesson", "บทเรียน"),
    aggregate="lesson",
)
SEARCHED = ("title_th", "context", "what_worked", "what_did_not", "conditions_for_reuse")


def listing(
    area: str | None,
    *,
    words: str | None,
    theme: str | None,
    fiscal_year: int | None,
    teams: list[uuid.UUID],
) -> SelectOfScalar[Lesson]:
    """Lessons inside `area`: published ones, and the drafts of `teams`; matching the folded `words` in any
    of their texts, of a theme and a year when asked."""
    statement = LESSONS.within(area).where(
        or_(Lesson.status == LessonStatus.published, col(Lesson.team_id).in_(teams))
    )
    if words:
        statement = statement.where(
            or_(*(col(getattr(Lesson, name)).icontains(words, autoescape=True) for name in SEARCHED))
        )
    return where_given(statement, (Lesson.themes, theme), (Lesson.fiscal_year, fiscal_year))
