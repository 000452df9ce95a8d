"""Funds tests drive the real stack through the gateway, as the demo users; a few read or change the
database directly (the ledger audit tests play a rogue administrator)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from tests.conftest import Login, bearer


@dataclass(frozen=True)
class Person:
    username: str
    id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)

    def keyed(self, key: str | None = None) -> dict[str, str]:
        return {**self.headers, "Idempotency-Key": key or str(uuid.uuid4())}


People = Callable[[str], Awaitable[Person]]


@pytest.fixture(scope="session")
def person(gateway: httpx.AsyncClient, login: Login) -> People:
    """`await person("demo-national")`: the demo user's token and user id (what committees list)."""
    known: dict[str, Person] = {}

    async def get(username: str) -> Person:
        if username not in known:
            token = await login(username)
            me = await gateway.get("/v1/me", headers=bearer(token))
            assert me.status_code == 200, me.text
            known[username] = Person(username, me.json()["id"], token)
        return known[username]

    return get


def yesterday() -> str:
    return (date.today() - timedelta(days=1)).isoformat()


class FundsClient:
    """The calls a test makes, each asserting it got the answer it expects."""

    def __init__(self, gateway: httpx.AsyncClient) -> None:
        self.gateway = gateway

    async def open(
        self,
        opener: Person,
        *,
        committee: list[Person],
        approvals_required: int | None = None,
        area: str = "93",
    ) -> dict[str, Any]:
        """A fund of `area` with this committee; it needs two approvals unless the committee is smaller."""
        if approvals_required is None:
            approvals_required = min(2, len(committee)) or 2
        body = {
            "name_th": f"กองทุนทดสอบ {uuid.uuid4().hex[:8]}",
            "kind": {2: "pooled_province", 6: "tambon"}.get(len(area), "project"),  # a kind fits its level
            "area_code": area,
            "approvals_required": approvals_required,
            "committee": [member.id for member in committee],
        }
        response = await self.gateway.post("/v1/funds", json=body, headers=opener.keyed())
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def fund(self, fund_id: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        response = await self.gateway.get(f"/v1/funds/{fund_id}", headers=headers or {})
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def contribute(
        self,
        recorder: Person,
        fund_id: str,
        amount: int,
        *,
        kind: str = "savings_group",
        name: str = "กลุ่มออมทรัพย์",
    ) -> dict[str, Any]:
        body = {"amount_satang": amount, "source_kind": kind, "source_name": name, "received_on": yesterday()}
        response = await self.gateway.post(
            f"/v1/funds/{fund_id}/contributions", json=body, headers=recorder.keyed()
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def request(self, requester: Person, fund_id: str, amount: int, **payee: Any) -> dict[str, Any]:
        body = {
            "amount_satang": amount,
            "purpose": "ค่าวัสดุโครงการ",
            "payee_kind": "organisation",
            "payee_name": "สหกรณ์บ้านมั่นคง",
            **payee,
        }
        response = await self.gateway.post(
            f"/v1/funds/{fund_id}/disbursements", json=body, headers=requester.keyed()
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def act(
        self,
        actor: Person,
        fund_id: str,
        disbursement_id: str,
        action: str,
        body: dict[str, Any] | None = None,
    ) -> httpx.Response:
        return await self.gateway.post(
            f"/v1/funds/{fund_id}/disbursements/{disbursement_id}/{action}", json=body, headers=actor.keyed()
        )

    async def approve(self, approver: Person, fund_id: str, disbursement_id: str) -> dict[str, Any]:
        response = await self.act(approver, fund_id, disbursement_id, "approve")
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def pay(self, payer: Person, fund_id: str, disbursement_id: str) -> dict[str, Any]:
        response = await self.act(payer, fund_id, disbursement_id, "pay", {"payment_reference": "KTB-0001"})
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def ledger(self, fund_id: str, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []
        params: dict[str, Any] = {"limit": 200}
        while True:
            page = await self.gateway.get(f"/v1/funds/{fund_id}/ledger", params=params, headers=headers or {})
            assert page.status_code == 200, page.text
            entries += page.json()["items"]
            if not page.json()["next_cursor"]:
                return entries
            params["cursor"] = page.json()["next_cursor"]

    async def verify(self, fund_id: str) -> dict[str, Any]:
        response = await self.gateway.get(f"/v1/funds/{fund_id}/ledger/verify")
        assert response.status_code == 200, response.text
        return dict(response.json())


@pytest.fixture(scope="session")
def funds(gateway: httpx.AsyncClient) -> FundsClient:
    return FundsClient(gateway)


async def transfer_sums(database: asyncpg.Connection, fund_id: str) -> list[int]:
    """The sum of every transfer that touched the fund's accounts (each must be 0)."""
    rows = await database.fetch(
        "SELECT sum(e.amount_satang) AS total FROM funds.ledger_entries e WHERE e.transfer_id IN ("
        " SELECT x.transfer_id FROM funds.ledger_entries x"
        " JOIN funds.ledger_accounts a ON a.id = x.account_id WHERE a.owner_id = $1) GROUP BY e.transfer_id",
        uuid.UUID(fund_id),
    )
    return [int(row["total"]) for row in rows]
