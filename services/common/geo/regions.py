"""Which CODI region each province is in: data a national admin may change at the gateway.

Every process holds the current map in memory. It starts from the bundled codi-regions.csv;
services then refresh it from the gateway's `GET /v1/geo/provinces` (the gateway from its own table),
and keep the last good map, so the bundled table serves until the gateway has answered once.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path
from typing import Literal, get_args

import geothai
import httpx
import structlog

Region = Literal["south", "north", "central-west", "northeast", "bangkok-east"]
REGIONS: tuple[Region, ...] = get_args(Region)
BUNDLED_REGIONS_CSV = Path(__file__).with_name("codi-regions.csv")

RegionMapLoader = Callable[[], Awaitable[Mapping[str, str]]]

log = structlog.get_logger()


def bundled_region_map() -> dict[str, str]:
    """The province → region table shipped with the code (codi-regions.csv)."""
    with BUNDLED_REGIONS_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["province_code"]: row["codi_region"] for row in csv.DictReader(handle)}


def validated_region_map(mapping: Mapping[str, str]) -> dict[str, str]:
    """The map as a dict, or ValueError unless every DOPA province is in exactly one known region."""
    provinces = {province.code for province in geothai.provinces()}
    if set(mapping) != provinces:
        raise ValueError(f"the region map must list the {len(provinces)} provinces exactly")
    unknown = sorted({region for region in mapping.values() if region not in REGIONS})
    if unknown:
        raise ValueError(f"unknown CODI regions: {', '.join(unknown)}")
    return dict(mapping)


_current: dict[str, str] = validated_region_map(bundled_region_map())
_revision = 0


def region_map() -> Mapping[str, str]:
    """The province → region map as it stands (do not change it: `use_region_map` replaces it)."""
    return _current


def region_map_revision() -> int:
    """A number that changes whenever the map does (a key for anything computed from it)."""
    return _revision


def region_of_province(province_code: str) -> str | None:
    return _current.get(province_code)


def provinces_of_region(region: str) -> list[str]:
    return sorted(code for code, name in _current.items() if name == region)


def use_region_map(mapping: Mapping[str, str]) -> None:
    """Replace the map every area check in this process reads (validated first)."""
    global _current, _revision
    fresh = validated_region_map(mapping)
    moved = sorted(code for code, region in fresh.items() if _current.get(code) != region)
    _current = fresh
    if moved:
        _revision += 1
    if moved:
        log.info("geo.region_map_changed", provinces=moved)


def region_map_from_gateway(geo_url: str, *, timeout: float = 5.0) -> RegionMapLoader:
    """A loader that reads the map from the gateway's `GET {geo_url}/provinces`."""
    url = geo_url.rstrip("/") + "/provinces"
    # one client for the process's life: a new one per refresh would build a TLS context (milliseconds of CPU)
    # and a new connection every time
    client = httpx.AsyncClient(timeout=timeout)

    async def load() -> dict[str, str]:
        response = await client.get(url)
        response.raise_for_status()
        items = response.json()["items"]
        return {str(item["code"]): str(item["region"]) for item in items}

    return load


async def keep_region_map_fresh(load: RegionMapLoader, interval: float) -> None:
    """Reload the map every `interval` seconds until cancelled; a failed load keeps the map in use."""
    failing = False
    while True:
        try:
            use_region_map(await load())
        except Exception as exc:
            # log once per outage, not once per attempt
            if not failing:
                log.warning("geo.region_map_refresh_failed", error=f"{type(exc).__name__}: {exc}")
            failing = True
        else:
            if failing:
                log.info("geo.region_map_refresh_recovered")
            failing = False
        await asyncio.sleep(interval)


@contextlib.asynccontextmanager
async def region_map_kept_fresh(load: RegionMapLoader, interval: float) -> AsyncIterator[None]:
    """Run `keep_region_map_fresh` in the background for the duration of the block (a lifespan)."""
    task = asyncio.create_task(keep_region_map_fresh(load, interval), name="geo-region-map-refresh")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
