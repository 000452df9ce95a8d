"""Assessment frameworks: CODI's built-ins (the 10 success factors on the 3-level strength scale, …) are
public and read-only; an area writes its own; a version a round has used never changes — an edit of it is
the next version, and the old one stays as it was."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest

from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem, pointers

LEVELS = [{"label_th": "ลุกยืนได้"}, {"label_th": "แข็งแรง"}, {"label_th": "วิ่งได้"}]


def rubric(**fields: Any) -> dict[str, Any]:
    return {
        "title_th": "กรอบประเมินสวัสดิการชุมชน",
        "area_code": "93",
        "levels": LEVELS,
        "criteria": [
            {"code": "members", "title_th": "สมาชิก", "weight": 2},
            {
                "code": "fund",
                "title_th": "กองทุน",
                "descriptors": [{"th": "เริ่มออม"}, {"th": "ออมต่อเนื่อง"}, {"th": "จัดสวัสดิการได้"}],
            },
        ],
        **fields,
    }


async def test_codis_ten_success_factors_are_built_in_public_and_read_only(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    listed = await gateway.get("/v1/frameworks", params={"key": "codi-10-factors"})
    [ten] = listed.json()["items"]
    edited = await gateway.patch(
        f"/v1/frameworks/{ten['id']}",
        json={"title_th": "ของเราเอง"},
        headers={**bearer(await login("demo-national")), "If-Match": "*"},
    )
    keys = {f["key"] for f in (await gateway.get("/v1/frameworks", params={"area": "TH"})).json()["items"]}

    assert [c["code"] for c in ten["criteria"]][:3] == ["peoples_strategy", "shared_data", "joint_mechanism"]
    assert len(ten["criteria"]) == 10
    assert [level["label_th"] for level in ten["levels"]] == ["ลุกยืนได้", "แข็งแรง", "วิ่งได้"]
    assert (ten["builtin"], ten["version_no"], ten["weight_total"]) == (True, 1, 10)
    assert assert_problem(edited, 409)["type"].endswith("builtin-framework")
    assert {"codi-10-factors", "community-strength", "happiness-index-south", "five-good"} <= keys


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"criteria": [{"code": "a", "title_th": "ก"}, {"code": "a", "title_th": "ข"}]}, "/criteria/1/code"),
        (
            {"criteria": [{"code": "a", "title_th": "ก", "descriptors": [{"th": "หนึ่ง"}]}]},
            "/criteria/0/descriptors",
        ),
        ({"levels": [{"label_th": "ระดับเดียว"}]}, "/levels"),
        ({"criteria": [{"code": "Not A Code", "title_th": "ก"}]}, "/criteria/0/code"),
    ],
)
async def test_a_rubric_that_does_not_hold_together_is_refused(
    gateway: httpx.AsyncClient, login: Login, change: dict[str, Any], pointer: str
) -> None:
    refused = await gateway.post(
        "/v1/frameworks",
        json=rubric(**change),
        headers={**bearer(await login("demo-provincial-93")), "Accept-Language": "th"},
    )

    assert pointer in pointers(assert_problem(refused, 422))


async def test_an_unused_version_is_edited_in_place(gateway: httpx.AsyncClient, login: Login) -> None:
    headers = bearer(await login("demo-evaluator"))
    created = await gateway.post("/v1/frameworks", json=rubric(), headers=headers)

    edited = await gateway.patch(
        created.headers["location"],
        json={"title_th": "กรอบประเมินสวัสดิการ ฉบับปรับ"},
        headers={**headers, "If-Match": created.headers["etag"]},
    )

    assert created.status_code == 201, created.text
    assert created.json()["weight_total"] == 3
    assert (edited.status_code, edited.json()["id"], edited.json()["version_no"]) == (
        200,
        created.json()["id"],
        1,
    )
    assert edited.json()["version"] == 2


async def test_editing_a_used_version_makes_the_next_and_leaves_the_used_one_as_it_was(
    gateway: httpx.AsyncClient, login: Login, database: asyncpg.Connection
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    used = (await gateway.post("/v1/frameworks", json=rubric(), headers=headers)).json()
    # what a round does when it opens on a version (repository.mark_in_use)
    await database.execute("UPDATE assessment.frameworks SET in_use = true WHERE id = $1", used["id"])
    url = f"/v1/frameworks/{used['id']}"

    edited = await gateway.patch(
        url,
        json={"criteria": [{"code": "members", "title_th": "สมาชิก", "weight": 5}]},
        headers={**headers, "If-Match": "*"},
    )
    old = (await gateway.get(url)).json()
    again = await gateway.patch(url, json={"title_th": "อีกครั้ง"}, headers={**headers, "If-Match": "*"})
    versions = (await gateway.get(f"{url}/versions")).json()
    newest = (await gateway.get("/v1/frameworks", params={"area": "93", "limit": 200})).json()["items"]

    assert edited.status_code == 201, edited.text
    assert edited.headers["location"] == f"/v1/frameworks/{edited.json()['id']}"
    assert (edited.json()["family_id"], edited.json()["version_no"]) == (used["family_id"], 2)
    assert edited.json()["weight_total"] == 5
    assert old["criteria"] == used["criteria"]  # the round's version is as it was
    assert old["superseded_by"] == edited.json()["id"]
    assert assert_problem(again, 409)["newer_id"] == edited.json()["id"]
    assert [v["version_no"] for v in versions] == [1, 2]
    assert used["id"] not in {f["id"] for f in newest}
    assert edited.json()["id"] in {f["id"] for f in newest}


async def test_only_the_areas_authors_write_its_frameworks(gateway: httpx.AsyncClient, login: Login) -> None:
    outsider = await gateway.post(
        "/v1/frameworks", json=rubric(), headers=bearer(await login("demo-provincial-18"))
    )
    tambon = await gateway.post(
        "/v1/frameworks", json=rubric(area_code="930101"), headers=bearer(await login("demo-tambon-930101"))
    )

    assert_problem(outsider, 403)
    assert_problem(tambon, 403)
