"""Frameworks as stored: every version a row, a family by its first version's id."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from services.assessment.frameworks.models import Framework
from services.assessment.frameworks.schemas import FrameworkPublic
from services.common.i18n import Text
from services.common.resources import AreaResource

FRAMEWORKS = AreaResource(
    model=Framework,
    public=FrameworkPublic,
    area_field="area_code",
    what=Text("framework", "กรอบการประเมิน"),
    aggregate="framework",
)


def listing(area: str | None, *, key: str | None, every_version: bool) -> SelectOfScalar[Framework]:
    statement = FRAMEWORKS.within(area, (Framework.key, key))
    if not every_version:
        statement = statement.where(col(Framework.superseded_by).is_(None))
    return statement


async def versions(session: AsyncSession, family_id: uuid.UUID) -> Sequence[Framework]:
    statement = select(Framework).where(Framework.family_id == family_id).order_by(col(Framework.version_no))
    return (await session.exec(statement)).all()


async def last_version_no(session: AsyncSession, family_id: uuid.UUID) -> int:
    statement = select(func.max(Framework.version_no)).where(Framework.family_id == family_id)
    return int((await session.exec(statement)).one() or 0)


async def mark_in_use(session: AsyncSession, framework: Framework) -> None:
    """A round has used this version: from now on an edit makes the next version."""
    if not framework.in_use:
        framework.in_use = True
        session.add(framework)
        await session.flush()
