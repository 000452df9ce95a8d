"""Recommendations as stored: a row each, listed by area, status and target level."""

from __future__ import annotations

from sqlmodel.sql.expression import SelectOfScalar

from services.assessment.recommendations.models import Recommendation, RecommendationStatus, TargetLevel
from services.assessment.recommendations.schemas import RecommendationPublic
from services.common.i18n import Text
from services.common.resources import AreaResource

RECOMMENDATIONS = AreaResource(
    model=Recommendation,
    public=RecommendationPublic,
    area_field="area_code",
    what=Text("recommendation", "ข้อเสนอเชิงนโยบาย"),
    aggregate="recommendation",
)


def listing(
    area: str | None, *, status: RecommendationStatus | None, target_level: TargetLevel | None
) -> SelectOfScalar[Recommendation]:
    given = (Recommendation.status, status), (Recommendation.target_level, target_level)
    return RECOMMENDATIONS.within(area, *given)
