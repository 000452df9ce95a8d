from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import Field
from sqlmodel import SQLModel

from services.common.resources import Shown
from services.common.types import Day, LongText, Name, PatchModel, RequestBody, Sentence
from services.plans.agreements.models import AgreementBase, SignatoryRole
from services.plans.partners.models import Sector


class AgreementCreate(RequestBody):
    """A project's one cooperation agreement: a second is 409 `agreement-exists`."""

    project_id: uuid.UUID
    title_th: Name
    summary: LongText = ""
    signed_on: Day | None = None


class AgreementAmend(PatchModel):
    """An amendment: the fields it changes and why (kept, with what each field was)."""

    title_th: Name | None = None
    summary: LongText | None = None
    signed_on: Day | None = None
    reason: Sentence = Field(description="Why it was amended (public, like the agreement)")


class SignatoryCreate(RequestBody):
    partner_id: uuid.UUID
    role: SignatoryRole = SignatoryRole.signatory
    signed_on: Day | None = None


class SignatoryPublic(SQLModel):
    """A signatory as an organisation (partners are organisations; nobody's name is here)."""

    partner_id: uuid.UUID
    name_th: str
    name_en: str | None
    sector: Sector
    role: SignatoryRole
    signed_on: date | None


class AgreementPublic(Shown, AgreementBase):
    signatories: list[SignatoryPublic] = Field(default_factory=list)


class AmendmentPublic(SQLModel):
    version: int
    reason: str
    changes: dict[str, Any] = Field(description="field → {before, after}")
    amended_at: datetime
