"""Every validation message a request can meet has Thai wording: pydantic's own error types and ours."""

from __future__ import annotations

import re
import typing
from pathlib import Path

from pydantic_core.core_schema import ErrorType

from services.common.validation_text import NOT_FROM_A_REQUEST, has_thai, thai_validation_message

ROOT = Path(__file__).resolve().parents[2]
CUSTOM_ERROR = re.compile(r'PydanticCustomError\(\s*"([a-z_]+)"')


def test_every_pydantic_error_type_a_request_can_raise_reads_in_thai() -> None:
    from_requests = set(typing.get_args(ErrorType)) - NOT_FROM_A_REQUEST

    assert sorted(t for t in from_requests if not has_thai(t)) == []


def test_every_error_type_of_our_own_reads_in_thai() -> None:
    ours = {
        found
        for folder in ("services", "gateway")
        for path in (ROOT / folder).rglob("*.py")
        for found in CUSTOM_ERROR.findall(path.read_text(encoding="utf-8"))
    }

    assert {"nul_character", "no_letter", "bidi_control", "unknown_area"} <= ours
    assert sorted(t for t in ours if not has_thai(t)) == []


def test_a_message_fills_in_its_limits_and_falls_back_to_english_only_for_an_unknown_type() -> None:
    assert thai_validation_message("string_too_long", {"max_length": 300}, "x") == "ต้องยาวไม่เกิน 300 ตัวอักษร"
    assert thai_validation_message("no_such_type", {}, "Input is wrong") == "Input is wrong"
