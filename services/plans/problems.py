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


class PeriodLocked(errors.Conflict):
    """A tambon's period that is verified, or a province's that is certified, takes no new figures."""

    slug = "period-locked"
    title = Text("The period is locked", "ช่วงเวลานี้ถูกล็อกแล้ว")

    def __init__(self, *, area_code: str, period: str, locked_by: str) -> None:
        by_th = {"certification": "จังหวัดรับรองแล้ว", "verification": "ตำบลยืนยันแล้ว"}[locked_by]
        super().__init__(
            Text(
                f"{area_code}'s figures for {period} are locked by {locked_by}: "
                + (
                    "a national user may reopen the province's period."
                    if locked_by == "certification"
                    else "the province may send the tambon back."
                ),
                f"ข้อมูลของ {area_code} ช่วง {period} ถูกล็อก ({by_th}) "
                + (
                    "ผู้ใช้ระดับประเทศเปิดช่วงเวลาของจังหวัดใหม่ได้"
                    if locked_by == "certification"
                    else "จังหวัดส่งกลับให้ตำบลแก้ไขได้"
                ),
            ),
            extensions={"locked_by": locked_by, "area_code": area_code, "period": period},
        )


class TambonsUnverified(errors.Conflict):
    """A province certifies a period only once every tambon with data has verified it."""

    slug = "tambons-unverified"
    title = Text("Some tambons have not verified the period", "ยังมีตำบลที่ไม่ได้ยืนยันข้อมูล")

    def __init__(self, *, province_code: str, period: str, tambons: list[str]) -> None:
        super().__init__(
            Text(
                f"Province {province_code} cannot certify {period} yet: {len(tambons)} tambon(s) with data "
                "have "
                f"not verified it ({', '.join(tambons[:20])}{'…' if len(tambons) > 20 else ''}).",
                f"จังหวัด {province_code} ยังรับรองช่วง {period} ไม่ได้ มี {len(tambons)} ตำบลที่มีข้อมูลแต่ยังไม่ยืนยัน",
            ),
            extensions={"unverified_tambons": tambons},
        )


class UpdatesPending(errors.Conflict):
    """A tambon verifies its period once no submitted update is waiting for review."""

    slug = "updates-pending"
    title = Text("Updates are waiting for review", "ยังมีข้อมูลที่รอการตรวจ")

    def __init__(self, *, area_code: str, period: str, updates: list[uuid.UUID]) -> None:
        super().__init__(
            Text(
                f"{len(updates)} submitted update(s) of {area_code} for {period} wait for a reviewer: "
                "approve or "
                "return them first.",
                f"มีข้อมูล {len(updates)} รายการของ {area_code} ช่วง {period} ที่รอการตรวจ กรุณาอนุมัติหรือส่งกลับก่อน",
            ),
            extensions={"pending_updates": [str(update) for update in updates]},
        )


class NotTheAuthor(errors.Forbidden):
    slug = "not-the-author"
    title = Text("Only its author may do this", "ทำได้เฉพาะผู้บันทึกข้อมูล")
    default_detail = Text(
        "Only the person who entered the update revises or submits it.",
        "เฉพาะผู้บันทึกข้อมูลเท่านั้นที่แก้ไขหรือส่งข้อมูลได้",
    )


class OwnUpdate(errors.Forbidden):
    slug = "own-update"
    title = Text("You cannot review your own update", "ผู้บันทึกตรวจข้อมูลของตนเองไม่ได้")
    default_detail = Text(
        "Another person approves or returns it (maker-checker).",
        "ต้องให้ผู้อื่นเป็นผู้อนุมัติหรือส่งกลับ (ผู้บันทึกกับผู้ตรวจต้องเป็นคนละคน)",
    )


class AgreementExists(errors.Conflict):
    """A project has one cooperation agreement, signed by many partners."""

    slug = "agreement-exists"
    title = Text("The project already has its agreement", "โครงการนี้มีข้อตกลงความร่วมมือแล้ว")

    def __init__(self, *, existing_id: uuid.UUID, project_id: uuid.UUID) -> None:
        super().__init__(
            Text(
                f"Project {project_id} has agreement {existing_id}: amend that one, or add its signatories.",
                f"โครงการ {project_id} มีข้อตกลง {existing_id} แล้ว กรุณาแก้ไขข้อตกลงนั้นหรือเพิ่มผู้ลงนาม",
            ),
            extensions={"existing_id": str(existing_id), "location": f"/v1/agreements/{existing_id}"},
        )


class AlreadySigned(errors.Conflict):
    slug = "already-signed"
    title = Text("This partner has already signed", "ภาคีนี้ลงนามแล้ว")
    default_detail = Text(
        "Each partner signs an agreement once, in one role.", "แต่ละภาคีลงนามในข้อตกลงได้ครั้งเดียว ในบทบาทเดียว"
    )


class PlansBeyondHorizon(errors.Conflict):
    """A strategy's horizon is where its long plans end: it cannot move before a plan's last year."""

    slug = "plans-beyond-horizon"
    title = Text("Some plans run past that horizon", "มีแผนที่สิ้นสุดหลังปีเป้าหมายนั้น")

    def __init__(self, *, horizon_year: int, plans: list[uuid.UUID]) -> None:
        super().__init__(
            Text(
                f"{len(plans)} plan(s) of this strategy run past {horizon_year}: shorten them first.",
                f"มีแผน {len(plans)} แผนของยุทธศาสตร์นี้ที่สิ้นสุดหลังปี {horizon_year} กรุณาปรับแผนเหล่านั้นก่อน",
            ),
            extensions={"plans": [str(plan) for plan in plans]},
        )


class PastTheHorizon(errors.Conflict):
    """A plan ends by its strategy's horizon; a long plan runs to it."""

    slug = "past-the-horizon"
    title = Text("The plan does not fit the strategy's horizon", "แผนไม่ตรงกับปีเป้าหมายของยุทธศาสตร์")

    def __init__(self, *, horizon_year: int, end_fiscal_year: int, long: bool) -> None:
        super().__init__(
            Text(
                f"The strategy's horizon is {horizon_year}: a long plan ends then"
                if long
                else f"The strategy's horizon is {horizon_year}: one ending {end_fiscal_year} runs past it",
                f"ปีเป้าหมายของยุทธศาสตร์คือ {horizon_year} แผนระยะยาวต้องสิ้นสุดปีนั้น"
                if long
                else f"ปีเป้าหมายของยุทธศาสตร์คือ {horizon_year} แผนที่สิ้นสุดปี {end_fiscal_year} เกินปีเป้าหมาย",
            ),
            extensions={"horizon_year": horizon_year, "end_fiscal_year": end_fiscal_year},
        )
