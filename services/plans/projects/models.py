from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from services.common.models import choice
from services.common.resources import Stored, paging_indexes, trigram_indexes
from services.plans.db import SCHEMA


class ProjectStatus(StrEnum):
    planned = "planned"
    active = "active"
    completed = "completed"
    cancelled = "cancelled"


class ProjectBase(SQLModel):
    province_code: str = Field(max_length=2, index=True, description="DOPA province code, e.g. 93")
    fiscal_year: int = Field(description="Buddhist-era fiscal year (ปีงบประมาณ), e.g. 2570")
    title_th: str = Field(max_length=300, description="Title in Thai (โครงการบูรณาการ)")
    summary: str = Field(default="", max_length=20_000, description="What the province means to do, and why")
    status: ProjectStatus = Field(default=ProjectStatus.planned, sa_type=choice(ProjectStatus))


class Project(ProjectBase, Stored, table=True):
    """A province's one integrated project of a fiscal year (หนึ่งจังหวัด หนึ่งโครงการ): the database holds
    at most one per province and year, so two people opening it at once get one project and one 409. Its
    progress is kept beside its activities (Σ weight × progress and Σ weight, changed in the transaction that
    changes an activity), so reading it costs one row."""

    __tablename__ = "projects"
    __table_args__ = (
        UniqueConstraint("province_code", "fiscal_year", name="uq_projects_province_year"),
        CheckConstraint("weight_total >= 0 AND weighted_progress >= 0", name="ck_projects_progress"),
        *paging_indexes("projects"),
        *trigram_indexes("projects", "title_th", "summary"),
        {"schema": SCHEMA},
    )

    weighted_progress: int = Field(default=0, description="Σ weight × progress_percent of its activities")
    weight_total: int = Field(default=0, description="Σ weight of its activities")


class ActivityIssue(StrEnum):
    """What an activity works on (the agenda's themes and the report's examples: housing, a crab bank…)."""

    housing = "housing"
    welfare = "welfare"
    land = "land"
    crab_bank = "crab_bank"
    water = "water"
    agriculture = "agriculture"
    debt = "debt"
    savings = "savings"
    environment = "environment"
    health = "health"
    education = "education"
    economy = "economy"
    culture = "culture"
    disaster = "disaster"
    other = "other"


class ActivityBase(SQLModel):
    project_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.projects.id", index=True)
    area_code: str = Field(max_length=6, index=True, description="Where it happens: the province or a tambon")
    title_th: str = Field(max_length=300, description="Title in Thai")
    issue: ActivityIssue = Field(sa_type=choice(ActivityIssue, 32))
    responsible_partner: str | None = Field(
        default=None,
        max_length=300,
        description="Who carries it out (a recorded partner's name, or any group's)",
    )
    responsible_partner_id: uuid.UUID | None = Field(
        default=None,
        foreign_key=f"{SCHEMA}.partners.id",
        description="The recorded partner that carries it out",
    )
    budget_satang: int = Field(default=0, sa_type=BigInteger, description="Planned budget in satang")
    weight: int = Field(default=1, description="Its share of the project's progress (1–100)")
    progress_percent: int = Field(default=0, description="How far along it is, 0–100")


class Activity(ActivityBase, Stored, table=True):
    """One activity of a project (a housing scheme, a crab bank in a tambon…), weighted in its progress."""

    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint("weight BETWEEN 1 AND 100", name="ck_activities_weight"),
        CheckConstraint("progress_percent BETWEEN 0 AND 100", name="ck_activities_progress"),
        CheckConstraint("budget_satang >= 0", name="ck_activities_budget"),
        *paging_indexes("activities"),
        *trigram_indexes("activities", "title_th"),
        {"schema": SCHEMA},
    )


class MilestoneBase(SQLModel):
    project_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.projects.id", index=True)
    province_code: str = Field(max_length=2, description="The project's province")
    title_th: str = Field(max_length=300, description="What is to be reached, in Thai")
    due_on: date = Field(description="The day it is due (Bangkok calendar)")
    reached_on: date | None = Field(default=None, description="The day it was reached; null until then")


class Milestone(MilestoneBase, Stored, table=True):
    """A point a project means to reach by a day (the agreement signed, the first houses handed over…)."""

    __tablename__ = "project_milestones"
    __table_args__ = (
        Index("ix_project_milestones_due", "project_id", "due_on"),
        *paging_indexes("project_milestones"),
        {"schema": SCHEMA},
    )
