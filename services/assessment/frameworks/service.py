"""Assessment frameworks (กรอบการประเมิน): rubrics of criteria judged on one ordered scale, with descriptors
per level and weights. CODI's built-ins (the 10 success factors, the 3-level community-strength scale, …)
are read-only; anyone may copy one. Versioned: a version a round has used never changes — an edit of it is
the family's next version — so an old round's results keep their meaning."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.frameworks import repository
from services.assessment.frameworks.access import FRAMEWORK_AUTHORS
from services.assessment.frameworks.models import Framework
from services.assessment.frameworks.repository import FRAMEWORKS
from services.assessment.frameworks.schemas import FrameworkCreate, FrameworkEdit, FrameworkPublic
from services.assessment.problems import BuiltinFramework, FrameworkSuperseded
from services.common import errors
from services.common.auth import Principal
from services.common.i18n import Text
from services.common.models import ExpectedVersions
from services.common.pagination import Page, PageRequest
from services.common.resources import confined

log = structlog.get_logger()


async def create(session: AsyncSession, principal: Principal, data: FrameworkCreate) -> FrameworkPublic:
    """Write a framework's first version."""
    rubric = data.model_dump(mode="json", include={"levels", "criteria"})
    _check_rubric(rubric["levels"], rubric["criteria"], kind=errors.ValidationFailed)
    framework_id = uuid.uuid4()
    fields = Framework(
        id=framework_id,
        family_id=framework_id,
        version_no=1,
        **data.model_dump(mode="json"),
        created_by=principal.subject,
    )
    return await FRAMEWORKS.create(session, principal, fields, may=FRAMEWORK_AUTHORS)


async def edit(
    session: AsyncSession,
    principal: Principal,
    framework_id: uuid.UUID,
    data: FrameworkEdit,
    expected_version: ExpectedVersions,
) -> tuple[FrameworkPublic, bool]:
    """Edit the newest version of a framework: in place while no round has used it; otherwise the edit is the
    next version and this one stays as it was (returns it and whether it is a new version)."""
    framework = await FRAMEWORKS.locked(session, principal, framework_id, may=FRAMEWORK_AUTHORS)
    if framework.builtin:
        raise BuiltinFramework()
    if framework.superseded_by is not None:
        raise FrameworkSuperseded(newer_id=framework.superseded_by)
    changes = data.model_dump(mode="json", exclude_unset=True)
    levels, criteria = changes.get("levels", framework.levels), changes.get("criteria", framework.criteria)
    both_sent = "levels" in changes and "criteria" in changes
    _check_rubric(levels, criteria, kind=errors.ValidationFailed if both_sent else errors.Conflict)
    if not framework.in_use:
        await FRAMEWORKS.revise(session, framework, changes, expected_version=expected_version)
        return FRAMEWORKS.shown(framework), False
    successor_id = uuid.uuid4()
    await FRAMEWORKS.revise(
        session, framework, {"superseded_by": successor_id}, expected_version=expected_version
    )
    fields = {
        name: getattr(framework, name) for name in ("family_id", "key", "title_th", "title_en", "description")
    }
    successor = Framework(
        **(fields | changes | {"levels": levels, "criteria": criteria}),
        id=successor_id,
        version_no=await repository.last_version_no(session, framework.family_id) + 1,
        area_code=framework.area_code,
        created_by=principal.subject,
    )
    shown = await FRAMEWORKS.add(session, successor)
    log.info("framework.versioned", family_id=str(framework.family_id), version_no=successor.version_no)
    return shown, True


def _check_rubric(levels: list[Any], criteria: list[Any], *, kind: type[errors.Problem]) -> None:
    """Each criterion's code appears once; its descriptors, if any, are one per level. 422 when the body says
    both; 409 when one side is the stored framework's."""
    seen: set[str] = set()
    for index, criterion in enumerate(criteria):
        if criterion["code"] in seen:
            raise errors.at_field(
                errors.ValidationFailed,
                f"/criteria/{index}/code",
                Text(
                    f"Criterion code {criterion['code']} appears twice.", f"รหัสเกณฑ์ {criterion['code']} ซ้ำกัน"
                ),
            )
        seen.add(criterion["code"])
        described = len(criterion.get("descriptors") or [])
        if described not in (0, len(levels)):
            raise errors.at_field(
                kind,
                f"/criteria/{index}/descriptors",
                Text(
                    f"The scale has {len(levels)} levels: give one descriptor per level, or none "
                    f"({described} given).",
                    f"มาตรวัดมี {len(levels)} ระดับ ต้องมีคำอธิบายครบทุกระดับหรือไม่มีเลย (ให้มา {described})",
                ),
            )


async def get(session: AsyncSession, principal: Principal | None, framework_id: uuid.UUID) -> FrameworkPublic:
    return await FRAMEWORKS.read(session, principal, framework_id)


async def versions(
    session: AsyncSession, principal: Principal | None, framework_id: uuid.UUID
) -> list[FrameworkPublic]:
    """Every version of the framework's family, oldest first."""
    framework = await FRAMEWORKS.read(session, principal, framework_id)
    return [FRAMEWORKS.shown(row) for row in await repository.versions(session, framework.family_id)]


async def list_frameworks(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    key: str | None,
    every_version: bool,
    page: PageRequest,
) -> Page[FrameworkPublic]:
    """Frameworks of areas inside `area` (the built-ins are TH's), their newest versions unless asked."""
    statement = repository.listing(confined(principal, area), key=key, every_version=every_version)
    return await FRAMEWORKS.page(session, statement, page)
