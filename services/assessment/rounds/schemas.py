from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, computed_field
from sqlmodel import SQLModel

from services.assessment.rounds.models import ItemStatus, RoundBase, ScoredLevel
from services.common.resources import Shown
from services.common.types import (
    AreaCode,
    Day,
    Distinct,
    FiscalYear,
    Name,
    Paragraph,
    ProvinceCode,
    RequestBody,
    Sentence,
    whole_number,
)

MAX_EVIDENCE = 20
MAX_AREAS = 10_000
PERIOD = r"^2[5-6]\d\d(-Q[1-4])?$"  # as plans names an indicator's period: "2569" or "2569-Q1"


Level = Annotated[
    int,
    Field(strict=True, ge=1, le=10, description="A level of the framework's scale (1 = its lowest)"),
    BeforeValidator(whole_number),
]


class IndicatorEvidence(RequestBody):
    """A plan indicator (checked with the plans service)."""

    kind: Literal["indicator"]
    id: uuid.UUID


class IndicatorValueEvidence(RequestBody):
    """A province's figures of an indicator for a period (`certified`: whether the province signed them)."""

    kind: Literal["indicator_value"]
    id: uuid.UUID = Field(description="The indicator")
    period: str = Field(pattern=PERIOD, description='"2569" or "2569-Q1"')
    province_code: ProvinceCode


class ProjectEvidence(RequestBody):
    """A plans project ("one province, one project" and the rest)."""

    kind: Literal["project"]
    id: uuid.UUID


Evidence = Annotated[
    IndicatorEvidence | IndicatorValueEvidence | ProjectEvidence, Field(discriminator="kind")
]


class EvidenceShown(SQLModel):
    kind: str
    id: uuid.UUID
    period: str | None = None
    province_code: str | None = None
    certified: bool | None = Field(default=None, description="An indicator value's: signed by its province")


class RoundCreate(RequestBody):
    """A round of a framework's newest version, scored by a team and by the communities of its areas."""

    title_th: Name
    framework_id: uuid.UUID
    fiscal_year: FiscalYear
    area_code: AreaCode = Field(description="Whose round: a province, a CODI region or TH")
    scored_level: ScoredLevel = ScoredLevel.tambon
    areas: Annotated[list[AreaCode], *Distinct] | None = Field(
        default=None,
        max_length=MAX_AREAS,
        description="The areas scored, of `scored_level`, inside `area_code` (left out: every one of them)",
    )
    team_id: uuid.UUID = Field(description="An internal empowerment team working in the round's area")
    opens_on: Day
    closes_on: Day = Field(description="The last day a score is taken (on or after opens_on)")


class RoundPublic(Shown, RoundBase):
    @computed_field(description="How many areas the round scores")  # type: ignore[prop-decorator]
    @property
    def areas_count(self) -> int:
        return len(self.areas)


class Score(RequestBody):
    """One side's level (1 = the scale's lowest), what it rests on, and a comment."""

    level: Level
    comment: Paragraph = ""
    evidence: list[Evidence] = Field(default_factory=list, max_length=MAX_EVIDENCE)


class Review(RequestBody):
    """The team lead's review; where the sides differ, what their dialogue concluded."""

    dialogue_note: Sentence | None = None
    level: Level | None = Field(default=None, description="The agreed level (left out: the team's)")


class SideShown(SQLModel):
    level: int | None
    comment: str
    evidence: list[EvidenceShown]
    by: str | None = None


class ItemPublic(SQLModel):
    round_id: uuid.UUID
    area_code: str
    criterion: str
    status: ItemStatus
    self_assessment: SideShown
    team_assessment: SideShown
    flagged: bool
    dialogue_note: str | None
    level: int | None
    version: int
    updated_at: datetime


class Items(SQLModel):
    items: list[ItemPublic]
    next_cursor: str | None = None


class Spread(BaseModel):
    """Ordinal levels counted, never averaged: how many at each level, the median (the lowest level at which
    half are counted) and how many are at the "strong" level or above."""

    distribution: list[int] = Field(description="How many at each level of the scale, level 1 first")
    counted: int
    median: int | None
    strong_or_above: int
    strong_share: float | None = Field(description="strong_or_above / counted, 4 places")


class CriterionResult(Spread):
    code: str


class CriterionShown(BaseModel):
    code: str
    title_th: str
    weight: int


class Change(BaseModel):
    """Against the previous published round of the same framework over the same area."""

    previous_median: int | None
    median_change: int | None
    previous_strong_share: float | None
    strong_share_change: float | None


class GroupResult(BaseModel):
    area_code: str = Field(description="The tambon, province, CODI region or TH the row gathers")
    areas_in_round: int
    areas_scored: int = Field(description="Areas with every criterion's agreed level")
    coverage: float = Field(description="areas_scored / areas_in_round, 4 places")
    overall: Spread = Field(description="The areas' overall levels: each the weighted median of its criteria")
    criteria: list[CriterionResult]
    change: Change | None = None


class Progress(BaseModel):
    """Toward strong communities everywhere by the target year: tambons at "strong" or above."""

    target_year: int
    years_left: int
    tambons_in_round: int
    tambons_strong_or_above: int
    share: float


class Results(BaseModel):
    round_id: uuid.UUID
    framework_id: uuid.UUID
    framework_version_no: int
    grouped_by: str
    levels: list[str] = Field(description="The scale's labels, level 1 first")
    criteria: list[CriterionShown] = Field(
        description="The framework version's criteria, as the groups list them"
    )
    strong_from: int = Field(description='The level counted as "strong": the upper half of the scale')
    counted: str = Field(description="published: the public's; reviewed: the staff's, before publication")
    previous_round_id: uuid.UUID | None
    whole: GroupResult
    groups: list[GroupResult]
    progress: Progress | None


class Contribution(BaseModel):
    code: str
    weight: int
    strong_share: float | None
    contribution: int = Field(
        description="round(10000 × weight × strong / (Σ weights × counted)): hundredths of a score point"
    )


class Ranked(BaseModel):
    rank: int
    province_code: str
    score: int = Field(description="Σ contributions: 0–10000, hundredths of a point out of 100")
    coverage: float
    tambons_at_top: int
    contributions: list[Contribution]


class Ranking(BaseModel):
    round_id: uuid.UUID
    for_fiscal_year: int
    method: str
    provinces: list[Ranked]


class ReportPublic(BaseModel):
    id: uuid.UUID
    round_id: uuid.UUID
    status: str = Field(description="queued → running → completed (or failed)")
    steps_total: int
    steps_done: int
    download: str | None = Field(description="Where the XLSX is, once completed")
    created_at: datetime
    finished_at: datetime | None
