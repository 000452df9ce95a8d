"""The assessment service's problem types (RFC 9457), in the one hierarchy of services/common/errors.py."""

from __future__ import annotations

import uuid

from services.common import errors
from services.common.i18n import Text


class BuiltinFramework(errors.Conflict):
    slug = "builtin-framework"
    title = Text("A built-in framework is read-only", "กรอบการประเมินมาตรฐานแก้ไขไม่ได้")
    default_detail = Text(
        "CODI's frameworks stay as they are: copy its levels and criteria into a framework of your own.",
        "กรอบของ พอช. คงไว้ตามเดิม กรุณาคัดลอกระดับและเกณฑ์ไปสร้างกรอบของพื้นที่เอง",
    )


class FrameworkSuperseded(errors.Conflict):
    """Only a family's newest version is edited."""

    slug = "framework-superseded"
    title = Text("A newer version of this framework exists", "กรอบการประเมินนี้มีฉบับใหม่กว่าแล้ว")

    def __init__(self, *, newer_id: uuid.UUID) -> None:
        super().__init__(
            Text(
                f"Version {newer_id} replaced this one: edit that.",
                f"ฉบับ {newer_id} มาแทนฉบับนี้แล้ว กรุณาแก้ไขฉบับนั้น",
            ),
            extensions={"newer_id": str(newer_id), "location": f"/v1/frameworks/{newer_id}"},
        )
