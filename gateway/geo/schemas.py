from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.common.geo import Region


class AreaName(BaseModel):
    code: str = Field(description="DOPA code: province 2 digits, district 4, tambon 6")
    name_th: str
    name_en: str


class RegionPublic(BaseModel):
    code: Region
    name_th: str
    name_en: str
    province_count: int


class ProvincePublic(AreaName):
    region: Region = Field(description="The CODI region the province belongs to")


class ProvinceRegionChanged(ProvincePublic):
    updated_at: datetime
    updated_by: str | None = Field(description="Subject of the national admin who last moved the province")


class ProvinceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    codi_region: Region


class DistrictPublic(AreaName):
    province: AreaName


class TambonPublic(AreaName):
    postal_codes: list[str]
    district: AreaName
    province: AreaName
