"""Thailand's geography: DOPA codes (geothai) and CODI's five regions (codi-regions.csv, then the gateway)."""

from services.common.geo.areas import (
    LEVEL_DIGITS,
    REGIONS,
    AreaLevel,
    area_level,
    covering_area,
    covers,
    is_known_area,
    province_of,
    region_of_province,
    tambons_within,
)
from services.common.geo.regions import (
    Region,
    keep_region_map_fresh,
    region_map_from_gateway,
    region_map_kept_fresh,
    use_region_map,
)

__all__ = [
    "LEVEL_DIGITS",
    "REGIONS",
    "AreaLevel",
    "Region",
    "area_level",
    "covering_area",
    "covers",
    "is_known_area",
    "keep_region_map_fresh",
    "province_of",
    "region_map_from_gateway",
    "region_map_kept_fresh",
    "region_of_province",
    "tambons_within",
    "use_region_map",
]
