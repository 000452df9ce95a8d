"""Validated request field types shared by every service: area codes and Thai text."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError
from sqlmodel import SQLModel

from services.common.calendar import BUDDHIST_ERA_OFFSET
from services.common.geo import area_level, is_known_area
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
_BUDDHIST_ERA_LOOKING = range(2400, 2800)  # CE 1857–2256 as Buddhist-era years: what a Thai user types


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
    date, BeforeValidator(_iso_day), BeforeValidator(_not_buddhist_era), AfterValidator(_plausible_day)
]
# an RFC 3339 time with its zone (`2026-12-01T09:00:00+07:00`), never a bare number
Moment = Annotated[AwareDatetime, BeforeValidator(_iso_moment)]

AreaCode = Annotated[
    str,
    Field(min_length=2, max_length=12, description="DOPA area code (2/4/6 digits), a CODI region or TH"),
    AfterValidator(_known_area),
]
ProvinceCode = Annotated[
    str, Field(pattern=r"^\d{2}$", description="DOPA province code, e.g. 93"), AfterValidator(_province)
]
# free text, folded to one form (services/common/text.py); a name, title or sentence must show a letter
Name = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(visible)]
LongText = Annotated[str, Field(max_length=20_000), AfterValidator(folded)]
Label = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(visible)]  # a reference, a code
# a purpose, a reason: required, not blank, up to 2,000 characters (the limits checked on the text as sent,
# so a too-short one reads as text, not as a list)
Sentence = Annotated[str, Field(min_length=1, max_length=2_000), AfterValidator(visible)]
Paragraph = Annotated[str, Field(max_length=2_000), AfterValidator(folded)]
Remark = Annotated[str, Field(max_length=500), AfterValidator(folded)]  # a short optional description
Verbatim = Annotated[str, AfterValidator(storable)]  # kept exactly as sent (passwords, secrets, URLs)


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
