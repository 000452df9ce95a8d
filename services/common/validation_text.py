"""Thai wording for validation errors, keyed by pydantic's stable error types."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_THAI: dict[str, str] = {
    "missing": "จำเป็นต้องระบุ",
    "extra_forbidden": "ไม่รู้จักช่องนี้",
    "string_type": "ต้องเป็นข้อความ",
    "string_too_short": "ต้องยาวอย่างน้อย {min_length} ตัวอักษร",
    "string_too_long": "ต้องยาวไม่เกิน {max_length} ตัวอักษร",
    "string_pattern_mismatch": "รูปแบบไม่ถูกต้อง",
    "int_type": "ต้องเป็นจำนวนเต็ม",
    "int_parsing": "ต้องเป็นจำนวนเต็ม",
    "int_from_float": "ต้องเป็นจำนวนเต็ม ไม่มีทศนิยม",
    "float_type": "ต้องเป็นตัวเลข",
    "float_parsing": "ต้องเป็นตัวเลข",
    "bool_type": "ต้องเป็นจริงหรือเท็จ",
    "bool_parsing": "ต้องเป็นจริงหรือเท็จ",
    "greater_than": "ต้องมากกว่า {gt}",
    "greater_than_equal": "ต้องมากกว่าหรือเท่ากับ {ge}",
    "less_than": "ต้องน้อยกว่า {lt}",
    "less_than_equal": "ต้องน้อยกว่าหรือเท่ากับ {le}",
    "enum": "ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: {expected}",
    "literal_error": "ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: {expected}",
    "json_invalid": "JSON ไม่ถูกต้อง",
    "json_type": "ต้องเป็น JSON",
    "model_attributes_type": "ต้องเป็นออบเจกต์ JSON",
    "dict_type": "ต้องเป็นออบเจกต์ JSON",
    "model_type": "ต้องเป็นออบเจกต์ JSON",
    "list_type": "ต้องเป็นรายการ",
    "too_short": "ต้องมีอย่างน้อย {min_length} รายการ",
    "too_long": "ต้องมีไม่เกิน {max_length} รายการ",
    "uuid_type": "ต้องเป็น UUID",
    "uuid_parsing": "ต้องเป็น UUID",
    "date_type": "ต้องเป็นวันที่ (YYYY-MM-DD)",
    "date_parsing": "ต้องเป็นวันที่ (YYYY-MM-DD)",
    "date_from_datetime_parsing": "ต้องเป็นวันที่ (YYYY-MM-DD)",
    "datetime_type": "ต้องเป็นวันเวลาแบบ RFC 3339",
    "datetime_parsing": "ต้องเป็นวันเวลาแบบ RFC 3339",
    "datetime_from_date_parsing": "ต้องเป็นวันเวลาแบบ RFC 3339",
    "url_parsing": "ต้องเป็น URL",
    "url_scheme": "URL ต้องขึ้นต้นด้วย {expected_schemes}",
    "unknown_area": "ไม่พบรหัสพื้นที่ {code} ในบัญชีพื้นที่ทางการ (DOPA)",
    "area_level": "รหัสพื้นที่ {code} ต้องเป็นรหัสจังหวัด 2 หลัก",
    "blank_text": "ต้องไม่เป็นข้อความว่าง",
    "null_not_allowed": "ห้ามเป็น null หากไม่ต้องการแก้ไขช่องนี้ให้เว้นไว้",
    "nul_character": "ต้องไม่มีอักขระ NUL (U+0000)",
}


def thai_validation_message(error_type: str, context: Mapping[str, Any], fallback: str) -> str:
    template = _THAI.get(error_type)
    if template is None:
        return fallback
    context = {key: str(value).replace(" or ", " หรือ ") for key, value in context.items()}
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return template.split("{", 1)[0].strip() or fallback
