"""An outcome's one event: published (drafts and substantiation stay with the team)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from services.assessment.outcomes.models import ActorKind, Verdict
from services.common.events.registry import INLINE, EventData, EventType


class OutcomeData(EventData):
    id: uuid.UUID
    title_th: str
    actor_name: str
    actor_kind: Annotated[ActorKind, INLINE]
    occurred_on: date
    area_code: str
    intended: bool
    positive: bool
    verdict: Annotated[Verdict, INLINE] | None
    team_id: uuid.UUID
    version: int


OUTCOME_PUBLISHED = EventType(
    "outcome.published", "outcome", 1, OutcomeData, "An outcome was published", "เผยแพร่ผลลัพธ์"
)
EVENT_TYPES = (OUTCOME_PUBLISHED,)
