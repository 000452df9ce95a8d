"""Thailand's geography at the gateway: DOPA areas, CODI regions, tambon search, and moving a province."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.conftest import Login, bearer

pytestmark = pytest.mark.stack

REGIONS = {"south", "north", "central-west", "northeast", "bangkok-east"}
REFRESH_DEADLINE_SECONDS = 30


async def province_region(gateway: httpx.AsyncClient, code: str) -> str:
    response = await gateway.get(f"/v1/geo/provinces/{code}")
    assert response.status_code == 200, response.text
    return str(response.json()["region"])


@asynccontextmanager
async def province_moved(
    gateway: httpx.AsyncClient, token: str, code: str, region: str
) -> AsyncIterator[httpx.Response]:
    """Move a province to `region` for the block (yielding the PATCH response), then put it back."""
    original = await province_region(gateway, code)
    moved = await gateway.patch(
        f"/v1/geo/provinces/{code}", json={"codi_region": region}, headers=bearer(token)
    )
    assert moved.status_code == 200, moved.text
    try:
        yield moved
    finally:
        restored = await gateway.patch(
            f"/v1/geo/provinces/{code}", json={"codi_region": original}, headers=bearer(token)
        )
        assert restored.status_code == 200, restored.text


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await check():
            return True
        await asyncio.sleep(0.5)
    return False


async def test_the_gateway_lists_the_77_provinces_each_in_one_codi_region(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/v1/geo/provinces")

    assert response.status_code == 200
    body = response.json()
    assert body["next_cursor"] is None
    provinces = body["items"]
    assert len(provinces) == 77
    assert len({p["code"] for p in provinces}) == 77
    assert all(p["region"] in REGIONS for p in provinces)
    phatthalung = next(p for p in provinces if p["code"] == "93")
    assert phatthalung == {"code": "93", "name_th": "พัทลุง", "name_en": "Phatthalung", "region": "south"}
    assert response.headers["cache-control"].startswith("public, max-age=")


async def test_the_five_regions_count_14_provinces_in_the_south_and_13_in_bangkok_east(
    gateway: httpx.AsyncClient,
) -> None:
    regions = (await gateway.get("/v1/geo/regions")).json()["items"]
    provinces = (await gateway.get("/v1/geo/provinces")).json()["items"]

    counts = {region["code"]: region["province_count"] for region in regions}
    assert set(counts) == REGIONS
    assert counts["south"] == 14
    assert counts["bangkok-east"] == 13
    assert sum(counts.values()) == 77
    assert counts == dict(Counter(p["region"] for p in provinces))
    assert all(region["name_th"] and region["name_en"] for region in regions)


async def test_districts_and_their_tambons_cover_all_7436_tambons(gateway: httpx.AsyncClient) -> None:
    provinces = (await gateway.get("/v1/geo/provinces")).json()["items"]
    limit = asyncio.Semaphore(16)

    async def items(path: str) -> list[dict[str, object]]:
        async with limit:
            response = await gateway.get(path)
        assert response.status_code == 200, response.text
        assert response.headers["cache-control"] == "public, max-age=3600"
        return response.json()["items"]  # type: ignore[no-any-return]

    districts = [
        d
        for per_province in await asyncio.gather(
            *(items(f"/v1/geo/provinces/{p['code']}/districts") for p in provinces)
        )
        for d in per_province
    ]
    tambons = [
        t
        for per_district in await asyncio.gather(
            *(items(f"/v1/geo/districts/{d['code']}/tambons") for d in districts)
        )
        for t in per_district
    ]

    assert len({t["code"] for t in tambons}) == 7436
    assert len(districts) == len({d["code"] for d in districts})


async def test_searching_khuha_in_thai_or_english_finds_khuha_sawan_in_phatthalung(
    gateway: httpx.AsyncClient,
) -> None:
    for query in ("คูหา", "khuha", "KHUHA SAW"):
        response = await gateway.get("/v1/geo/tambons", params={"q": query})

        assert response.status_code == 200, response.text
        found = {t["code"]: t for t in response.json()["items"]}
        assert "930101" in found, query
        assert found["930101"]["name_th"] == "คูหาสวรรค์"
        assert found["930101"]["name_en"] == "Khuha Sawan"
        assert found["930101"]["district"] == {
            "code": "9301",
            "name_th": "เมืองพัทลุง",
            "name_en": "Mueang Phatthalung",
        }
        assert found["930101"]["province"] == {"code": "93", "name_th": "พัทลุง", "name_en": "Phatthalung"}


async def test_tambon_search_honours_its_limit_and_needs_a_query(gateway: httpx.AsyncClient) -> None:
    limited = await gateway.get("/v1/geo/tambons", params={"q": "บ้าน", "limit": 3})
    default = await gateway.get("/v1/geo/tambons", params={"q": "a"})
    missing = await gateway.get("/v1/geo/tambons")
    empty = await gateway.get("/v1/geo/tambons", params={"q": ""})
    too_many = await gateway.get("/v1/geo/tambons", params={"q": "a", "limit": 201})

    assert len(limited.json()["items"]) == 3
    assert len(default.json()["items"]) == 50
    for refused in (missing, empty, too_many):
        assert refused.status_code == 422
        assert refused.headers["content-type"] == "application/problem+json"


async def test_an_unknown_province_or_district_is_a_404_problem(gateway: httpx.AsyncClient) -> None:
    for path in ("/v1/geo/provinces/99", "/v1/geo/provinces/99/districts", "/v1/geo/districts/9999/tambons"):
        response = await gateway.get(path)

        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"].endswith("/not-found")


async def test_a_national_admin_moves_a_province_to_another_region(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-national")
    assert await province_region(gateway, "96") == "south"

    async with province_moved(gateway, token, "96", "north") as moved:
        assert moved.json()["region"] == "north"
        assert await province_region(gateway, "96") == "north"
        regions = (await gateway.get("/v1/geo/regions")).json()["items"]
        assert {r["code"]: r["province_count"] for r in regions}["south"] == 13

    assert await province_region(gateway, "96") == "south"


async def test_moving_a_province_records_who_moved_it_and_when(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-national")
    me = (await gateway.get("/v1/me", headers=bearer(token))).json()
    started = datetime.now(UTC)

    async with province_moved(gateway, token, "96", "north") as moved:
        assert moved.json()["updated_by"] == me["id"]
        assert datetime.fromisoformat(moved.json()["updated_at"]) >= started - timedelta(seconds=5)


async def test_only_a_national_admin_may_move_a_province(gateway: httpx.AsyncClient, login: Login) -> None:
    provincial = await login("demo-provincial-93")
    regional = await login("demo-regional-south")

    as_provincial = await gateway.patch(
        "/v1/geo/provinces/93", json={"codi_region": "north"}, headers=bearer(provincial)
    )
    as_regional = await gateway.patch(
        "/v1/geo/provinces/93", json={"codi_region": "north"}, headers=bearer(regional)
    )
    anonymous = await gateway.patch("/v1/geo/provinces/93", json={"codi_region": "north"})

    assert as_provincial.status_code == 403
    assert as_provincial.headers["content-type"] == "application/problem+json"
    assert as_regional.status_code == 403
    assert anonymous.status_code == 401
    assert await province_region(gateway, "93") == "south"


async def test_moving_a_province_to_an_unknown_region_or_province_is_refused(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-national")

    unknown_region = await gateway.patch(
        "/v1/geo/provinces/93", json={"codi_region": "atlantis"}, headers=bearer(token)
    )
    unknown_province = await gateway.patch(
        "/v1/geo/provinces/99", json={"codi_region": "south"}, headers=bearer(token)
    )

    assert unknown_region.status_code == 422
    assert unknown_region.json()["errors"][0]["pointer"] == "/codi_region"
    assert unknown_province.status_code == 404
    assert await province_region(gateway, "93") == "south"


async def test_a_regional_user_may_open_a_fund_in_a_province_moved_into_their_region(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    national = await login("demo-national")
    regional = await login("demo-regional-south")
    fund = {"name_th": "กองทุนบริหารร่วมจังหวัดชัยนาท", "kind": "pooled_province", "area_code": "18"}

    async def create() -> httpx.Response:
        return await gateway.post("/v1/funds", json=fund, headers=bearer(regional))

    before = await create()
    assert before.status_code == 403, before.text
    async with province_moved(gateway, national, "18", "south"):

        async def allowed() -> bool:
            response = await create()
            assert response.status_code in (201, 403), response.text
            return response.status_code == 201

        assert await eventually(allowed, REFRESH_DEADLINE_SECONDS)

    async def refused_again() -> bool:
        return (await create()).status_code == 403

    assert await eventually(refused_again, REFRESH_DEADLINE_SECONDS)
