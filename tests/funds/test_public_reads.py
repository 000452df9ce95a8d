"""Anyone can read funds, balances, requests and the ledger — without learning who the people are."""

from __future__ import annotations

import csv
import io
import zipfile

import httpx

from tests.funds.conftest import FundsClient, People

PERSON = "นายสมชาย ใจดี"


async def test_anonymous_readers_see_money_and_organisations_but_no_people(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester, national = await person("demo-provincial-93"), await person("demo-national")
    fund = await funds.open(requester, committee=[national], approvals_required=1)
    await funds.contribute(requester, fund["id"], 9_000, kind="individual", name="นางสาวใจบุญ มีทรัพย์")
    await funds.contribute(requester, fund["id"], 50_000, kind="partner", name="มูลนิธิชุมชนไท")
    to_person = await funds.request(requester, fund["id"], 3_000, payee_kind="individual", payee_name=PERSON)
    to_shop = await funds.request(requester, fund["id"], 2_000, payee_name="ร้านวัสดุก่อสร้างเจริญ")
    for disbursement in (to_person, to_shop):
        await funds.approve(national, fund["id"], disbursement["id"])
        await funds.pay(requester, fund["id"], disbursement["id"])
    base = f"/v1/funds/{fund['id']}"

    public = {
        path: await gateway.get(base + path)
        for path in (
            "",
            "/ledger",
            "/ledger/verify",
            "/disbursements",
            f"/disbursements/{to_person['id']}",
            "/contributions",
            "/history",
            "/ledger/export?format=csv",
        )
    }
    public["/v1/funds"] = await gateway.get("/v1/funds", params={"area": "93", "limit": 200})
    xlsx = await gateway.get(base + "/ledger/export", params={"format": "xlsx"})
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as workbook:
        public["xlsx"] = httpx.Response(
            200, content=b"".join(workbook.read(name) for name in workbook.namelist())
        )

    assert all(response.status_code == 200 for response in public.values())
    secrets = [PERSON, "นางสาวใจบุญ มีทรัพย์", requester.id, national.id, "KTB-0001"]
    for path, response in public.items():
        for secret in secrets:
            assert secret not in response.text, (path, secret)
    fund_seen = public[""].json()
    assert (fund_seen["balance_satang"], fund_seen["committee"], fund_seen["committee_size"]) == (
        54_000,
        None,
        1,
    )
    ledger = {entry["amount_satang"]: entry for entry in public["/ledger"].json()["items"]}
    assert ledger[9_000]["counterparty_name"] == "individual"
    assert ledger[-3_000]["counterparty_name"] == "individual"
    assert ledger[-2_000]["counterparty_name"] == "ร้านวัสดุก่อสร้างเจริญ"
    assert ledger[50_000]["counterparty_name"] == "มูลนิธิชุมชนไท"
    assert public[f"/disbursements/{to_person['id']}"].json()["payee_name"] == "individual"
    rows = list(csv.reader(io.StringIO(public["/ledger/export?format=csv"].text.lstrip("\ufeff"))))
    assert "individual" in {row[4] for row in rows}

    staff = await gateway.get(f"{base}/disbursements/{to_person['id']}", headers=requester.headers)
    assert staff.json()["payee_name"] == PERSON
    assert staff.json()["requested_by"] == requester.id
    assert staff.json()["payment_reference"] == "KTB-0001"
    assert (await gateway.get(base, headers=requester.headers)).json()["committee"] == [national.id]


async def test_another_provinces_staff_and_partners_read_like_the_public(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester, national, outsider = (
        await person("demo-provincial-93"),
        await person("demo-national"),
        await person("demo-provincial-18"),
    )
    fund = await funds.open(requester, committee=[national])

    seen = await gateway.get(f"/v1/funds/{fund['id']}", headers=outsider.headers)

    assert seen.status_code == 200
    assert seen.json()["committee"] is None
