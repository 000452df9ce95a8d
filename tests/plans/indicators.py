"""Helpers for the indicator stories: define one, and bring figures through the chain."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import Login, bearer

REVIEWER_OF = {"93": "demo-provincial-93", "18": "demo-provincial-18", "57": "demo-provincial-57"}


async def define(gateway: httpx.AsyncClient, login: Login, area: str = "93", **fields: Any) -> dict[str, Any]:
    author = "demo-national" if area == "TH" else REVIEWER_OF.get(area, "demo-national")
    body = {"area_code": area, "title_th": "ครัวเรือนที่มีที่อยู่อาศัยมั่นคง", "measure": "unit", **fields}
    response = await gateway.post("/v1/indicators", json=body, headers=bearer(await login(author)))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def enter(
    gateway: httpx.AsyncClient,
    login: Login,
    indicator: dict[str, Any],
    tambon: str,
    period: str,
    *,
    as_user: str = "demo-national",
    submit: bool = True,
    **figure: Any,
) -> httpx.Response:
    body = {"area_code": tambon, "period": period, "submit": submit, **figure}
    return await gateway.post(
        f"/v1/indicators/{indicator['id']}/updates", json=body, headers=bearer(await login(as_user))
    )


async def approved(
    gateway: httpx.AsyncClient,
    login: Login,
    indicator: dict[str, Any],
    tambon: str,
    period: str,
    **figure: Any,
) -> dict[str, Any]:
    """A figure entered by the national user and approved by the tambon's provincial reviewer."""
    entered = await enter(gateway, login, indicator, tambon, period, **figure)
    assert entered.status_code == 201, entered.text
    response = await gateway.post(
        f"{entered.headers['location']}/approve", headers=bearer(await login(REVIEWER_OF[tambon[:2]]))
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def rollup(gateway: httpx.AsyncClient, indicator: dict[str, Any], **params: Any) -> dict[str, Any]:
    response = await gateway.get(f"/v1/indicators/{indicator['id']}/rollup", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def item(rolled: dict[str, Any], area: str, dimension: str | None = None) -> dict[str, Any]:
    return next(i for i in rolled["items"] if i["area_code"] == area and i["dimension"] == dimension)
