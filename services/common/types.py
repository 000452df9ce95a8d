"""Validated request field types shared by every service: area codes and Thai text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
)
from pydantic.config import JsonDict
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError
from sqlmodel import SQLModel

from services.common.calendar import BUDDHIST_ERA_OFFSET
from services.common.clock import utcnow
from services.common.geo import LEVEL_DIGITS, AreaLevel, area_level, is_known_area
from services.common.text import folded, storable, visible


def _known_area(code: str) -> str:
    if not is_known_area(code):
        raise PydanticCustomError(
            "unknown_area", "Area code {code} is not in the official DOPA list", {"code": code}
        )
    return code


def _province(code: str) -> str:
    _known_area(code)
    if area_level(code) != "province":
        raise PydanticCustomError(
            "area_level",
            "Area code {code} must be a {expected}",
            {"code": code, "expected": "province"},
        )
    return code


EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2399, 12, 31)
# CE 1900–2256 as Buddhist-era years, what a Thai user types: hinted only where the hint is itself a day taken
_BUDDHIST_ERA_LOOKING = range(EARLIEST_DAY.year + BUDDHIST_ERA_OFFSET, 2800)


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _not_buddhist_era(value: Any) -> Any:
    """A year that looks Buddhist-era gets the Christian-era date it likely means (checked on the text sent,
    so 2567-02-29, a leap day of CE 2024, gets the hint too)."""
    text = value.isoformat() if isinstance(value, date) else value
    match = _ISO_DAY.fullmatch(text) if isinstance(text, str) else None
    if match and int(match[1]) in _BUDDHIST_ERA_LOOKING:
        year, month, day = int(match[1]), match[2], match[3]
        raise PydanticCustomError(
            "buddhist_era_year",
            "{year} looks like a Buddhist-era year: send the Christian-era date, e.g. {suggested}",
            {"year": year, "suggested": f"{year - BUDDHIST_ERA_OFFSET:04d}-{month}-{day}"},
        )
    return value


def _iso_day(value: Any) -> Any:
    """A date comes as YYYY-MM-DD text: a number (or numeric text) would be read as a Unix timestamp."""
    if not isinstance(value, date) and not (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
        raise PydanticCustomError("date_parsing", "Input should be a date written as YYYY-MM-DD")
    return value


def _iso_moment(value: Any) -> Any:
    """A time comes as RFC 3339 text (`2026-12-01T09:00:00+07:00`), not a Unix timestamp."""
    if not isinstance(value, datetime) and not (isinstance(value, str) and _ISO_MOMENT.match(value)):
        raise PydanticCustomError("datetime_parsing", "Input should be an RFC 3339 date and time")
    return value


def in_utc(moment: datetime) -> datetime:
    """An aware time as UTC; OverflowError when that lies outside years 1–9999 (`9999-12-31T23:00-14:00`),
    ValueError when it names no zone."""
    if moment.tzinfo is None:
        raise ValueError("a time without its zone")
    return moment.astimezone(UTC)


def _utc_moment(value: datetime) -> datetime:
    try:
        return in_utc(value)
    except OverflowError:
        raise PydanticCustomError(
            "datetime_out_of_range", "Input should be a time between years 1 and 9999 in UTC"
        ) from None


def _plausible_day(day: date) -> date:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise PydanticCustomError(
            "implausible_date",
            "Must be between {earliest} and {latest}",
            {"earliest": EARLIEST_DAY.isoformat(), "latest": LATEST_DAY.isoformat()},
        )
    return day


# a calendar date (YYYY-MM-DD) in the Christian era, as ISO 8601 has it; a Buddhist-era year is refused with
# the Christian-era date it likely means (fiscal years, not dates, are Buddhist-era integers)
Day = Annotated[
    date,
    BeforeValidator(_iso_day),
    BeforeValidator(_not_buddhist_era),
    AfterValidator(_plausible_day),
    Field(json_schema_extra={"pattern": r"^(19|2[0-3])\d\d-\d\d-\d\d$"}),  # years 1900–2399, as checked
]


def _not_after_today(day: date) -> date:
    if day > utcnow().date():
        raise PydanticCustomError("date_past", "Date should be in the past")
    return day


# a day in a person's past: a birth date
BirthDate = Annotated[
    Day, AfterValidator(_not_after_today), Field(description="YYYY-MM-DD, Christian era, not in the future")
]


def national_id_checked(value: Any) -> Any:
    """A Thai national ID: 13 digits (dashes and spaces between them allowed) whose last is the check
    digit, (11 − Σ dᵢ·(13 − i) mod 11) mod 10 over the first twelve."""
    if not isinstance(value, str):
        return value
    digits = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"\d{13}", digits):
        raise PydanticCustomError("national_id_format", "A national ID is 13 digits")
    check = (11 - sum(int(d) * (13 - i) for i, d in enumerate(digits[:12])) % 11) % 10
    if check != int(digits[12]):
        raise PydanticCustomError("national_id_check", "The national ID's check digit does not match")
    return digits


# a national ID as a person writes it; the service keeps only its keyed hash and last four digits
NationalId = Annotated[
    str,
    BeforeValidator(national_id_checked),
    Field(
        max_length=17,
        json_schema_extra={"pattern": r"^\d([ -]?\d){12}$", "writeOnly": True},
        description="13 digits with a valid check digit (`1-2345-67890-12-1` or `1234567890121`); "
        "stored only as a keyed hash and its last four digits, never shown back",
    ),
]


def whole_number(value: Any) -> Any:
    """A JSON number with no fraction (`39.0`) is the integer it writes, as JSON Schema's `integer` has it;
    `39.5` is not an integer, and text (`"39"`) or a boolean never is (the fields are strict)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _not_christian_era(value: Any) -> Any:
    """A fiscal year written in the Christian era gets the Buddhist-era one it likely means."""
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value < 2300:
        raise PydanticCustomError(
            "christian_era_fiscal_year",
            "Fiscal year {year} looks Christian-era: fiscal years are Buddhist-era, e.g. {suggested}",
            {"year": value, "suggested": value + BUDDHIST_ERA_OFFSET},
        )
    return value


# ปีงบประมาณ: a Buddhist-era fiscal year (1 Oct – 30 Sep, named by the year it ends in; calendar.py)
FiscalYear = Annotated[
    int,
    Field(strict=True, ge=2500, le=2699, description="Buddhist-era fiscal year, e.g. 2570", examples=[2570]),
    BeforeValidator(_not_christian_era),
    BeforeValidator(whole_number),
]
# the largest quantity: with its four places, 15 significant digits, which a JSON number (an IEEE double) and
# an XLSX cell hold exactly, so an export re-imports unchanged (NUMERIC(19, 4) holds the rollups' sums)
QUANTITY_MAX = Decimal("99999999999.9999")
QUANTITY_PLACES = Decimal("0.0001")


def _a_quantity(value: Any) -> Any:
    """A JSON number (never text or a boolean), kept to four decimal places (half to even)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise PydanticCustomError("decimal_type", "Input should be a number")
    if isinstance(value, float) and value != value:  # NaN never reaches here from JSON, but Python callers
        raise PydanticCustomError("finite_number", "Input should be a finite number")
    if value < 0:
        raise PydanticCustomError(
            "greater_than_equal", "Input should be greater than or equal to {ge}", {"ge": 0}
        )
    if value > QUANTITY_MAX:  # checked before rounding: no number above it rounds down to it
        raise PydanticCustomError(
            "less_than_equal", "Input should be less than or equal to {le}", {"le": QUANTITY_MAX}
        )
    return Decimal(str(value)).quantize(QUANTITY_PLACES, rounding=ROUND_HALF_EVEN)


def as_json_number(value: Decimal) -> int | float:
    """A stored quantity as JSON writes it: `12` for a whole one, `12.5` otherwise."""
    return int(value) if value == value.to_integral_value() else float(value)


# a measured amount (households, rai of land, members): a number ≥ 0, stored as NUMERIC to four places
Quantity = Annotated[
    Decimal,
    BeforeValidator(_a_quantity),
    Field(ge=0),
    PlainSerializer(as_json_number, when_used="json"),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": float(QUANTITY_MAX)}),
]
# a denominator: a quantity of at least 0.0001 (the least one stored to four places)
PositiveQuantity = Annotated[
    Decimal,
    BeforeValidator(_a_quantity),
    Field(ge=QUANTITY_PLACES),
    PlainSerializer(as_json_number, when_used="json"),
    WithJsonSchema({"type": "number", "minimum": float(QUANTITY_PLACES), "maximum": float(QUANTITY_MAX)}),
]


def _digits_only(value: Any) -> Any:
    """A number in a query string is written as digits alone: `6`, never `6\r` or ` 6`."""
    if isinstance(value, str) and value.strip() != value:
        raise PydanticCustomError(
            "int_parsing", "Input should be a valid integer, unable to parse string as an integer"
        )
    return value


# a whole number sent in a query string
QueryNumber = BeforeValidator(_digits_only)
# `?fiscal_year=`: a Buddhist-era fiscal year
FiscalYearQuery = Annotated[
    int | None,
    Query(ge=2500, le=2699, description="Only this Buddhist-era fiscal year, e.g. 2570"),
    QueryNumber,
]
# true or false, never `"yes"` or `1`
Flag = Annotated[bool, Field(strict=True)]
# an RFC 3339 time with its zone (`2026-12-01T09:00:00+07:00`), never a bare number
Moment = Annotated[AwareDatetime, BeforeValidator(_iso_moment), AfterValidator(_utc_moment)]

# the formats an area code's schema names, so a client (or a property-based test) knows the value comes from a
# list: GET /v1/geo/... serves it (tests/fuzz_hooks.py draws from the same list)
AREA_CODE_FORMAT, PROVINCE_CODE_FORMAT = "khabuan-area-code", "khabuan-province-code"
AREA_CODE_PATTERN = r"^(TH|[a-z]+(-[a-z]+)*|\d{2}|\d{4}|\d{6})$"
AreaCode = Annotated[
    str,
    Field(
        min_length=2,
        max_length=12,
        description="DOPA area code (2/4/6 digits) in the official list, a CODI region or TH",
        json_schema_extra={"format": AREA_CODE_FORMAT, "pattern": AREA_CODE_PATTERN},
    ),
    AfterValidator(_known_area),
]
# an area named in a path (`/assignments/{area_code}`): the shape here, whether it exists in the service (404)
AreaPath = Annotated[
    str,
    Path(
        min_length=2,
        max_length=12,
        pattern=AREA_CODE_PATTERN,
        description="DOPA area code (2/4/6 digits), a CODI region or TH",
    ),
]
TambonCode = Annotated[
    str,
    Field(
        pattern=r"^\d{6}$",
        description="A tambon's DOPA code (6 digits) in the official list",
        json_schema_extra={"format": AREA_CODE_FORMAT},
    ),
    AfterValidator(_known_area),
]
# where a province-or-wider figure lives: TH, a CODI region or a province
WideAreaCode = Annotated[
    str,
    Field(
        pattern=r"^(TH|[a-z]+(-[a-z]+)*|\d{2})$",
        description="TH, a CODI region or a DOPA province code",
        json_schema_extra={"format": AREA_CODE_FORMAT},
    ),
    AfterValidator(_known_area),
]
ProvinceCode = Annotated[
    str,
    Field(
        pattern=r"^\d{2}$",
        description="DOPA province code, e.g. 93",
        json_schema_extra={"format": PROVINCE_CODE_FORMAT},
    ),
    AfterValidator(_province),
]


LEVEL_PATTERNS: dict[AreaLevel, str] = {level: rf"^\d{{{digits}}}$" for level, digits in LEVEL_DIGITS.items()}


def area_fits(choice: str, area: str, levels: Mapping[Any, AreaLevel]) -> JsonDict:
    """The schema's way to say "a `choice` of this value serves an area of that level" (JSON Schema if/then),
    so a client, or a generated request, sees the rule the service checks."""
    return {
        "allOf": [
            {
                "if": {"properties": {choice: {"const": str(value)}}, "required": [choice]},
                "then": {"properties": {area: {"pattern": LEVEL_PATTERNS[level]}}},
            }
            for value, level in levels.items()
        ]
    }


def _stored_within(limit: int) -> AfterValidator:
    """The limit holds on the text as stored too: NFC writes a few characters (e.g. U+0958) as two."""

    def check(value: str) -> str:
        if len(value) > limit:
            raise PydanticCustomError(
                "string_too_long", "String should have at most {max_length} characters", {"max_length": limit}
            )
        return value

    return AfterValidator(check)


# The patterns say in the schema what text.py checks (the server runs text.py, not these): no NUL anywhere;
# no bidi control in folded text; a name, title or sentence shows a letter or digit.
_REFUSED = "\\u0000\\u202A-\\u202E\\u2066-\\u2069"
STORABLE: JsonDict = {"pattern": "^[^\\u0000]*$"}
FOLDED: JsonDict = {"pattern": f"^[^{_REFUSED}]*$"}
SHOWS_A_LETTER: JsonDict = {"pattern": f"^[^{_REFUSED}]*[\\p{{L}}\\p{{N}}][^{_REFUSED}]*$"}
# words searched for, as a query parameter (give it its own Query, with json_schema_extra=STORABLE)
SearchText = Annotated[str, AfterValidator(storable)]
NAME_MAX, LABEL_MAX, SENTENCE_MAX, REMARK_MAX, LONG_TEXT_MAX = 300, 200, 2_000, 500, 20_000

# free text, folded to one form (services/common/text.py); a name, title or sentence must show a letter. The
# limits are checked on the text as sent (so a too-short one reads as text, not as a list) and as stored.
Name = Annotated[
    str,
    Field(min_length=1, max_length=NAME_MAX, json_schema_extra=SHOWS_A_LETTER),
    AfterValidator(visible),
    _stored_within(NAME_MAX),
]
LongText = Annotated[
    str,
    Field(max_length=LONG_TEXT_MAX, json_schema_extra=FOLDED),
    AfterValidator(folded),
    _stored_within(LONG_TEXT_MAX),
]
Label = Annotated[  # a reference, a code
    str,
    Field(min_length=1, max_length=LABEL_MAX, json_schema_extra=SHOWS_A_LETTER),
    AfterValidator(visible),
    _stored_within(LABEL_MAX),
]
Sentence = Annotated[  # a purpose, a reason: required, not blank
    str,
    Field(min_length=1, max_length=SENTENCE_MAX, json_schema_extra=SHOWS_A_LETTER),
    AfterValidator(visible),
    _stored_within(SENTENCE_MAX),
]
Paragraph = Annotated[
    str,
    Field(max_length=SENTENCE_MAX, json_schema_extra=FOLDED),
    AfterValidator(folded),
    _stored_within(SENTENCE_MAX),
]
Remark = Annotated[  # a short optional description
    str,
    Field(max_length=REMARK_MAX, json_schema_extra=FOLDED),
    AfterValidator(folded),
    _stored_within(REMARK_MAX),
]
Verbatim = Annotated[  # kept exactly as sent (passwords, secrets, URLs)
    str, Field(json_schema_extra=STORABLE), AfterValidator(storable)
]


def _distinct(items: list[Any]) -> list[Any]:
    if len(set(items)) != len(items):
        raise PydanticCustomError("not_distinct", "Each item may appear once")
    return items


# a list whose items each appear once (the schema says `uniqueItems`; the server refuses a repeat)
Distinct = (Field(json_schema_extra={"uniqueItems": True}), AfterValidator(_distinct))


class RequestBody(SQLModel):
    """A write's body: a field it does not know is refused (422 at the field's pointer), not silently
    dropped — a misspelt optional field would otherwise lose what the client meant to record."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]


class PatchModel(RequestBody):
    """A PATCH body: leave a field out to keep it; an explicit null is refused, not stored; a field that
    cannot be changed (or does not exist) is refused too, rather than silently ignored."""

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise PydanticCustomError("null_not_allowed", "Must not be null; leave the field out to keep it")
        return value

    @classmethod
    def __get_pydantic_json_schema__(cls, core: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """The schema says what the server takes: every field optional, none nullable (the `| None` in the
        class is only how Python spells "left out")."""
        schema = handler.resolve_ref_schema(handler(core))
        for field in schema.get("properties", {}).values():
            field.pop("default", None)
            options = [option for option in field.pop("anyOf", []) if option.get("type") != "null"]
            if len(options) == 1:
                field.update(options[0])
            elif options:
                field["anyOf"] = options
        return schema
