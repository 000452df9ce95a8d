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
    "national_id_username": "ต้องไม่เป็นตัวเลข 13 หลักแบบเลขประจำตัวประชาชน",
    "datetime_out_of_range": "ต้องเป็นเวลาระหว่างปี ค.ศ. 1 ถึง 9999 ตามเวลา UTC",
    "url_parsing": "ต้องเป็น URL",
    "url_scheme": "URL ต้องขึ้นต้นด้วย {expected_schemes}",
    "unknown_area": "ไม่พบรหัสพื้นที่ {code} ในบัญชีพื้นที่ทางการ (DOPA)",
    "area_level": "รหัสพื้นที่ {code} ต้องเป็นรหัสจังหวัด 2 หลัก",
    "blank_text": "ต้องไม่เป็นข้อความว่าง",
    "not_distinct": "แต่ละรายการต้องไม่ซ้ำกัน",
    "null_not_allowed": "ห้ามเป็น null หากไม่ต้องการแก้ไขช่องนี้ให้เว้นไว้",
    "nul_character": "ต้องไม่มีอักขระ NUL (U+0000)",
    "no_letter": "ต้องมีตัวอักษรหรือตัวเลขที่มองเห็นได้อย่างน้อยหนึ่งตัว",
    "bidi_control": "ต้องไม่มีอักขระควบคุมทิศทางข้อความ (U+202A–U+202E, U+2066–U+2069)",
    "buddhist_era_year": "ปี {year} ดูเหมือนเป็นปีพุทธศักราช กรุณาส่งวันที่แบบคริสต์ศักราช เช่น {suggested}",
    "implausible_date": "วันที่ต้องอยู่ระหว่าง {earliest} ถึง {latest}",
    "national_id_format": "เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก",
    "national_id_check": "เลขประจำตัวประชาชนไม่ถูกต้อง (เลขตรวจสอบหลักสุดท้ายไม่ตรง)",
    "christian_era_fiscal_year": "ปีงบประมาณ {year} ดูเหมือนเป็นปีคริสต์ศักราช ปีงบประมาณเป็นปีพุทธศักราช เช่น {suggested}",
    "timezone_aware": "ต้องระบุเขตเวลา เช่น 2026-12-01T09:00:00+07:00 หรือ …Z",
    "timezone_naive": "ต้องไม่ระบุเขตเวลา",
    "timezone_offset": "เขตเวลาต้องเป็น {tz_expected}",
    "date_past": "ต้องเป็นวันที่ในอดีต",
    "date_future": "ต้องเป็นวันที่ในอนาคต",
    "datetime_past": "ต้องเป็นเวลาในอดีต",
    "datetime_future": "ต้องเป็นเวลาในอนาคต",
    "date_from_datetime_inexact": "ต้องเป็นวันที่ โดยไม่มีเวลา (YYYY-MM-DD)",
    "datetime_object_invalid": "วันเวลาไม่ถูกต้อง",
    "time_type": "ต้องเป็นเวลา (HH:MM:SS)",
    "time_parsing": "ต้องเป็นเวลา (HH:MM:SS)",
    "time_delta_type": "ต้องเป็นช่วงเวลา (ISO 8601 เช่น P1D)",
    "time_delta_parsing": "ต้องเป็นช่วงเวลา (ISO 8601 เช่น P1D)",
    "int_parsing_size": "จำนวนเต็มใหญ่เกินกว่าที่รับได้",
    "multiple_of": "ต้องเป็นพหุคูณของ {multiple_of}",
    "finite_number": "ต้องเป็นตัวเลขที่มีค่าจำกัด (ไม่ใช่ NaN หรือ infinity)",
    "string_unicode": "ต้องเป็นข้อความ Unicode ที่ถูกต้อง",
    "string_not_ascii": "ต้องเป็นอักขระ ASCII เท่านั้น",
    "bytes_type": "ต้องเป็นข้อมูลไบต์",
    "bytes_too_short": "ต้องยาวอย่างน้อย {min_length} ไบต์",
    "bytes_too_long": "ต้องยาวไม่เกิน {max_length} ไบต์",
    "bytes_invalid_encoding": "การเข้ารหัสข้อมูลไม่ถูกต้อง",
    "value_error": "ค่าไม่ถูกต้อง",
    "assertion_error": "ค่าไม่ผ่านการตรวจสอบ",
    "none_required": "ต้องเป็น null",
    "iterable_type": "ต้องเป็นรายการ",
    "iteration_error": "อ่านรายการไม่ได้",
    "tuple_type": "ต้องเป็นรายการ",
    "set_type": "ต้องเป็นรายการที่ไม่ซ้ำกัน",
    "frozen_set_type": "ต้องเป็นรายการที่ไม่ซ้ำกัน",
    "set_item_not_hashable": "รายการนี้ใช้ในชุดข้อมูลไม่ได้",
    "mapping_type": "ต้องเป็นออบเจกต์ JSON",
    "invalid_key": "ชื่อช่องต้องเป็นข้อความ",
    "frozen_field": "แก้ไขช่องนี้ไม่ได้",
    "frozen_instance": "แก้ไขข้อมูลนี้ไม่ได้",
    "union_tag_invalid": "ค่า {tag} ของ {discriminator} ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: {expected_tags}",
    "union_tag_not_found": "ต้องระบุ {discriminator}",
    "url_type": "ต้องเป็น URL",
    "url_syntax_violation": "รูปแบบ URL ไม่ถูกต้อง",
    "url_too_long": "URL ต้องยาวไม่เกิน {max_length} ตัวอักษร",
    "uuid_version": "ต้องเป็น UUID รุ่น {expected_version}",
    "decimal_type": "ต้องเป็นเลขทศนิยม",
    "decimal_parsing": "ต้องเป็นเลขทศนิยม",
    "decimal_max_digits": "ต้องมีไม่เกิน {max_digits} หลัก",
    "decimal_max_places": "ต้องมีทศนิยมไม่เกิน {decimal_places} ตำแหน่ง",
    "decimal_whole_digits": "ต้องมีหลักหน้าจุดทศนิยมไม่เกิน {whole_digits} หลัก",
    "fraction_type": "ต้องเป็นเศษส่วน",
    "fraction_parsing": "ต้องเป็นเศษส่วน",
    "complex_type": "ต้องเป็นจำนวนเชิงซ้อน",
    "complex_str_parsing": "ต้องเป็นจำนวนเชิงซ้อน",
    "missing_argument": "จำเป็นต้องระบุ",
    "unexpected_keyword_argument": "ไม่รู้จักช่องนี้",
}


# pydantic's error types no request (JSON, query, form or header) can raise: they concern Python objects
NOT_FROM_A_REQUEST = frozenset(
    {
        "no_such_attribute",
        "needs_python_object",
        "recursion_loop",
        "recursion_depth_exceeded",
        "get_attribute_error",
        "dataclass_type",
        "dataclass_exact_type",
        "named_tuple_type",
        "default_factory_not_called",
        "frozen_dict_type",
        "ordered_dict_type",
        "counter_type",
        "deque_type",
        "missing_sentinel_error",
        "ellipsis_error",
        "is_instance_of",
        "is_subclass_of",
        "callable_type",
        "arguments_type",
        "missing_keyword_only_argument",
        "unexpected_positional_argument",
        "missing_positional_only_argument",
        "multiple_argument_values",
    }
)


def has_thai(error_type: str) -> bool:
    return error_type in _THAI


def thai_validation_message(error_type: str, context: Mapping[str, Any], fallback: str) -> str:
    template = _THAI.get(error_type)
    if template is None:
        return fallback
    context = {key: str(value).replace(" or ", " หรือ ") for key, value in context.items()}
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return template.split("{", 1)[0].strip() or fallback
