from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import SQLModel

from services.common.types import AreaCode, Name
from services.funds.funds.models import FundBase, FundKind


class FundCreate(SQLModel):
    name_th: Name
    kind: FundKind
    area_code: AreaCode


class FundPublic(FundBase):
    id: uuid.UUID
    created_at: datetime
    updated_at: datetime
