"""Geography: the CODI region of each province (a table national admins change) and DOPA areas (geothai)."""

from __future__ import annotations

import geothai
import structlog
from geothai.types import District, Province, Subdistrict
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.geo import index
from gateway.geo.models import ProvinceRegion
from gateway.geo.schemas import (
    AreaName,
    DistrictPublic,
    ProvincePublic,
    ProvinceRegionChanged,
    ProvinceUpdate,
    RegionPublic,
    TambonPublic,
)
from services.common import errors
from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.geo import REGIONS, Region
from services.common.i18n import Text

REGION_NAMES: dict[Region, Text] = {
    "south": Text("South", "ภาคใต้"),
    "north": Text("North", "ภาคเหนือ"),
    "central-west": Text("Central and West", "ภาคกลางและตะวันตก"),
    "northeast": Text("Northeast", "ภาคอีสาน"),
    "bangkok-east": Text("Bangkok Metropolitan and East", "กรุงเทพฯ ปริมณฑล และภาคตะวันออก"),
}

log = structlog.get_logger()


async def region_map(session: AsyncSession) -> dict[str, Region]:
    """Province code → CODI region, as national admins last set it."""
    rows = (await session.exec(select(ProvinceRegion))).all()
    return {row.province_code: _region(row.codi_region) for row in rows}


async def load_region_map(sessions: async_sessionmaker[AsyncSession]) -> dict[str, Region]:
    """The region map in a session of its own (the gateway's background refresh)."""
    async with sessions() as session:
        return await region_map(session)


async def list_regions(session: AsyncSession) -> list[RegionPublic]:
    regions = list((await region_map(session)).values())
    return [
        RegionPublic(code=code, name_th=name.th, name_en=name.en, province_count=regions.count(code))
        for code, name in REGION_NAMES.items()
    ]


async def list_provinces(session: AsyncSession) -> list[ProvincePublic]:
    regions = await region_map(session)
    return [
        ProvincePublic(code=p.code, name_th=p.name_th, name_en=p.name_en, region=regions[p.code])
        for p in geothai.provinces()
    ]


async def get_province(session: AsyncSession, code: str) -> ProvincePublic:
    province = _province(code)
    row = await session.get(ProvinceRegion, code)
    if row is None:
        raise _unknown_province(code)
    return ProvincePublic(
        code=province.code,
        name_th=province.name_th,
        name_en=province.name_en,
        region=_region(row.codi_region),
    )


async def update_province(
    session: AsyncSession, principal: Principal, code: str, data: ProvinceUpdate
) -> ProvinceRegionChanged:
    """Move a province to another CODI region (national admins only), recording who and when."""
    principal.require(("national",), "TH")
    province = _province(code)
    row = await session.get(ProvinceRegion, code, with_for_update=True)
    if row is None:
        raise _unknown_province(code)
    previous = row.codi_region
    row.codi_region = data.codi_region
    row.updated_at = utcnow()
    row.updated_by = principal.subject
    session.add(row)
    await session.flush()
    log.info(
        "geo.province_region_changed",
        province_code=code,
        from_region=previous,
        to_region=data.codi_region,
        by=principal.subject,
    )
    return ProvinceRegionChanged(
        code=province.code,
        name_th=province.name_th,
        name_en=province.name_en,
        region=data.codi_region,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def list_districts(province_code: str) -> list[DistrictPublic]:
    province = _area(_province(province_code))
    return [
        DistrictPublic(code=d.code, name_th=d.name_th, name_en=d.name_en, province=province)
        for d in geothai.districts(province_code)
    ]


def list_tambons(district_code: str) -> list[TambonPublic]:
    if geothai.district(district_code) is None:
        raise errors.NotFound(
            Text(f"There is no district {district_code}.", f"ไม่พบอำเภอรหัส {district_code}"),
            extensions={"area_code": district_code},
        )
    return [_tambon(entry) for entry in index.tambons_of_district(district_code)]


def search_tambons(query: str, limit: int) -> list[TambonPublic]:
    """Tambons whose Thai or English name contains `query` (case and spacing ignored)."""
    return [_tambon(entry) for entry in index.search_tambons(query, limit)]


def _province(code: str) -> Province:
    province = geothai.province(code)
    if province is None:
        raise _unknown_province(code)
    return province


def _unknown_province(code: str) -> errors.NotFound:
    return errors.NotFound(
        Text(f"There is no province {code}.", f"ไม่พบจังหวัดรหัส {code}"), extensions={"area_code": code}
    )


def _region(value: str) -> Region:
    for region in REGIONS:
        if region == value:
            return region
    raise ValueError(f"unknown CODI region in gateway.province_regions: {value}")


def _area(area: Province | District | Subdistrict) -> AreaName:
    return AreaName(code=area.code, name_th=area.name_th, name_en=area.name_en)


def _tambon(entry: index.TambonEntry) -> TambonPublic:
    return TambonPublic(
        code=entry.tambon.code,
        name_th=entry.tambon.name_th,
        name_en=entry.tambon.name_en,
        postal_codes=list(entry.tambon.postal_codes),
        district=_area(entry.district),
        province=_area(entry.province),
    )
