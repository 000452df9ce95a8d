"""The plans service's problem types (RFC 9457), in the one hierarchy of services/common/errors.py."""

from __future__ import annotations

import uuid

from services.common import errors
from services.common.i18n import Text


class ProjectExists(errors.Conflict):
    """One province, one project: the province already has its project of that fiscal year."""

    slug = "project-exists"
    title = Text(
        "The province already has its project for this fiscal year", "จังหวัดนี้มีโครงการของปีงบประมาณนี้แล้ว"
    )

    def __init__(self, *, existing_id: uuid.UUID, province_code: str, fiscal_year: int) -> None:
        super().__init__(
            Text(
                f"Province {province_code} has project {existing_id} for fiscal year {fiscal_year}: "
                "revise that one (one province, one project).",
                f"จังหวัด {province_code} มีโครงการ {existing_id} ของปีงบประมาณ {fiscal_year} แล้ว "
                "กรุณาปรับปรุงโครงการนั้น (หนึ่งจังหวัด หนึ่งโครงการ)",
            ),
            extensions={"existing_id": str(existing_id), "location": f"/v1/projects/{existing_id}"},
        )
