from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import DateTime, Index
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from services.common.models import choice
from services.common.resources import Stored, paging_indexes, trigram_indexes
from services.plans.db import SCHEMA


class ForumBase(SQLModel):
    area_code: str = Field(
        max_length=12, index=True, description="Where it met: a province, district or tambon"
    )
    title_th: str = Field(max_length=300)
    held_on: date = Field(description="The day it met (Bangkok calendar)")
    agenda: list[str] = Field(
        default_factory=list, sa_type=JSONB, nullable=False, description="Its agenda items"
    )
    minutes: str = Field(default="", max_length=20_000, description="What was said and decided")
    attendance: dict[str, int] = Field(
        default_factory=dict, sa_type=JSONB, nullable=False, description="People attending, counted by sector"
    )


class Forum(ForumBase, Stored, table=True):
    """A central-space forum (เวทีพื้นที่กลาง): the area's people and partners meeting in the open, deciding
    resolutions that others follow up."""

    __tablename__ = "forums"
    __table_args__ = (*paging_indexes("forums"), {"schema": SCHEMA})

    attendee_names: list[str] = Field(
        default_factory=list,
        sa_type=JSONB,
        nullable=False,
        description="Names, kept for the area's staff only",
    )


class Resolution(Stored, table=True):
    """What a forum resolved (มติ), adopted when recorded; it may serve a project, a plan or an agenda item."""

    __tablename__ = "forum_resolutions"
    __table_args__ = (
        *paging_indexes("forum_resolutions"),
        *trigram_indexes("forum_resolutions", "text_th"),
        {"schema": SCHEMA},
    )

    forum_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.forums.id", index=True)
    area_code: str = Field(max_length=12, description="The forum's area")
    text_th: str = Field(max_length=2_000)
    project_id: uuid.UUID | None = Field(default=None, foreign_key=f"{SCHEMA}.projects.id")
    plan_id: uuid.UUID | None = Field(default=None, foreign_key=f"{SCHEMA}.plans.id")
    agenda_id: uuid.UUID | None = Field(default=None, foreign_key=f"{SCHEMA}.agendas.id")


class ActionStatus(StrEnum):
    open = "open"
    done = "done"
    dropped = "dropped"  # no longer to be done (the forum decided so)


class Action(Stored, table=True):
    """A follow-up of a resolution: who carries it (a partner) and by when."""

    __tablename__ = "forum_actions"
    __table_args__ = (
        Index("ix_forum_actions_due", "status", "due_on"),
        *paging_indexes("forum_actions"),
        {"schema": SCHEMA},
    )

    resolution_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.forum_resolutions.id", index=True)
    area_code: str = Field(max_length=12, description="The forum's area")
    title_th: str = Field(max_length=300)
    owner_partner_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.partners.id")
    due_on: date
    status: ActionStatus = Field(default=ActionStatus.open, sa_type=choice(ActionStatus))
    done_on: date | None = None
    overdue_announced_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
