from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, Response

from gateway.geo import index, service
from gateway.geo.schemas import (
    DistrictPublic,
    ProvincePublic,
    ProvinceRegionChanged,
    ProvinceUpdate,
    RegionPublic,
    TambonPublic,
)
from services.common.auth import CurrentPrincipal
from services.common.db import Session
from services.common.geo import region_map_kept_fresh
from services.common.pagination import Limit, Page
from services.common.settings import Settings
from services.common.types import STORABLE, SearchText

# DOPA areas change by royal decree, not by the hour
AREAS_CACHE = "public, max-age=3600"
# the province → region table a national admin may change: no older than the services' refresh
REGIONS_CACHE = "public, max-age=60"


@asynccontextmanager
async def geo_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Warm the tambon index, and keep this process's area checks on the table national admins edit."""
    index.tambon_index()
    settings: Settings = app.state.settings
    load = partial(service.load_region_map, app.state.sessions)
    async with region_map_kept_fresh(load, settings.geo_refresh_seconds):
        yield


router = APIRouter(prefix="/v1/geo", tags=["geo"], lifespan=geo_lifespan)

TambonQuery = Annotated[
    SearchText,
    Query(
        min_length=1,
        max_length=100,
        description="Part of a Thai or English tambon name",
        json_schema_extra=STORABLE,
    ),
]


@router.get("/regions", response_model=Page[RegionPublic], summary="The five CODI regions")
async def list_regions(session: Session, response: Response) -> Page[RegionPublic]:
    response.headers["Cache-Control"] = REGIONS_CACHE
    return Page(items=await service.list_regions(session))


@router.get("/provinces", response_model=Page[ProvincePublic], summary="The 77 provinces with their region")
async def list_provinces(session: Session, response: Response) -> Page[ProvincePublic]:
    response.headers["Cache-Control"] = REGIONS_CACHE
    return Page(items=await service.list_provinces(session))


@router.get("/provinces/{code}", response_model=ProvincePublic, summary="One province")
async def get_province(code: str, session: Session, response: Response) -> ProvincePublic:
    response.headers["Cache-Control"] = REGIONS_CACHE
    return await service.get_province(session, code)


@router.patch(
    "/provinces/{code}",
    response_model=ProvinceRegionChanged,
    summary="Move a province to another CODI region (national admins)",
)
async def update_province(
    code: str, data: ProvinceUpdate, session: Session, principal: CurrentPrincipal
) -> ProvinceRegionChanged:
    return await service.update_province(session, principal, code, data)


@router.get(
    "/provinces/{code}/districts", response_model=Page[DistrictPublic], summary="Districts of a province"
)
async def list_districts(code: str, response: Response) -> Page[DistrictPublic]:
    response.headers["Cache-Control"] = AREAS_CACHE
    return Page(items=service.list_districts(code))


@router.get("/districts/{code}/tambons", response_model=Page[TambonPublic], summary="Tambons of a district")
async def list_tambons(code: str, response: Response) -> Page[TambonPublic]:
    response.headers["Cache-Control"] = AREAS_CACHE
    return Page(items=service.list_tambons(code))


@router.get("/tambons", response_model=Page[TambonPublic], summary="Find tambons by Thai or English name")
async def search_tambons(q: TambonQuery, response: Response, limit: Limit = 50) -> Page[TambonPublic]:
    response.headers["Cache-Control"] = AREAS_CACHE
    return Page(items=service.search_tambons(q, limit))
