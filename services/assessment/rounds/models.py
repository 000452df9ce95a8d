from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ARRAY, DateTime, ForeignKeyConstraint, Index, LargeBinary, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from services.assessment.db import SCHEMA
from services.common.models import Timestamped, Versioned, choice
from services.common.resources import Stored, paging_indexes


class RoundStatus(StrEnum):
    planned = "planned"  # written, not yet taking scores
    open = "open"  # taking scores until its closing day
    closed = "closed"  # refuses scores; items are reviewed
    published = "published"  # its reviewed results are public


class ScoredLevel(StrEnum):
    tambon = "tambon"
    province = "province"


class RoundBase(SQLModel):
    title_th: str = Field(max_length=300)
    framework_id: uuid.UUID = Field(
        foreign_key=f"{SCHEMA}.frameworks.id", index=True, description="The framework version scored"
    )
    fiscal_year: int = Field(description="Buddhist-era fiscal year, e.g. 2570")
    area_code: str = Field(
        max_length=12, index=True, description="Whose round: a province, a CODI region or TH"
    )
    scored_level: ScoredLevel = Field(sa_type=choice(ScoredLevel))
    areas: list[str] = Field(
        sa_type=ARRAY(String(12)), nullable=False, description="The areas scored (tambons or provinces)"
    )
    team_id: uuid.UUID = Field(
        foreign_key=f"{SCHEMA}.teams.id", index=True, description="The team that scores it"
    )
    opens_on: date
    closes_on: date = Field(description="The last day a score is taken")
    status: RoundStatus = Field(default=RoundStatus.planned, sa_type=choice(RoundStatus))
    opened_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    closed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    published_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class Round(RoundBase, Stored, table=True):
    """An assessment round (รอบการประเมิน): one framework version scored in a set of areas in a fiscal year
    by a team and by the communities themselves."""

    __tablename__ = "rounds"
    __table_args__ = (*paging_indexes("rounds"), {"schema": SCHEMA})


class ItemStatus(StrEnum):
    draft = "draft"  # being scored
    submitted = "submitted"  # both sides scored, sent for review: the scores are fixed
    reviewed = "reviewed"  # the team's lead agreed the level (after a dialogue where the sides differed)
    published = "published"  # public, with its round


class Item(Timestamped, Versioned, table=True):
    """One criterion in one area of a round: the community's own level and the team's, with comments and
    evidence; the level agreed at review is the one results count."""

    __tablename__ = "round_items"
    __table_args__ = (
        ForeignKeyConstraint(["round_id"], [f"{SCHEMA}.rounds.id"], name="fk_round_items_round"),
        Index("ix_round_items_round_criterion", "round_id", "criterion"),
        {"schema": SCHEMA},
    )

    round_id: uuid.UUID = Field(primary_key=True)
    area_code: str = Field(max_length=12, primary_key=True)
    criterion: str = Field(max_length=64, primary_key=True)
    self_level: int | None = None
    self_comment: str = Field(default="", max_length=2_000)
    self_evidence: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONB, nullable=False)
    self_by: str | None = Field(default=None, max_length=64)
    team_level: int | None = None
    team_comment: str = Field(default="", max_length=2_000)
    team_evidence: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONB, nullable=False)
    team_by: str | None = Field(default=None, max_length=64)
    flagged: bool = Field(default=False, description="The two sides differ by a level or more")
    dialogue_note: str | None = Field(default=None, max_length=2_000)
    level: int | None = Field(default=None, description="The level agreed at review: what results count")
    status: ItemStatus = Field(default=ItemStatus.draft, sa_type=choice(ItemStatus))
    submitted_by: str | None = Field(default=None, max_length=64)
    submitted_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    reviewed_by: str | None = Field(default=None, max_length=64)
    reviewed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class ReportStatus(StrEnum):
    queued = "queued"
    running = "running"
    completed = "completed"
    failed = "failed"


class RoundReport(Timestamped, Versioned, table=True):
    """An XLSX of a round's results per province, built by the assessment worker (its steps are its
    progress); the file is kept beside it once completed."""

    __tablename__ = "round_reports"
    __table_args__ = (
        ForeignKeyConstraint(["round_id"], [f"{SCHEMA}.rounds.id"], name="fk_round_reports_round"),
        {"schema": SCHEMA},
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    round_id: uuid.UUID = Field(index=True)
    requested_by: str = Field(max_length=64)
    status: ReportStatus = Field(default=ReportStatus.queued, sa_type=choice(ReportStatus))
    steps_total: int = 3  # results, ranking, the workbook
    steps_done: int = 0
    content: bytes | None = Field(default=None, sa_type=LargeBinary)
    finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
