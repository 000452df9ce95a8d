"""Outcomes (Outcome Harvesting, Wilson-Grau): an observable change in the behaviour, relationships,
actions, policies or practice of a social actor — when, where, intended or not, for better or worse — its
significance, the supported work's contribution and who reported it, with evidence checked with plans.
draft → substantiated (an independent person's verdict, recorded by the team's lead) → published."""

from __future__ import annotations

import uuid

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.lessons.models import Lesson
from services.assessment.outcomes.events import OUTCOME_PUBLISHED
from services.assessment.outcomes.models import ActorKind, Outcome, OutcomeStatus
from services.assessment.outcomes.repository import OUTCOMES, listing
from services.assessment.outcomes.schemas import OutcomeCreate, OutcomePublic, OutcomeUpdate, Substantiation
from services.assessment.problems import WrongStage
from services.assessment.rounds import evidence
from services.assessment.teams import repository as teams
from services.assessment.teams.models import TeamKind
from services.assessment.teams.service import assigned_teams, require_lead, team_record
from services.common import errors
from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.events import record_event
from services.common.i18n import Text
from services.common.models import ExpectedVersions
from services.common.pagination import Page, PageRequest
from services.common.peers import Peer
from services.common.resources import apply_changes, confined
from services.common.text import search_form

log = structlog.get_logger()
STATUS_TH = {"draft": "ร่าง", "substantiated": "ยืนยันแล้ว", "published": "เผยแพร่แล้ว"}
_WHAT = Text("outcome", "ผลลัพธ์")


async def create(
    session: AsyncSession, principal: Principal, plans: Peer, data: OutcomeCreate
) -> OutcomePublic:
    await _require_harvester(session, principal, data.team_id, data.area_code)
    await _check_lessons(session, data.lesson_ids)
    refs = await evidence.checked(plans, data.evidence, pointer="/evidence")
    outcome = Outcome(**data.model_dump(exclude={"evidence"}), evidence=refs, created_by=principal.subject)
    session.add(outcome)
    await session.flush()
    log.info("outcome.harvested", outcome_id=str(outcome.id), area=outcome.area_code)
    return OUTCOMES.shown(outcome)


async def get(session: AsyncSession, principal: Principal | None, outcome_id: uuid.UUID) -> OutcomePublic:
    return OUTCOMES.shown(await team_record(session, principal, OUTCOMES, outcome_id))


async def update(
    session: AsyncSession,
    principal: Principal,
    plans: Peer,
    outcome_id: uuid.UUID,
    data: OutcomeUpdate,
    expected_version: ExpectedVersions,
) -> OutcomePublic:
    """A draft's members edit it (a substantiated or published outcome stays as it was verified)."""
    outcome = await team_record(session, principal, OUTCOMES, outcome_id, for_update=True)
    await _require_harvester(session, principal, outcome.team_id, outcome.area_code)
    _require(outcome, (OutcomeStatus.draft,), Text("edited", "แก้ไข"))
    changes = data.model_dump(exclude_unset=True, exclude={"evidence"})
    if data.evidence is not None:
        changes["evidence"] = await evidence.checked(plans, data.evidence, pointer="/evidence")
    if data.lesson_ids is not None:
        await _check_lessons(session, data.lesson_ids)
    if apply_changes(outcome, changes, expected_version=expected_version):
        await session.flush()
    return OUTCOMES.shown(outcome)


async def substantiate(
    session: AsyncSession, principal: Principal, outcome_id: uuid.UUID, data: Substantiation
) -> OutcomePublic:
    """The team's lead records an independent person's verdict on a draft (or replaces it before it is
    published)."""
    outcome = await _led(session, principal, outcome_id)
    _require(outcome, (OutcomeStatus.draft, OutcomeStatus.substantiated), Text("substantiated", "ยืนยัน"))
    changes = {
        "status": OutcomeStatus.substantiated,
        "substantiator": data.substantiator,
        "verdict": data.verdict,
        "verdict_note": data.note,
    }
    if apply_changes(outcome, changes, expected_version=None):
        outcome.substantiated_at = utcnow()
        await session.flush()
        log.info("outcome.substantiated", outcome_id=str(outcome.id), verdict=data.verdict.value)
    return OUTCOMES.shown(outcome)


async def publish(session: AsyncSession, principal: Principal, outcome_id: uuid.UUID) -> OutcomePublic:
    """The team's lead publishes a substantiated outcome (again: nothing changes)."""
    outcome = await _led(session, principal, outcome_id)
    if outcome.status is OutcomeStatus.published:
        return OUTCOMES.shown(outcome)
    _require(outcome, (OutcomeStatus.substantiated,), Text("published", "เผยแพร่"))
    apply_changes(
        outcome, {"status": OutcomeStatus.published, "published_at": utcnow()}, expected_version=None
    )
    await session.flush()
    await record_event(
        session, OUTCOME_PUBLISHED, aggregate_id=str(outcome.id), area_code=outcome.area_code, data=outcome
    )
    return OUTCOMES.shown(outcome)


async def list_outcomes(
    session: AsyncSession,
    principal: Principal | None,
    *,
    q: str | None,
    area: str | None,
    actor_kind: ActorKind | None,
    page: PageRequest,
) -> Page[OutcomePublic]:
    words = search_form(q) if q else None
    if q and not words:
        return Page(items=[])
    mine = await teams.teams_of(session, principal.subject) if principal else []
    statement = listing(confined(principal, area), words=words, actor_kind=actor_kind, teams=mine)
    return await OUTCOMES.page(session, statement, page)


async def _led(session: AsyncSession, principal: Principal, outcome_id: uuid.UUID) -> Outcome:
    outcome = await team_record(session, principal, OUTCOMES, outcome_id, for_update=True)
    only_the_lead = Text("substantiates and publishes its outcomes", "ยืนยันและเผยแพร่ผลลัพธ์ของทีม")
    await require_lead(session, principal, outcome.team_id, only_the_lead)
    return outcome


def _require(outcome: Outcome, allowed: tuple[OutcomeStatus, ...], action: Text) -> None:
    if outcome.status not in allowed:
        status = outcome.status.value
        raise WrongStage(what=_WHAT, status=status, status_th=STATUS_TH[status], action=action)


async def _check_lessons(session: AsyncSession, lesson_ids: list[uuid.UUID]) -> None:
    for index, lesson_id in enumerate(lesson_ids):
        if await session.get(Lesson, lesson_id) is None:
            raise errors.nothing_at(f"/lesson_ids/{index}", Text("lesson", "บทเรียน"), lesson_id)


async def _require_harvester(
    session: AsyncSession, principal: Principal, team_id: uuid.UUID, area: str
) -> None:
    if team_id in await assigned_teams(session, principal, area, (TeamKind.outcome,)):
        return
    raise errors.at_field(
        errors.Forbidden,
        "/team_id",
        Text(
            f"Outcomes of {area} are harvested by the members of an outcome team assigned there.",
            f"ผลลัพธ์ของพื้นที่ {area} บันทึกโดยสมาชิกทีมประเมินผลลัพธ์ที่ได้รับมอบหมายพื้นที่นั้น",
        ),
    )
