from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import SQLModel

from services.common.types import AreaCode, Name, PatchModel
from services.funds.funds.models import FundBase, FundKind


class FundCreate(SQLModel):
    name_th: Name
    kind: FundKind
    area_code: AreaCode


class FundUpdate(PatchModel):
    """Fields left out stay as they are; the area of a fund never changes."""

    name_th: Name | None = None
    kind: FundKind | None = None


class FundPublic(FundBase):
    id: uuid.UUID
    version: int
    created_at: datetime
    updated_at: datetime
