"""Which event types an endpoint takes: exact types (`fund.created`), prefixes (`fund.*`) or `*`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from gateway.webhooks.catalogue import Catalogue
from gateway.webhooks.choices import EVERYTHING, MAX_PATTERNS
from services.common import errors
from services.common.i18n import Text

RETRY_AFTER_SECONDS = 10  # the merged document's refresh period (gateway/openapi/store.py)
_PREFIX = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)*\.\*$")


def matches(patterns: Iterable[str], event_type: str) -> bool:
    for pattern in patterns:
        if pattern in (EVERYTHING, event_type):
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


def validate_patterns(patterns: list[str], catalogue: Catalogue) -> list[str]:
    """Each pattern must name a catalogued type or a prefix of one (a typo would silently match nothing)."""
    known = catalogue.names
    unknown = [
        p
        for p in patterns
        if p != EVERYTHING and not (p in known or (_PREFIX.match(p) and any(matches([p], t) for t in known)))
    ]
    if unknown and catalogue.unseen:
        raise _types_not_known_yet(unknown, catalogue.unseen)
    if not patterns or len(patterns) > MAX_PATTERNS or unknown:
        detail = (
            Text(
                f"Unknown event types or prefixes: {', '.join(unknown)}.",
                f"ไม่รู้จักประเภทเหตุการณ์หรือคำนำหน้า: {', '.join(unknown)}",
            )
            if unknown
            else Text(
                f"Give between 1 and {MAX_PATTERNS} event types.",
                f"ระบุประเภทเหตุการณ์ 1 ถึง {MAX_PATTERNS} รายการ",
            )
        )
        raise errors.ValidationFailed(
            Text(
                f"{detail.en} Use exact types from GET /v1/webhooks/event-types, prefixes like fund.*, or *.",
                "ประเภทเหตุการณ์ไม่ถูกต้อง ใช้ชื่อจาก GET /v1/webhooks/event-types, คำนำหน้าเช่น fund.* หรือ *",
            ),
            extensions={"errors": [{"pointer": "/event_types", "detail": detail}], "known_types": known},
        )
    return sorted(set(patterns))


def _types_not_known_yet(unknown: list[str], unseen: Sequence[str]) -> errors.ServiceUnavailable:
    """A type may belong to a service the gateway has not heard from yet: a 503 to retry, not a refusal."""
    services = ", ".join(unseen)
    return errors.ServiceUnavailable(
        Text(
            f"Cannot check the event types {', '.join(unknown)} now: the event types of {services} are not "
            "known yet (it has not answered since the gateway started). Try again shortly.",
            f"ยังตรวจสอบประเภทเหตุการณ์ {', '.join(unknown)} ไม่ได้ในขณะนี้ เพราะยังไม่ทราบประเภทเหตุการณ์ของ "
            f"{services} (บริการยังไม่ตอบตั้งแต่ gateway เริ่มทำงาน) โปรดลองใหม่อีกครั้ง",
        ),
        extensions={"unknown": unknown, "unseen_services": list(unseen)},
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
