"""Evidence files for an update: its author gives photos, minutes or receipts while it is open; the type is
told by the content, the size is limited, the bytes are kept under their SHA-256 outside the database and
come back unchanged to the area's staff — to nobody else."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx

from tests.conftest import Login, bearer
from tests.e2e.test_partner_clients import partner_token
from tests.e2e.test_problems import assert_problem
from tests.plans.indicators import define, enter

PHOTO = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
MINUTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


async def draft(gateway: httpx.AsyncClient, login: Login, period: str) -> dict[str, Any]:
    indicator = await define(gateway, login)
    entered = await enter(
        gateway, login, indicator, "930101", period, as_user="demo-tambon-930101", submit=False, value=12
    )
    assert entered.status_code == 201, entered.text
    return dict(entered.json())


async def give(
    gateway: httpx.AsyncClient,
    headers: dict[str, str],
    update: dict[str, Any],
    content: bytes,
    name: str = "ภาพบ้าน.png",
    **form: str,
) -> httpx.Response:
    return await gateway.post(
        "/v1/evidence",
        files={"file": (name, content, "application/octet-stream")},
        data={"update_id": update["id"], **form},
        headers=headers,
    )


async def test_the_author_gives_a_photo_and_the_areas_staff_get_the_same_bytes_back(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    leader = bearer(await login("demo-tambon-930101"))
    update = await draft(gateway, login, "2661")

    given = await give(gateway, leader, update, PHOTO, title="บ้านที่ซ่อมแล้ว")
    again = await give(gateway, leader, update, PHOTO, name="อีกชื่อ.png")
    minutes = await give(gateway, leader, update, MINUTES, name="minutes.pdf")
    province = bearer(await login("demo-provincial-93"))
    listed = await gateway.get("/v1/evidence", params={"update_id": update["id"]}, headers=province)
    downloaded = await gateway.get(given.json()["content_url"], headers=province)

    assert given.status_code == 201, given.text
    assert given.json()["sha256"] == hashlib.sha256(PHOTO).hexdigest()
    assert (given.json()["media_type"], given.json()["size_bytes"]) == ("image/png", len(PHOTO))
    assert given.json()["title"] == "บ้านที่ซ่อมแล้ว"
    assert (again.status_code, again.json()["id"]) == (200, given.json()["id"])  # the same content: one file
    assert minutes.json()["media_type"] == "application/pdf"
    assert [f["id"] for f in listed.json()["items"]] == [given.json()["id"], minutes.json()["id"]]
    assert downloaded.status_code == 200
    assert downloaded.content == PHOTO
    assert downloaded.headers["content-type"] == "image/png"
    assert downloaded.headers["x-content-type-options"] == "nosniff"


async def test_a_file_is_judged_by_its_content_and_its_size_and_nothing_is_kept_when_refused(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    leader = bearer(await login("demo-tambon-930101"))
    update = await draft(gateway, login, "2662")

    script = await give(
        gateway, {**leader, "Accept-Language": "th"}, update, b"#!/bin/sh\nrm -rf /\n", "ok.jpg"
    )
    empty = await give(gateway, leader, update, b"", "empty.png")
    huge = await give(gateway, leader, update, PHOTO + bytes(10 * 1024 * 1024), "huge.png")
    listed = await gateway.get("/v1/evidence", params={"update_id": update["id"]}, headers=leader)

    assert "PDF" in assert_problem(script, 415)["detail"]
    assert_problem(empty, 422)
    assert_problem(huge, 413)
    assert listed.json()["items"] == []


async def test_only_the_author_gives_files_and_only_while_the_update_is_open(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    leader = bearer(await login("demo-tambon-930101"))
    update = await draft(gateway, login, "2663")

    by_reviewer = await give(gateway, bearer(await login("demo-provincial-93")), update, PHOTO)
    submitted = await gateway.post(
        f"/v1/indicators/{update['indicator_id']}/updates/{update['id']}/submit", headers=leader
    )
    after_submit = await give(gateway, leader, update, PHOTO)

    assert_problem(by_reviewer, 403)
    assert submitted.status_code == 200, submitted.text
    assert_problem(after_submit, 409)


async def test_nobody_outside_the_areas_staff_sees_a_file(gateway: httpx.AsyncClient, login: Login) -> None:
    leader = bearer(await login("demo-tambon-930101"))
    update = await draft(gateway, login, "2664")
    given = (await give(gateway, leader, update, PHOTO)).json()

    anonymous = await gateway.get(given["content_url"])
    other_province = await gateway.get(
        given["content_url"], headers=bearer(await login("demo-provincial-18"))
    )
    partner_system = await gateway.get(given["content_url"], headers=bearer(await partner_token(gateway)))
    record = await gateway.get(f"/v1/evidence/{given['id']}", headers=bearer(await login("demo-evaluator")))

    assert_problem(anonymous, 401)
    assert_problem(other_province, 403)
    assert_problem(partner_system, 403)
    assert record.status_code == 200
