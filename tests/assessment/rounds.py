"""A round to score, as the tests set one up through the gateway: a small framework of Chainat's, an
internal empowerment team with the demo evaluator as its lead, assigned as asked; the round open."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import uvicorn

from khabuan.embedded import free_port
from services.assessment.app import create_app
from services.common.settings import Settings
from tests.assessment.test_team_members import account_id
from tests.conftest import Login, bearer
from tests.stackrunner import RunningStack

LEVELS = [{"label_th": "ลุกยืนได้"}, {"label_th": "แข็งแรง"}, {"label_th": "วิ่งได้"}]
CRITERIA = [
    {"code": "shared_data", "title_th": "ข้อมูลร่วม", "weight": 3},
    {"code": "joint_plan", "title_th": "แผนร่วม", "weight": 1},
]


def bangkok_today() -> datetime:
    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Bangkok"))


@dataclass
class Scoring:
    """An open round of province 18 (Chainat) over `areas`, its team, and the tokens of who acts in it."""

    round: dict[str, Any]
    team_id: str
    keeper: str  # demo-provincial-18
    evaluator: str  # the team's lead
    community: str  # demo-tambon-180101

    @property
    def url(self) -> str:
        return f"/v1/rounds/{self.round['id']}"

    def item(self, area: str, criterion: str) -> str:
        return f"{self.url}/items/{area}/{criterion}"


async def chainat_round(
    gateway: httpx.AsyncClient,
    login: Login,
    *,
    assigned: list[str],
    areas: list[str] | None = None,
    framework: dict[str, Any] | None = None,
    keeper_name: str = "demo-provincial-18",
    area_code: str = "18",
) -> Scoring:
    """An open round of `area_code` (Chainat unless asked), written by `keeper_name`."""
    keeper = await login(keeper_name)
    evaluator = await login("demo-evaluator")
    if framework is None:
        body: dict[str, Any] = {
            "title_th": "กรอบทดสอบชัยนาท",
            "area_code": area_code,
            "levels": LEVELS,
            "criteria": CRITERIA,
        }
        created = await gateway.post("/v1/frameworks", json=body, headers=bearer(keeper))
        assert created.status_code == 201, created.text
        framework = created.json()
    team = await gateway.post(
        "/v1/teams",
        json={"kind": "internal_empowerment", "name": "ทีมประเมินภายใน", "area_code": area_code},
        headers=bearer(keeper),
    )
    assert team.status_code == 201, team.text
    team_id = team.json()["id"]
    lead = await account_id(gateway, evaluator)
    put = await gateway.put(
        f"/v1/teams/{team_id}/members/{lead}", json={"role": "lead"}, headers=bearer(keeper)
    )
    assert put.status_code == 201, put.text
    for area in assigned:
        sent = await gateway.put(f"/v1/teams/{team_id}/assignments/{area}", headers=bearer(keeper))
        assert sent.status_code == 201, sent.text
    today = bangkok_today().date()
    body = {
        "title_th": "รอบประเมินชัยนาท",
        "framework_id": framework["id"],
        "fiscal_year": 2570,
        "area_code": area_code,
        "areas": areas or ["180101", "180102"],
        "team_id": team_id,
        "opens_on": (today - timedelta(days=1)).isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat(),
    }
    planned = await gateway.post("/v1/rounds", json=body, headers=bearer(keeper))
    assert planned.status_code == 201, planned.text
    opened = await gateway.post(f"/v1/rounds/{planned.json()['id']}/open", headers=bearer(keeper))
    assert opened.status_code == 200, opened.text
    return Scoring(opened.json(), team_id, keeper, evaluator, await login("demo-tambon-180101"))


def score(level: int, comment: str = "", evidence: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"level": level, "comment": comment, "evidence": evidence or []}


@asynccontextmanager
async def assessment_with_plans_down(stack: RunningStack) -> AsyncIterator[str]:
    """The base URL of a second assessment service, in this test process, over the stack's database and
    gateway but with plans a closed port: what the service sees while plans is down."""
    settings = Settings.model_validate(
        {
            "env": "test",
            "data_dir": stack.data_dir,
            "DATABASE_URL": stack.state["database_url"],
            "REDIS_URL": stack.state["redis_url"],
            "jwks_url": f"{stack.gateway_url}/.well-known/jwks.json",
            "token_url": f"{stack.gateway_url}/v1/auth/token",
            "geo_url": f"{stack.gateway_url}/v1/geo",
            "plans_url": f"http://127.0.0.1:{free_port()}",
            "log_level": "WARNING",
        }
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:
        assert not serving.done(), "the in-process assessment service did not start"
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving


async def agreed(
    gateway: httpx.AsyncClient, scoring: Scoring, area: str, criterion: str, level: int, *, own: str
) -> None:
    """Both sides score `level` (the self side with the token `own`); the team submits; its lead reviews."""
    item = scoring.item(area, criterion)
    for side, token in (("self", own), ("team", scoring.evaluator)):
        scored = await gateway.put(f"{item}/{side}", json=score(level), headers=bearer(token))
        assert scored.status_code == 200, scored.text
    assert (await gateway.post(f"{item}/submit", headers=bearer(scoring.evaluator))).status_code == 200
    reviewed = await gateway.post(f"{item}/review", json={}, headers=bearer(scoring.evaluator))
    assert reviewed.status_code == 200, reviewed.text
