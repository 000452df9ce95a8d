"""Area codes and what covers what: TH ⊃ region ⊃ province (2 digits) ⊃ district (4) ⊃ tambon (6)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Literal

import geothai

AreaLevel = Literal["country", "region", "province", "district", "tambon"]

COUNTRY = "TH"
REGIONS: tuple[str, ...] = ("south", "north", "central-west", "northeast", "bangkok-east")
_REGIONS_CSV = Path(__file__).with_name("codi-regions.csv")


@cache
def _region_by_province() -> dict[str, str]:
    with _REGIONS_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["province_code"]: row["codi_region"] for row in csv.DictReader(handle)}


def region_of_province(province_code: str) -> str | None:
    return _region_by_province().get(province_code)


def area_level(code: str) -> AreaLevel | None:
    """The level an area code names, or None when it is not shaped like one."""
    if code == COUNTRY:
        return "country"
    if code in REGIONS:
        return "region"
    if code.isdigit():
        return {2: "province", 4: "district", 6: "tambon"}.get(len(code))  # type: ignore[return-value]
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


def province_of(code: str) -> str | None:
    return code[:2] if area_level(code) in ("province", "district", "tambon") else None


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


def provinces_of_region(region: str) -> list[str]:
    return sorted(code for code, name in _region_by_province().items() if name == region)
