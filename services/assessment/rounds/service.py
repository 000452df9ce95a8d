"""Assessment rounds (รอบการประเมิน): a framework version scored in a set of areas in a fiscal year, by the
communities themselves and by an internal empowerment team. planned → open (the framework version is then in
use: an edit of it is its next version) → closed (no more scores) → published (its reviewed items public)."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.frameworks import repository as frameworks
from services.assessment.frameworks.repository import FRAMEWORKS
from services.assessment.problems import FrameworkSuperseded, WrongStage
from services.assessment.rounds import repository
from services.assessment.rounds.access import ROUND_KEEPERS, sees_inside
from services.assessment.rounds.events import ROUND_CLOSED, ROUND_OPENED, ROUND_PUBLISHED
from services.assessment.rounds.models import Round, RoundStatus, ScoredLevel
from services.assessment.rounds.repository import ROUNDS
from services.assessment.rounds.schemas import RoundCreate, RoundPublic
from services.assessment.teams import repository as teams
from services.assessment.teams.models import TeamKind
from services.assessment.teams.repository import TEAMS
from services.common import errors
from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.events import record_event
from services.common.events.registry import EventType
from services.common.geo import area_level, covers, tambons_within
from services.common.i18n import Text
from services.common.pagination import Page, PageRequest
from services.common.resources import apply_changes, confined

log = structlog.get_logger()

STATUS_TH = {"planned": "วางแผน", "open": "เปิดรับคะแนน", "closed": "ปิดรับคะแนน", "published": "เผยแพร่แล้ว"}
_WHAT = Text("round", "รอบการประเมิน")


async def create(session: AsyncSession, principal: Principal, data: RoundCreate) -> RoundPublic:
    """Write a planned round of a framework's newest version for an internal empowerment team working in
    its area; its areas are those asked, or every area of the scored level inside its own."""
    principal.require(ROUND_KEEPERS, data.area_code)
    framework = await FRAMEWORKS.referenced(session, data.framework_id, pointer="/framework_id")
    if framework.superseded_by is not None:
        raise FrameworkSuperseded(newer_id=framework.superseded_by)
    team = await TEAMS.referenced(session, data.team_id, pointer="/team_id")
    if team.kind != TeamKind.internal_empowerment or not covers(team.area_code, data.area_code):
        raise errors.at_field(
            errors.Conflict,
            "/team_id",
            Text(
                f"Team {team.id} is a {team.kind} team of {team.area_code}: a round of {data.area_code} is "
                "scored by an internal empowerment team working there.",
                f"ทีม {team.id} ไม่ใช่ทีมประเมินภายในเพื่อเสริมพลังที่ทำงานครอบคลุมพื้นที่ {data.area_code}",
            ),
        )
    if data.closes_on < data.opens_on:
        raise errors.at_field(
            errors.ValidationFailed,
            "/closes_on",
            Text("A round closes on or after the day it opens.", "วันปิดรอบต้องไม่ก่อนวันเปิดรอบ"),
        )
    areas = _areas(data)
    fields = data.model_dump(exclude={"areas"}) | {"areas": areas, "created_by": principal.subject}
    shown = await ROUNDS.add(session, Round(**fields))
    log.info("round.created", round_id=str(shown.id), areas=len(areas))
    return shown


def _areas(data: RoundCreate) -> list[str]:
    """The areas asked (each of the scored level, inside the round's area: 422 at its index), or them all."""
    if data.areas is None:
        tambons = tambons_within(data.area_code)
        if data.scored_level is ScoredLevel.tambon:
            return list(tambons)
        return sorted({code[:2] for code in tambons})
    for index, code in enumerate(data.areas):
        if area_level(code) != data.scored_level.value or not covers(data.area_code, code):
            raise errors.at_field(
                errors.ValidationFailed,
                f"/areas/{index}",
                Text(
                    f"{code} is not a {data.scored_level.value} inside {data.area_code}.",
                    f"{code} ไม่ใช่พื้นที่ระดับ {data.scored_level.value} ภายใน {data.area_code}",
                ),
            )
    return sorted(data.areas)


async def get(session: AsyncSession, principal: Principal | None, round_id: uuid.UUID) -> RoundPublic:
    """A published round is public; until then, its area's staff and its team see it."""
    row = await ROUNDS.get(session, round_id)
    await readable(session, principal, row)
    return ROUNDS.shown(row)


async def readable(session: AsyncSession, principal: Principal | None, row: Round | RoundPublic) -> None:
    """401/403 unless the principal may see the round (published: anyone; a partner inside its grants)."""
    if row.status is RoundStatus.published:
        confined(principal, row.area_code)
        return
    if principal is None:
        raise errors.Unauthorized(
            Text("A round is public once published: log in to see this one.", "รอบที่ยังไม่เผยแพร่ต้องเข้าสู่ระบบก่อน")
        )
    if sees_inside(principal, row.area_code) or await teams.member(session, row.team_id, principal.subject):
        return
    raise errors.OutsideArea(
        Text(
            f"Round {row.id} of {row.area_code} is not published: its area's staff and its team see it.",
            f"รอบ {row.id} ของพื้นที่ {row.area_code} ยังไม่เผยแพร่ เฉพาะเจ้าหน้าที่ในพื้นที่และทีมเห็นได้",
        ),
        extensions={"area_code": row.area_code},
    )


async def list_rounds(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    status: RoundStatus | None,
    fiscal_year: int | None,
    framework_id: uuid.UUID | None,
    page: PageRequest,
) -> Page[RoundPublic]:
    """Published rounds for everyone; a signed-in user sees unpublished ones too where they may."""
    statement = repository.listing(
        confined(principal, area),
        status=status,
        fiscal_year=fiscal_year,
        framework_id=framework_id,
        published_only=principal is None,
    )
    found = await ROUNDS.page(session, statement, page)
    if principal is not None:  # a page keeps those this user may see (it may then hold fewer than `limit`)
        kept = []
        for shown in found.items:
            try:
                await readable(session, principal, shown)
            except errors.Problem:
                continue
            kept.append(shown)
        found.items = kept
    return found


async def open_round(session: AsyncSession, principal: Principal, round_id: uuid.UUID) -> RoundPublic:
    """Open a planned round for scores (again: nothing changes); its framework version is then in use."""
    row = await _stepping(session, principal, round_id, RoundStatus.planned, RoundStatus.open)
    if row.status is RoundStatus.open:
        return ROUNDS.shown(row)
    await frameworks.mark_in_use(session, await FRAMEWORKS.get(session, row.framework_id, for_update=True))
    return await _move(session, row, {"status": RoundStatus.open, "opened_at": utcnow()}, ROUND_OPENED)


async def close_round(session: AsyncSession, principal: Principal, round_id: uuid.UUID) -> RoundPublic:
    """Close an open round: it takes no more scores; its items are reviewed."""
    row = await _stepping(session, principal, round_id, RoundStatus.open, RoundStatus.closed)
    if row.status is RoundStatus.closed:
        return ROUNDS.shown(row)
    return await _move(session, row, {"status": RoundStatus.closed, "closed_at": utcnow()}, ROUND_CLOSED)


async def publish_round(session: AsyncSession, principal: Principal, round_id: uuid.UUID) -> RoundPublic:
    """Publish a closed round: its reviewed items become public (others stay unpublished and uncounted)."""
    row = await _stepping(session, principal, round_id, RoundStatus.closed, RoundStatus.published)
    if row.status is RoundStatus.published:
        return ROUNDS.shown(row)
    published = await repository.publish_reviewed(session, row.id)
    log.info("round.items_published", round_id=str(row.id), items=published)
    return await _move(
        session, row, {"status": RoundStatus.published, "published_at": utcnow()}, ROUND_PUBLISHED
    )


_STEPS = {
    RoundStatus.open: Text("opened", "เปิด"),
    RoundStatus.closed: Text("closed", "ปิด"),
    RoundStatus.published: Text("published", "เผยแพร่"),
}


async def _stepping(
    session: AsyncSession, principal: Principal, round_id: uuid.UUID, before: RoundStatus, after: RoundStatus
) -> Round:
    """The round locked by its keeper, in `before` (to move on) or already in `after` (a repeat), else 409."""
    row = await ROUNDS.locked(session, principal, round_id, may=ROUND_KEEPERS)
    if row.status not in (before, after):
        status = row.status.value
        raise WrongStage(what=_WHAT, status=status, status_th=STATUS_TH[status], action=_STEPS[after])
    return row


async def _move(session: AsyncSession, row: Round, changes: dict[str, Any], event: EventType) -> RoundPublic:
    apply_changes(row, changes, expected_version=None)
    await session.flush()
    await record_event(session, event, aggregate_id=str(row.id), area_code=row.area_code, data=row)
    log.info(event.name, round_id=str(row.id))
    return ROUNDS.shown(row)
