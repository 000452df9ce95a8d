"""Partners and the one agreement: a project has one cooperation agreement (a second is 409 naming the
first), signed by many partners each once and in its role, shown as organisations; every amendment keeps
what each field was and why."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from tests.conftest import Login, bearer
from tests.e2e.test_problems import THAI, assert_problem, pointers
from tests.plans.test_projects import project


async def partner(
    gateway: httpx.AsyncClient, headers: dict[str, str], area: str, sector: str, name: str
) -> dict[str, Any]:
    response = await gateway.post(
        "/v1/partners", json={"name_th": name, "sector": sector, "area_code": area}, headers=headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def opened(gateway: httpx.AsyncClient, headers: dict[str, str], year: int) -> dict[str, Any]:
    response = await gateway.post("/v1/projects", json=project("93", year), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_a_project_has_one_agreement_and_a_race_for_it_gives_one(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    the_project = await opened(gateway, headers, 2643)
    body = {"project_id": the_project["id"], "title_th": "บันทึกข้อตกลงความร่วมมือ พัทลุงมหานครแห่งความสุข"}

    answers = await asyncio.gather(
        *(gateway.post("/v1/agreements", json=body, headers=headers) for _ in range(5))
    )
    thai = await gateway.post("/v1/agreements", json=body, headers={**headers, "Accept-Language": "th"})
    unknown = await gateway.post(
        "/v1/agreements", json={**body, "project_id": str(uuid.uuid4())}, headers=headers
    )
    outsider = await gateway.post(
        "/v1/agreements", json=body, headers=bearer(await login("demo-provincial-18"))
    )

    assert sorted(answer.status_code for answer in answers) == [201, 409, 409, 409, 409]
    created = next(answer for answer in answers if answer.status_code == 201).json()
    refused = assert_problem(thai, 409)
    assert refused["type"].endswith("/agreement-exists")
    assert refused["existing_id"] == created["id"]
    assert THAI.search(refused["title"])
    assert_problem(unknown, 422)
    assert_problem(outsider, 403)
    listed = await gateway.get("/v1/agreements", params={"project_id": the_project["id"]})
    assert [item["id"] for item in listed.json()["items"]] == [created["id"]]


async def test_partners_sign_once_each_in_their_role_and_show_as_organisations(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    national = bearer(await login("demo-national"))
    the_project = await opened(gateway, headers, 2644)
    agreement = (
        await gateway.post(
            "/v1/agreements",
            json={"project_id": the_project["id"], "title_th": "ข้อตกลงความร่วมมือ"},
            headers=headers,
        )
    ).json()
    url = f"/v1/agreements/{agreement['id']}/signatories"
    codi = await partner(gateway, national, "TH", "government", "สถาบันพัฒนาองค์กรชุมชน (พอช.)")
    assembly = await partner(gateway, headers, "93", "health_assembly", "สมัชชาสุขภาพจังหวัดพัทลุง")
    chainat = await partner(
        gateway, bearer(await login("demo-provincial-18")), "18", "local_government", "อบจ.ชัยนาท"
    )

    lead = await gateway.post(
        url, json={"partner_id": codi["id"], "role": "lead", "signed_on": "2026-11-20"}, headers=headers
    )
    second = await gateway.post(url, json={"partner_id": assembly["id"]}, headers=headers)
    again = await gateway.post(url, json={"partner_id": assembly["id"], "role": "witness"}, headers=headers)
    elsewhere = await gateway.post(url, json={"partner_id": chainat["id"]}, headers=headers)
    nobody = await gateway.post(url, json={"partner_id": str(uuid.uuid4())}, headers=headers)
    public = await gateway.get(f"/v1/agreements/{agreement['id']}")

    assert lead.status_code == 200, lead.text
    assert second.status_code == 200
    assert assert_problem(again, 409)["type"].endswith("/already-signed")
    assert pointers(assert_problem(elsewhere, 409)) == {"/partner_id"}
    assert pointers(assert_problem(nobody, 422)) == {"/partner_id"}
    signed = [(s["name_th"], s["sector"], s["role"]) for s in public.json()["signatories"]]
    assert signed == [
        ("สถาบันพัฒนาองค์กรชุมชน (พอช.)", "government", "lead"),
        ("สมัชชาสุขภาพจังหวัดพัทลุง", "health_assembly", "signatory"),
    ]
    assert set(public.json()["signatories"][0]) == {
        "partner_id",
        "name_th",
        "name_en",
        "sector",
        "role",
        "signed_on",
    }
    sectors = await gateway.get("/v1/partners", params={"area": "93", "sector": "health_assembly"})
    assert assembly["id"] in {p["id"] for p in sectors.json()["items"]}


async def test_every_amendment_is_kept_with_what_changed_and_why(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    the_project = await opened(gateway, headers, 2645)
    created = await gateway.post(
        "/v1/agreements", json={"project_id": the_project["id"], "title_th": "ข้อตกลงฉบับแรก"}, headers=headers
    )
    url = created.headers["location"]

    amended = await gateway.patch(
        url,
        json={"title_th": "ข้อตกลงฉบับแก้ไข", "signed_on": "2026-12-01", "reason": "เพิ่มภาคีและวันลงนาม"},
        headers={**headers, "If-Match": created.headers["etag"]},
    )
    no_reason = await gateway.patch(url, json={"title_th": "อีกครั้ง"}, headers={**headers, "If-Match": "*"})
    stale = await gateway.patch(
        url,
        json={"title_th": "ซ้ำ", "reason": "ทดสอบ"},
        headers={**headers, "If-Match": created.headers["etag"]},
    )
    history = await gateway.get(f"{url}/amendments")

    assert amended.status_code == 200, amended.text
    assert amended.json()["version"] == 2
    assert pointers(assert_problem(no_reason, 422)) == {"/reason"}
    assert_problem(stale, 412)
    [amendment] = history.json()
    assert amendment["version"] == 2
    assert amendment["reason"] == "เพิ่มภาคีและวันลงนาม"
    assert amendment["changes"] == {
        "title_th": {"before": "ข้อตกลงฉบับแรก", "after": "ข้อตกลงฉบับแก้ไข"},
        "signed_on": {"before": None, "after": "2026-12-01"},
    }
