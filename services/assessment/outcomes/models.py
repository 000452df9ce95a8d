from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Uuid
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from services.assessment.db import SCHEMA
from services.common.models import choice
from services.common.resources import Stored, paging_indexes, trigram_indexes


class ActorKind(StrEnum):
    """Whose behaviour, relationships, actions, policies or practice changed (Outcome Harvesting)."""

    organisation = "organisation"
    agency = "agency"  # a government agency
    local_government = "local_government"  # อปท.
    community = "community"


class OutcomeStatus(StrEnum):
    draft = "draft"  # harvested, the team's own
    substantiated = "substantiated"  # an independent person gave a verdict
    published = "published"  # public


class Verdict(StrEnum):
    agrees = "agrees"
    partly = "partly"
    disagrees = "disagrees"


class OutcomeBase(SQLModel):
    title_th: str = Field(max_length=300, description="The change in one line")
    description: str = Field(default="", max_length=20_000, description="What changed, observably")
    actor_name: str = Field(max_length=300, description="The social actor that changed")
    actor_kind: ActorKind = Field(sa_type=choice(ActorKind, 32))
    occurred_on: date = Field(description="When the change was seen")
    area_code: str = Field(max_length=12, index=True, description="Where")
    intended: bool = Field(description="Whether the work set out to bring it about")
    positive: bool = Field(description="Whether it is for the better")
    significance: str = Field(default="", max_length=20_000, description="Why it matters")
    contribution: str = Field(default="", max_length=20_000, description="How the supported work contributed")
    change_agent: str = Field(max_length=300, description="Who reported it (a group or an organisation)")
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONB, nullable=False)
    lesson_ids: list[uuid.UUID] = Field(default_factory=list, sa_type=ARRAY(Uuid), nullable=False)
    team_id: uuid.UUID = Field(
        foreign_key=f"{SCHEMA}.teams.id", description="The outcome team that harvested it"
    )
    status: OutcomeStatus = Field(default=OutcomeStatus.draft, sa_type=choice(OutcomeStatus))
    substantiator: str | None = Field(
        default=None, max_length=300, description="The independent person asked"
    )
    verdict: Verdict | None = Field(default=None, sa_type=choice(Verdict))
    verdict_note: str | None = Field(default=None, max_length=2_000)
    substantiated_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    published_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class Outcome(OutcomeBase, Stored, table=True):
    """An outcome harvested by an outcome team (Wilson-Grau): an observable change in a social actor, its
    significance and how the supported work contributed, substantiated by an independent person."""

    __tablename__ = "outcomes"
    __table_args__ = (
        *trigram_indexes("outcomes", "title_th", "description"),
        *paging_indexes("outcomes"),
        {"schema": SCHEMA},
    )
