"""Area codes and what covers what: TH ⊃ region ⊃ province (2 digits) ⊃ district (4) ⊃ tambon (6)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Literal

import geothai

from services.common.geo.regions import REGIONS, provinces_of_region, region_of_province

AreaLevel = Literal["country", "region", "province", "district", "tambon"]

COUNTRY = "TH"
# the DOPA levels by the number of digits in their codes
LEVEL_DIGITS: dict[AreaLevel, int] = {"province": 2, "district": 4, "tambon": 6}

__all__ = [
    "COUNTRY",
    "LEVEL_DIGITS",
    "REGIONS",
    "AreaLevel",
    "area_level",
    "covering_area",
    "covers",
    "is_known_area",
    "province_of",
    "provinces_of_region",
    "region_of_province",
    "tambons_within",
]


def area_level(code: str) -> AreaLevel | None:
    """The level an area code names, or None when it is not shaped like one."""
    if code == COUNTRY:
        return "country"
    if code in REGIONS:
        return "region"
    if code.isdigit():
        return next((level for level, digits in LEVEL_DIGITS.items() if digits == len(code)), None)
    return None


@cache
def is_known_area(code: str) -> bool:
    """True for TH, a CODI region, or a province, district or tambon in the official DOPA list."""
    level = area_level(code)
    if level in ("country", "region"):
        return True
    if level == "province":
        return geothai.province(code) is not None
    if level == "district":
        return geothai.district(code) is not None
    if level == "tambon":
        return geothai.subdistrict(code) is not None
    return False


@cache
def _tambons() -> tuple[str, ...]:
    return tuple(
        tambon.code
        for province in geothai.provinces()
        for district in geothai.districts(province.code)
        for tambon in geothai.subdistricts(district.code)
    )


def tambons_within(area: str) -> tuple[str, ...]:
    """The DOPA tambon codes inside `area` (TH, a region, a province, district or tambon), in code order;
    a region's as the current region map has it."""
    if area in REGIONS:
        return tuple(code for province in provinces_of_region(area) for code in _tambons_in(province))
    return _tambons_in(area)


@cache
def _tambons_in(area: str) -> tuple[str, ...]:
    return tuple(code for code in _tambons() if covers(area, code))


def province_of(code: str) -> str | None:
    return code[:2] if area_level(code) in ("province", "district", "tambon") else None


def covering_area(areas: Iterable[str]) -> str:
    """The narrowest province, CODI region or TH that covers every one of `areas` (TH for none)."""
    areas = list(areas)
    provinces = {province_of(area) for area in areas}
    if areas and len(provinces) == 1 and None not in provinces:
        return str(provinces.pop())
    regions = {area if area in REGIONS else region_of_province(province_of(area) or "") for area in areas}
    if areas and len(regions) == 1 and None not in regions:
        return str(regions.pop())
    return COUNTRY


def covers(grant_area: str, area: str) -> bool:
    """Whether a grant on `grant_area` reaches `area`: a grant covers every area inside it."""
    if grant_area == COUNTRY:
        return True
    if area == COUNTRY:
        return False
    if grant_area in REGIONS:
        if area in REGIONS:
            return area == grant_area
        province = province_of(area)
        return province is not None and region_of_province(province) == grant_area
    if area in REGIONS or not area.isdigit():
        return False
    return len(area) >= len(grant_area) and area.startswith(grant_area)
