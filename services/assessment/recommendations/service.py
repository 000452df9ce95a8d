"""Policy recommendations (ข้อเสนอเชิงนโยบาย): from an area's outcomes and lessons to an agency at tambon,
province or national level, followed proposed → submitted → accepted → implemented (or rejected on the way),
each step dated with a note, so anyone can see which community results reached policy."""

from __future__ import annotations

import uuid

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.lessons.models import Lesson, LessonStatus
from services.assessment.outcomes.models import Outcome, OutcomeStatus
from services.assessment.problems import WrongStage
from services.assessment.recommendations.access import RECOMMENDERS
from services.assessment.recommendations.events import RECOMMENDATION_STATUS_CHANGED
from services.assessment.recommendations.models import NEXT, Recommendation, RecommendationStatus, TargetLevel
from services.assessment.recommendations.repository import RECOMMENDATIONS, listing
from services.assessment.recommendations.schemas import (
    RecommendationCreate,
    RecommendationPublic,
    StatusChange,
)
from services.assessment.teams.models import TeamKind
from services.assessment.teams.service import assigned_teams
from services.common import errors
from services.common.auth import Principal
from services.common.events import record_event
from services.common.i18n import Text
from services.common.pagination import Page, PageRequest
from services.common.resources import apply_changes, confined

log = structlog.get_logger()
STATUS_TH = {
    "proposed": "เสนอแล้ว",
    "submitted": "ยื่นต่อหน่วยงานแล้ว",
    "accepted": "หน่วยงานรับแล้ว",
    "implemented": "นำไปปฏิบัติแล้ว",
    "rejected": "ไม่ได้รับการตอบรับ",
}
_WHAT = Text("recommendation", "ข้อเสนอเชิงนโยบาย")


async def create(
    session: AsyncSession, principal: Principal, data: RecommendationCreate
) -> RecommendationPublic:
    """Propose a recommendation resting on published outcomes and lessons (422 naming one that is not)."""
    await _require_recommender(session, principal, data.area_code)
    for index, outcome_id in enumerate(data.outcome_ids):
        outcome = await session.get(Outcome, outcome_id)
        if outcome is None or outcome.status is not OutcomeStatus.published:
            raise _unpublished(f"/outcome_ids/{index}", Text("outcome", "ผลลัพธ์"), outcome_id)
    for index, lesson_id in enumerate(data.lesson_ids):
        lesson = await session.get(Lesson, lesson_id)
        if lesson is None or lesson.status is not LessonStatus.published:
            raise _unpublished(f"/lesson_ids/{index}", Text("lesson", "บทเรียน"), lesson_id)
    row = Recommendation(**data.model_dump(), created_by=principal.subject)
    return await RECOMMENDATIONS.add(session, row)


async def get(
    session: AsyncSession, principal: Principal | None, recommendation_id: uuid.UUID
) -> RecommendationPublic:
    return await RECOMMENDATIONS.read(session, principal, recommendation_id)


async def move(
    session: AsyncSession, principal: Principal, recommendation_id: uuid.UUID, data: StatusChange
) -> RecommendationPublic:
    """Move a recommendation to its next status, dated with a note (the same status again with the same day
    and note changes nothing; anything else out of order is 409)."""
    row = await RECOMMENDATIONS.get(session, recommendation_id, for_update=True)
    await _require_recommender(session, principal, row.area_code)
    step = {"status": data.status.value, "on": data.on.isoformat(), "note": data.note}
    if row.history and row.history[-1] == step:
        return RECOMMENDATIONS.shown(row)
    if data.status not in NEXT[row.status]:
        status = row.status.value
        raise WrongStage(
            what=_WHAT,
            status=status,
            status_th=STATUS_TH[status],
            action=Text(f"made {data.status.value}", "เปลี่ยนสถานะ"),
        )
    if row.history and data.on.isoformat() < row.history[-1]["on"]:  # a misfit with what is stored: 409
        raise errors.at_field(
            errors.Conflict,
            "/on",
            Text(
                f"The last step was on {row.history[-1]['on']}: the next cannot come before it.",
                f"ขั้นล่าสุดเมื่อ {row.history[-1]['on']} ขั้นถัดไปต้องไม่ก่อนวันนั้น",
            ),
        )
    previous = row.status
    apply_changes(row, {"status": data.status, "history": [*row.history, step]}, expected_version=None)
    await session.flush()
    await record_event(
        session,
        RECOMMENDATION_STATUS_CHANGED,
        aggregate_id=str(row.id),
        area_code=row.area_code,
        data={
            "id": str(row.id),
            "area_code": row.area_code,
            "target_agency": row.target_agency,
            "previous_status": previous,
            "status": data.status,
            "on": data.on,
            "note": data.note,
        },
    )
    log.info("recommendation.moved", recommendation_id=str(row.id), status=data.status.value)
    return RECOMMENDATIONS.shown(row)


async def list_recommendations(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    status: RecommendationStatus | None,
    target_level: TargetLevel | None,
    page: PageRequest,
) -> Page[RecommendationPublic]:
    statement = listing(confined(principal, area), status=status, target_level=target_level)
    return await RECOMMENDATIONS.page(session, statement, page=page)


async def _require_recommender(session: AsyncSession, principal: Principal, area: str) -> None:
    if principal.may(RECOMMENDERS, area) or await assigned_teams(
        session, principal, area, (TeamKind.outcome,)
    ):
        return
    principal.require(RECOMMENDERS, area)


def _unpublished(pointer: str, what: Text, row_id: uuid.UUID) -> errors.ValidationFailed:
    """404 at the field: an unpublished outcome or lesson is its team's own, and does not exist here."""
    return errors.nothing_at(pointer, Text(f"published {what.en}", f"{what.th}ที่เผยแพร่แล้ว"), row_id)
