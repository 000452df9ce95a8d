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


class WrongStage(errors.Conflict):
    """A round or an item is not at the stage the action needs (`current_status` says where it is)."""

    slug = "wrong-stage"
    title = Text("Not possible at this stage", "ทำรายการนี้ไม่ได้ในขั้นตอนปัจจุบัน")

    def __init__(self, *, what: Text, status: str, status_th: str, action: Text) -> None:
        super().__init__(
            Text(
                f"The {what.en} is {status}: it cannot be {action.en}.",
                f"{what.th}อยู่ในสถานะ{status_th} จึง{action.th}ไม่ได้",
            ),
            extensions={"current_status": status},
        )


class RoundNotOpen(errors.Conflict):
    """Scores are taken only while a round is open, up to its closing day."""

    slug = "round-not-open"
    title = Text("The round is not taking scores", "รอบการประเมินนี้ไม่รับคะแนน")

    def __init__(self, *, status: str, closes_on: str) -> None:
        super().__init__(
            Text(
                f"The round is {status} (it takes scores while open, up to {closes_on}).",
                f"รอบการประเมินอยู่ในสถานะ {status} (รับคะแนนเฉพาะเมื่อเปิดอยู่ ถึงวันที่ {closes_on})",
            ),
            extensions={"current_status": status, "closes_on": closes_on},
        )


class DialogueNeeded(errors.Conflict):
    """Where the community's level and the team's differ, the item is reviewed only with a dialogue note."""

    slug = "dialogue-needed"
    title = Text("The two sides differ: a dialogue note is needed", "ผลประเมินสองฝ่ายต่างกัน ต้องบันทึกการพูดคุย")

    def __init__(self, *, self_level: int, team_level: int) -> None:
        super().__init__(
            Text(
                f"The community says level {self_level} and the team {team_level}: record what the dialogue "
                "between them concluded (dialogue_note) to review it.",
                f"ชุมชนประเมินระดับ {self_level} ทีมประเมินระดับ {team_level} กรุณาบันทึกข้อสรุปจากการพูดคุย"
                "ระหว่างสองฝ่าย (dialogue_note) ก่อนทบทวน",
            ),
            extensions={"self_level": self_level, "team_level": team_level},
        )
