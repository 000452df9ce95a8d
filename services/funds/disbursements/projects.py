"""The plans project a disbursement serves, checked against the plans service's API (never its tables) with
the funds service's own token: an unknown project is 422 at `/project_id`, plans down is 503 and nothing is
written."""

from __future__ import annotations

import uuid
from functools import cache

from services.common.geo import covers, province_of
from services.common.i18n import Text
from services.common.peers import Peer
from services.common.settings import get_settings
from services.funds.funds.models import Fund
from services.funds.problems import invalid_field


@cache
def plans() -> Peer:
    settings = get_settings()
    return Peer(settings, caller="funds", name="plans", base_url=settings.plans_url)


async def check_project(fund: Fund, project_id: uuid.UUID) -> None:
    """The project exists and belongs to the fund's area (its province, or one the fund's area covers)."""
    response = await plans().get(f"/v1/projects/{project_id}")
    if response.status_code == 404:
        raise invalid_field(
            "/project_id",
            Text(f"There is no project {project_id} in plans.", f"ไม่พบโครงการ รหัส {project_id} ในระบบแผนงาน"),
        )
    province = str(response.json()["province_code"])
    if not (covers(fund.area_code, province) or province_of(fund.area_code) == province):
        raise invalid_field(
            "/project_id",
            Text(
                f"Project {project_id} is province {province}'s: this fund serves {fund.area_code}.",
                f"โครงการ {project_id} เป็นของจังหวัด {province} แต่กองทุนนี้ดูแลพื้นที่ {fund.area_code}",
            ),
        )
