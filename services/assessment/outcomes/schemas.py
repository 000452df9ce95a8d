from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import Field

from services.assessment.outcomes.models import ActorKind, OutcomeBase, Verdict
from services.assessment.rounds.schemas import Evidence, EvidenceShown
from services.common.resources import Shown
from services.common.types import (
    AreaCode,
    Day,
    Distinct,
    Flag,
    LongText,
    Name,
    PatchModel,
    RequestBody,
    Sentence,
)

Ids = Annotated[list[uuid.UUID], Field(max_length=50), *Distinct]


class OutcomeCreate(RequestBody):
    """A harvested outcome, drafted by a member of an outcome team assigned to its area."""

    title_th: Name
    description: LongText = ""
    actor_name: Name
    actor_kind: ActorKind
    occurred_on: Day
    area_code: AreaCode
    intended: Flag
    positive: Flag
    significance: LongText = ""
    contribution: LongText = ""
    change_agent: Name
    evidence: list[Evidence] = Field(default_factory=list, max_length=20)
    lesson_ids: Ids = []
    team_id: uuid.UUID


class OutcomeUpdate(PatchModel):
    """A draft's fields; left out, they stay. Evidence sent replaces the list (checked again)."""

    title_th: Name | None = None
    description: LongText | None = None
    actor_name: Name | None = None
    actor_kind: ActorKind | None = None
    occurred_on: Day | None = None
    intended: Flag | None = None
    positive: Flag | None = None
    significance: LongText | None = None
    contribution: LongText | None = None
    change_agent: Name | None = None
    evidence: list[Evidence] | None = Field(default=None, max_length=20)
    lesson_ids: Ids | None = None


class Substantiation(RequestBody):
    """An independent person's verdict on the outcome as described, recorded by the team's lead."""

    substantiator: Name
    verdict: Verdict
    note: Sentence


class OutcomePublic(Shown, OutcomeBase):
    evidence: list[EvidenceShown]  # type: ignore[assignment]
