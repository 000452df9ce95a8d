"""Thailand's geography: DOPA codes (geothai) and CODI's five regions (codi-regions.csv)."""

from services.common.geo.areas import (
    REGIONS,
    AreaLevel,
    area_level,
    covers,
    is_known_area,
    province_of,
    region_of_province,
)

__all__ = [
    "REGIONS",
    "AreaLevel",
    "area_level",
    "covers",
    "is_known_area",
    "province_of",
    "region_of_province",
]
