"""A round's events: written and edited (`round.created` / `.updated`), opened, closed and published; and an
item flagged where the community's level and the team's differ (levels only: no comment, no person)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from services.assessment.rounds.models import RoundStatus, ScoredLevel
from services.common.events.registry import INLINE, EventData, EventType


class RoundData(EventData):
    """A round's public state after the change (its areas counted, not listed)."""

    id: uuid.UUID
    title_th: str
    framework_id: uuid.UUID
    fiscal_year: int
    area_code: str
    scored_level: Annotated[ScoredLevel, INLINE]
    team_id: uuid.UUID
    opens_on: date
    closes_on: date
    status: Annotated[RoundStatus, INLINE]
    version: int
    created_at: datetime
    updated_at: datetime


def _round(name: str, en: str, th: str) -> EventType:
    return EventType(name, "round", 1, RoundData, en, th)


ROUND_CREATED = _round("round.created", "An assessment round was written", "มีการสร้างรอบการประเมิน")
ROUND_UPDATED = _round("round.updated", "An assessment round was edited", "รอบการประเมินถูกแก้ไข")
ROUND_OPENED = _round("round.opened", "A round opened for scores", "รอบการประเมินเปิดรับคะแนน")
ROUND_CLOSED = _round("round.closed", "A round closed: no more scores", "รอบการประเมินปิดรับคะแนน")
ROUND_PUBLISHED = _round("round.published", "A round's results were published", "เผยแพร่ผลรอบการประเมิน")


class ItemFlaggedData(EventData):
    """An item whose two sides differ by a level or more: it needs a dialogue before review."""

    round_id: uuid.UUID
    area_code: str
    criterion: str
    self_level: int
    team_level: int


ITEM_FLAGGED = EventType(
    "assessment.item.flagged",
    "assessment_item",
    1,
    ItemFlaggedData,
    "The community's and the team's levels differ",
    "ผลประเมินของชุมชนและของทีมต่างกัน",
)


class ItemReviewedData(ItemFlaggedData):
    """An item the team's lead reviewed: the level agreed, and whether a dialogue note was needed."""

    level: int
    flagged: bool


ITEM_REVIEWED = EventType(
    "assessment.item.reviewed",
    "assessment_item",
    1,
    ItemReviewedData,
    "A team's lead reviewed an item and agreed its level",
    "หัวหน้าทีมทบทวนรายการและตกลงระดับแล้ว",
)
EVENT_TYPES = (
    ROUND_CREATED,
    ROUND_UPDATED,
    ROUND_OPENED,
    ROUND_CLOSED,
    ROUND_PUBLISHED,
    ITEM_FLAGGED,
    ITEM_REVIEWED,
)
