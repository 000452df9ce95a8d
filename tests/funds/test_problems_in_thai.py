"""A Thai reader gets every refusal in Thai — the problem's detail and each field's own."""

from __future__ import annotations

import re

import httpx

from tests.funds.conftest import FundsClient, People

THAI = {"Accept-Language": "th"}
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


async def test_empty_or_blank_free_text_is_refused_in_thai_as_text(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester = await person("demo-provincial-93")
    fund = await funds.open(requester, committee=[])
    body = {"amount_satang": 100, "payee_kind": "organisation", "payee_name": "สหกรณ์"}

    empty = await gateway.post(
        f"/v1/funds/{fund['id']}/disbursements",
        json={**body, "purpose": ""},
        headers={**requester.keyed(), **THAI},
    )
    blank = await gateway.post(
        f"/v1/funds/{fund['id']}/disbursements",
        json={**body, "purpose": "   "},
        headers={**requester.keyed(), **THAI},
    )

    assert empty.status_code == blank.status_code == 422
    assert empty.json()["errors"] == [{"pointer": "/purpose", "detail": "ต้องยาวอย่างน้อย 1 ตัวอักษร"}]
    [blank_error] = blank.json()["errors"]
    assert blank_error["pointer"] == "/purpose"
    assert not LATIN_WORD.search(blank_error["detail"]), blank_error


async def test_a_cursor_the_list_never_gave_is_refused_in_thai(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    fund = await funds.open(await person("demo-provincial-93"), committee=[])

    for path in ("/ledger", "/disbursements"):
        refused = await gateway.get(
            f"/v1/funds/{fund['id']}{path}", params={"cursor": "garbage"}, headers=THAI
        )
        assert refused.status_code == 422
        [error] = refused.json()["errors"]
        assert (error["parameter"], error["in"]) == ("cursor", "query")
        assert not LATIN_WORD.search(error["detail"].replace("cursor", "")), (path, error)
