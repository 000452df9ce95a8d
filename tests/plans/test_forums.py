"""Central-space forums: an area's open meeting with its agenda, minutes and attendance by sector (names for
the area's staff only), the resolutions it adopts — which may serve a project — and their follow-up actions,
a partner carrying each by a day; the late ones are listed and announced once."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.events import event_source
from services.common.events.registry import register
from services.plans.events import EVENT_TYPES
from services.plans.forums import service as forums
from services.plans.forums.models import Action
from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem, pointers
from tests.plans.test_agreements import opened, partner
from tests.sessions import rolled_back_session

register(*EVENT_TYPES)


async def forum(gateway: httpx.AsyncClient, headers: dict[str, str], **fields: Any) -> httpx.Response:
    body = {
        "area_code": "93",
        "title_th": "เวทีพื้นที่กลางจังหวัดพัทลุง ครั้งที่ 3",
        "held_on": "2026-11-28",
        "agenda": ["ทบทวนแผนบ้านมั่นคง", "ธนาคารปูม้า"],
        "minutes": "ที่ประชุมเห็นชอบขยายธนาคารปูไปอีกสองตำบล",
        "attendance": {"community_org": 54, "local_government": 9, "government": 4},
        "attendee_names": ["นางมาลี ศรีสุข", "นายสมชาย ใจดี"],
        **fields,
    }
    return await gateway.post("/v1/forums", json=body, headers=headers)


async def test_a_forum_is_public_but_who_attended_is_for_the_areas_staff(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    leader = bearer(await login("demo-tambon-930101"))
    created = await forum(gateway, bearer(await login("demo-provincial-93")))
    tambon_forum = await forum(gateway, leader, area_code="930101", title_th="เวทีตำบลคูหาสวรรค์")
    outsider = await forum(gateway, bearer(await login("demo-provincial-18")))
    bad_sector = await forum(gateway, leader, area_code="930101", attendance={"aliens": 3})

    public = await gateway.get(created.headers["location"])
    staff = await gateway.get(created.headers["location"], headers=bearer(await login("demo-provincial-93")))

    assert created.status_code == 201, created.text
    assert tambon_forum.status_code == 201
    assert_problem(outsider, 403)
    assert_problem(bad_sector, 422)
    assert public.json()["attendee_names"] is None
    assert public.json()["attendance"] == {"community_org": 54, "local_government": 9, "government": 4}
    assert staff.json()["attendee_names"] == ["นางมาลี ศรีสุข", "นายสมชาย ใจดี"]
    assert "มาลี" not in public.text


async def test_a_resolution_may_serve_a_project_of_the_province_and_sets_actions(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    the_project = await opened(gateway, headers, 2646)
    chainat = await gateway.post(
        "/v1/projects",
        json={"province_code": "18", "fiscal_year": 2646, "title_th": "โครงการชัยนาท"},
        headers=bearer(await login("demo-provincial-18")),
    )
    fishers = await partner(gateway, headers, "93", "community_org", "กลุ่มประมงพื้นบ้านบ้านแหลมจองถนน")
    url = (await forum(gateway, headers)).headers["location"]

    adopted = await gateway.post(
        f"{url}/resolutions",
        json={"text_th": "ขยายธนาคารปูม้าอีกสองตำบล", "project_id": the_project["id"]},
        headers=headers,
    )
    elsewhere = await gateway.post(
        f"{url}/resolutions", json={"text_th": "มติอื่น", "project_id": chainat.json()["id"]}, headers=headers
    )
    action = await gateway.post(
        f"{url}/resolutions/{adopted.json()['id']}/actions",
        json={"title_th": "จัดหาพันธุ์ปูม้า", "owner_partner_id": fishers["id"], "due_on": "2026-12-31"},
        headers=headers,
    )
    nobody = await gateway.post(
        f"{url}/resolutions/{adopted.json()['id']}/actions",
        json={"title_th": "ไม่มีเจ้าของ", "owner_partner_id": str(uuid.uuid4()), "due_on": "2026-12-31"},
        headers=headers,
    )
    listed = await gateway.get(f"{url}/resolutions")
    done = await gateway.patch(
        f"/v1/forum-actions/{action.json()['id']}",
        json={"status": "done"},
        headers={**headers, "If-Match": "*"},
    )

    assert adopted.status_code == 201, adopted.text
    assert adopted.json()["project_id"] == the_project["id"]
    assert pointers(assert_problem(elsewhere, 409)) == {"/project_id"}
    assert action.status_code == 201, action.text
    assert action.json()["status"] == "open"
    assert action.json()["overdue"] is False
    assert pointers(assert_problem(nobody, 422)) == {"/owner_partner_id"}
    assert [r["text_th"] for r in listed.json()["items"]] == ["ขยายธนาคารปูม้าอีกสองตำบล"]
    assert done.json()["status"] == "done"
    assert done.json()["done_on"] is not None


async def test_late_actions_are_listed_and_announced_once(
    gateway: httpx.AsyncClient, login: Login, session: AsyncSession
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    fishers = await partner(gateway, headers, "93", "community_org", "กลุ่มออมทรัพย์บ้านน้ำราบ")
    url = (await forum(gateway, headers)).headers["location"]
    adopted = await gateway.post(f"{url}/resolutions", json={"text_th": "ตั้งกองทุนปู"}, headers=headers)
    late = await gateway.post(
        f"{url}/resolutions/{adopted.json()['id']}/actions",
        json={
            "title_th": "ร่างระเบียบกองทุน",
            "owner_partner_id": fishers["id"],
            "due_on": str(date.today() - timedelta(days=3)),
        },
        headers=headers,
    )
    assert late.status_code == 201, late.text

    overdue = await gateway.get("/v1/forum-actions", params={"overdue": "true", "area": "93", "limit": 200})
    await forums.announce_overdue(session)  # (the plans worker's hourly run may have announced it already)
    announced = await session.get(Action, uuid.UUID(late.json()["id"]))
    again = await forums.announce_overdue(session)

    assert late.json()["id"] in {a["id"] for a in overdue.json()["items"]}
    assert all(a["overdue"] for a in overdue.json()["items"])
    assert announced is not None
    assert announced.overdue_announced_at is not None
    assert again == 0


@pytest.fixture
async def session(database_engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with rolled_back_session(database_engine, event_source("plans", "plans")) as session:
        yield session
