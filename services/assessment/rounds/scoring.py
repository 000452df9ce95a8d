"""Scoring a round: per area and criterion the community's own level (the self side) and the team's, each
with a comment and evidence checked with plans; where they differ by a level or more the item is flagged and
reviewed only with a dialogue note. draft → submitted (both sides in; the scores are then fixed) → reviewed
(by the team's lead, who agrees the level results count) → published (with its round)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.frameworks.repository import FRAMEWORKS
from services.assessment.problems import DialogueNeeded, RoundNotOpen, WrongStage
from services.assessment.rounds import evidence, repository
from services.assessment.rounds.access import ROUND_READERS, SELF_SCORERS
from services.assessment.rounds.events import ITEM_FLAGGED, ITEM_REVIEWED
from services.assessment.rounds.models import Item, ItemStatus, Round, RoundStatus
from services.assessment.rounds.repository import ROUNDS
from services.assessment.rounds.schemas import ItemPublic, Items, Review, Score, SideShown
from services.assessment.rounds.service import readable
from services.assessment.teams import repository as teams
from services.assessment.teams.models import TeamKind
from services.assessment.teams.service import assigned_teams, require_lead
from services.common import errors, inbox
from services.common.auth import Principal
from services.common.calendar import bangkok_date
from services.common.clock import utcnow
from services.common.events import record_event
from services.common.events.registry import EventType
from services.common.i18n import Text
from services.common.inbox import InboxItem
from services.common.models import touch
from services.common.pagination import PageRequest
from services.common.peers import Peer

log = structlog.get_logger()

Side = Literal["self", "team"]
STATUS_TH = {"draft": "ร่าง", "submitted": "ส่งแล้ว", "reviewed": "ทบทวนแล้ว", "published": "เผยแพร่แล้ว"}
_WHAT = Text("item", "รายการประเมิน")


async def score(
    session: AsyncSession,
    principal: Principal,
    plans: Peer,
    round_id: uuid.UUID,
    area_code: str,
    criterion: str,
    side: Side,
    data: Score,
) -> ItemPublic:
    """One side's level for a criterion in an area of an open round (a draft item: again, it is replaced).
    The self side is the community's (tambon and provincial users of the area); the team side is the round's
    team's, where that team is assigned."""
    row = await _round(session, round_id)
    if row.status is not RoundStatus.open or bangkok_date(utcnow()) > row.closes_on:
        raise RoundNotOpen(status=_round_stage(row), closes_on=row.closes_on.isoformat())
    levels = await _scale(session, row, area_code, criterion)
    if side == "self":
        principal.require(SELF_SCORERS, area_code)
    else:
        await _require_team_side(session, principal, row, area_code)
    if data.level > levels:
        raise errors.at_field(
            errors.ValidationFailed,
            "/level",
            Text(f"The framework's scale has {levels} levels.", f"มาตรวัดของกรอบการประเมินมี {levels} ระดับ"),
        )
    refs = await evidence.checked(plans, data.evidence, pointer="/evidence")
    item = await repository.locked_item(session, row.id, area_code, criterion)
    if item.status is not ItemStatus.draft:
        raise _wrong(item, Text("scored again", "ให้คะแนนใหม่"))
    was_flagged = item.flagged
    values = {"level": data.level, "comment": data.comment, "evidence": refs, "by": principal.subject}
    changed = False
    for name, value in values.items():
        if getattr(item, f"{side}_{name}") != value:
            setattr(item, f"{side}_{name}", value)
            changed = True
    if changed:
        item.flagged = _differ(item)
        touch(item)
        session.add(item)
        await session.flush()
        log.info("round.item_scored", round_id=str(row.id), area=area_code, criterion=criterion, side=side)
    if item.flagged and not was_flagged:
        await _publish(session, ITEM_FLAGGED, item)
    return _shown(item, full=True)


async def submit(
    session: AsyncSession, principal: Principal, round_id: uuid.UUID, area_code: str, criterion: str
) -> ItemPublic:
    """The team sends an item with both sides scored for review; its scores are then fixed (again: nothing
    changes)."""
    row = await _round(session, round_id)
    await _require_team_side(session, principal, row, area_code)
    item = await _item(session, row, area_code, criterion)
    if item.status is ItemStatus.submitted:
        return _shown(item, full=True)
    if item.status is not ItemStatus.draft:
        raise _wrong(item, Text("submitted", "ส่ง"))
    if item.self_level is None or item.team_level is None:
        missing = "self" if item.self_level is None else "team"
        raise errors.Conflict(
            Text(
                f"Both sides score an item before it is submitted: the {missing} side has not.",
                "ต้องมีผลประเมินทั้งของชุมชนและของทีมก่อนส่ง "
                + ("ชุมชนยังไม่ได้ประเมิน" if missing == "self" else "ทีมยังไม่ได้ประเมิน"),
            ),
            extensions={"missing": missing},
        )
    item.status, item.submitted_by, item.submitted_at = ItemStatus.submitted, principal.subject, utcnow()
    shown = await _saved(session, item)
    await inbox.announce(session, review_item(item, row.title_th))  # for the team's leads, not named
    return shown


async def review(
    session: AsyncSession,
    principal: Principal,
    round_id: uuid.UUID,
    area_code: str,
    criterion: str,
    data: Review,
) -> ItemPublic:
    """The lead of the round's team reviews a submitted item and agrees its level (the team's unless said);
    a flagged one needs the dialogue note (409). Reviewing it again changes nothing."""
    row = await _round(session, round_id)
    only_the_lead = Text("reviews this round's items", "ทบทวนรายการของรอบนี้")
    await require_lead(session, principal, row.team_id, only_the_lead)
    levels = await _scale(session, row, area_code, criterion)
    item = await _item(session, row, area_code, criterion)
    if item.status is ItemStatus.reviewed:
        return _shown(item, full=True)
    if item.status is not ItemStatus.submitted:
        raise _wrong(item, Text("reviewed", "ทบทวน"))
    assert item.self_level is not None
    assert item.team_level is not None
    if item.flagged and not (data.dialogue_note or item.dialogue_note):
        raise DialogueNeeded(self_level=item.self_level, team_level=item.team_level)
    if data.level is not None and data.level > levels:
        raise errors.at_field(
            errors.ValidationFailed,
            "/level",
            Text(f"The framework's scale has {levels} levels.", f"มาตรวัดของกรอบการประเมินมี {levels} ระดับ"),
        )
    if data.dialogue_note:
        item.dialogue_note = data.dialogue_note
    item.level = data.level or item.team_level
    item.status, item.reviewed_by, item.reviewed_at = ItemStatus.reviewed, principal.subject, utcnow()
    shown = await _saved(session, item)
    await _publish(session, ITEM_REVIEWED, item, level=item.level, flagged=item.flagged)
    return shown


async def get_item(
    session: AsyncSession, principal: Principal | None, round_id: uuid.UUID, area_code: str, criterion: str
) -> ItemPublic:
    """An item: published ones with their published round for everyone; others for the round's readers."""
    row = await ROUNDS.get(session, round_id)
    await readable(session, principal, row)
    item = await repository.item(session, row.id, area_code, criterion)
    full = await _sees_all(session, principal, row, area_code)
    if item is None or not (full or item.status is ItemStatus.published):
        raise errors.NotFound(
            Text(
                f"Round {row.id} has no item {criterion} scored in {area_code}.",
                f"รอบ {row.id} ไม่มีรายการ {criterion} ของพื้นที่ {area_code}",
            )
        )
    return _shown(item, full=full)


async def list_items(
    session: AsyncSession,
    principal: Principal | None,
    round_id: uuid.UUID,
    *,
    area: str | None,
    criterion: str | None,
    status: ItemStatus | None,
    flagged: bool | None,
    page: PageRequest,
) -> Items:
    """A round's items in (area, criterion) order: all of them for its staff and team (or for the staff of
    the area asked); otherwise its published ones."""
    row = await ROUNDS.get(session, round_id)
    await readable(session, principal, row)
    full = await _sees_all(session, principal, row, area or row.area_code)
    if not full:
        status = ItemStatus.published
    cursor, limit = page.cursor, page.limit
    after = repository.decode_item_cursor(cursor) if cursor else None
    rows = await repository.items(
        session,
        row.id,
        area=area,
        criterion=criterion,
        status=status,
        flagged=flagged,
        after=after,
        limit=limit + 1,
    )
    next_cursor = repository.encode_item_cursor(rows[limit - 1]) if len(rows) > limit else None
    return Items(items=[_shown(item, full=full) for item in rows[:limit]], next_cursor=next_cursor)


async def _round(session: AsyncSession, round_id: uuid.UUID) -> Round:
    row = await repository.round_for_share(session, round_id)
    if row is None:
        raise errors.NotFound(Text(f"There is no round {round_id}.", f"ไม่พบรอบการประเมิน รหัส {round_id}"))
    return row


async def _scale(session: AsyncSession, row: Round, area_code: str, criterion: str) -> int:
    """The number of levels of the round's framework; 404 for an area or a criterion not in the round."""
    if area_code not in row.areas:
        raise errors.NotFound(
            Text(f"Round {row.id} does not score {area_code}.", f"รอบ {row.id} ไม่ได้ประเมินพื้นที่ {area_code}")
        )
    framework = await FRAMEWORKS.get(session, row.framework_id)
    if criterion not in {c["code"] for c in framework.criteria}:
        raise errors.NotFound(
            Text(
                f"Framework {framework.id} has no criterion {criterion}.",
                f"กรอบการประเมิน {framework.id} ไม่มีเกณฑ์ {criterion}",
            )
        )
    return len(framework.levels)


async def _require_team_side(session: AsyncSession, principal: Principal, row: Round, area_code: str) -> None:
    """403 unless the principal is on the round's team, that team is assigned to the area, and they are not
    the area's community (who score its self side: nobody scores both sides of an item)."""
    if principal.may(SELF_SCORERS, area_code):
        raise errors.Forbidden(
            Text(
                f"The community of {area_code} scores its self side; its team side is the team's.",
                f"ชุมชนในพื้นที่ {area_code} ประเมินตนเอง ผลประเมินฝ่ายทีมเป็นของทีมประเมิน",
            ),
            extensions={"area_code": area_code},
        )
    if row.team_id in await assigned_teams(session, principal, area_code, (TeamKind.internal_empowerment,)):
        return
    raise errors.OutsideArea(
        Text(
            f"The team side of {area_code} is scored by team {row.team_id}'s members where it is assigned.",
            f"ผลประเมินฝ่ายทีมของพื้นที่ {area_code} ให้โดยสมาชิกทีม {row.team_id} ที่ได้รับมอบหมายพื้นที่นั้น",
        ),
        extensions={"area_code": area_code},
    )


async def _item(session: AsyncSession, row: Round, area_code: str, criterion: str) -> Item:
    await _scale(session, row, area_code, criterion)
    item = await repository.item(session, row.id, area_code, criterion, for_update=True)
    if item is None or item.version == 0:
        raise errors.NotFound(
            Text(
                f"Nobody has scored {criterion} in {area_code} yet.",
                f"ยังไม่มีผู้ประเมินเกณฑ์ {criterion} ของพื้นที่ {area_code}",
            )
        )
    return item


async def _sees_all(session: AsyncSession, principal: Principal | None, row: Round, area: str) -> bool:
    """Whether the principal sees the drafts of `area` in the round: its staff, the community of the area,
    or a member of its team."""
    if principal is None:
        return False
    if principal.may(ROUND_READERS, area):
        return True
    return await teams.member(session, row.team_id, principal.subject) is not None


def review_item(item: Item, round_title: str) -> InboxItem:
    """A submitted item as it waits for its team's lead."""
    key = f"{item.round_id}/{item.area_code}/{item.criterion}"
    return InboxItem(
        kind="item_review",
        source="assessment",
        subject_type="round_item",
        subject_id=key,
        area_code=item.area_code,
        summary=f"{round_title[:120]} · {item.area_code} · {item.criterion}",
        waiting_since=item.submitted_at or item.updated_at,
        path=f"/v1/rounds/{item.round_id}/items/{item.area_code}/{item.criterion}",
    )


async def _saved(session: AsyncSession, item: Item) -> ItemPublic:
    touch(item)
    session.add(item)
    await session.flush()
    log.info("round.item_moved", round_id=str(item.round_id), area=item.area_code, status=item.status.value)
    return _shown(item, full=True)


async def _publish(session: AsyncSession, event: EventType, item: Item, **data: Any) -> None:
    await record_event(
        session,
        event,
        aggregate_id=str(item.round_id),
        area_code=item.area_code,
        data={
            "round_id": str(item.round_id),
            "area_code": item.area_code,
            "criterion": item.criterion,
            "self_level": item.self_level,
            "team_level": item.team_level,
            **data,
        },
    )


def _differ(item: Item) -> bool:
    return item.self_level is not None and item.team_level is not None and item.self_level != item.team_level


def _round_stage(row: Round) -> str:
    return "closed" if row.status is RoundStatus.open else row.status.value


def _wrong(item: Item, action: Text) -> WrongStage:
    status = item.status.value
    return WrongStage(what=_WHAT, status=status, status_th=STATUS_TH[status], action=action)


def _shown(item: Item, *, full: bool) -> ItemPublic:
    def side(name: str) -> SideShown:
        return SideShown(
            level=getattr(item, f"{name}_level"),
            comment=getattr(item, f"{name}_comment"),
            evidence=getattr(item, f"{name}_evidence"),
            by=getattr(item, f"{name}_by") if full else None,
        )

    return ItemPublic(
        round_id=item.round_id,
        area_code=item.area_code,
        criterion=item.criterion,
        status=item.status,
        self_assessment=side("self"),
        team_assessment=side("team"),
        flagged=item.flagged,
        dialogue_note=item.dialogue_note,
        level=item.level,
        version=item.version,
        updated_at=item.updated_at,
    )
