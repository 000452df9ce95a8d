"""A province's figure is its indicator's rule applied to its tambons' approved values — over a fiscal
year's quarters first (the period rule), then over the tambons (the area rule). A tambon that reported zero
counts; a tambon that did not report is missing: it lowers coverage, never the figure."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.conftest import Login, bearer
from tests.plans.indicators import approved, define, enter, item, rollup

YEAR = 2569
PHATTHALUNG_TAMBONS, CHAINAT_TAMBONS = 65, 53


async def unit_values(gateway: httpx.AsyncClient, login: Login, indicator: dict[str, Any]) -> None:
    """930101 reports 10, 930103 reports a zero, 930104 reports nothing; Chai Nat's 180101 reports 5."""
    for tambon, value in (("930101", 10), ("930103", 0), ("180101", 5)):
        await approved(gateway, login, indicator, tambon, "2569", value=value)


@pytest.mark.parametrize(
    ("area_rule", "phatthalung", "nation"),
    [("sum", 10, 15), ("average", 5, 5), ("min", 0, 0), ("max", 10, 10)],
)
async def test_each_area_rule_over_the_tambons_that_reported(
    gateway: httpx.AsyncClient, login: Login, area_rule: str, phatthalung: float, nation: float
) -> None:
    indicator = await define(gateway, login, area="TH", area_rule=area_rule)
    await unit_values(gateway, login, indicator)

    provinces = await rollup(gateway, indicator, level="province", fiscal_year=YEAR)
    country = await rollup(gateway, indicator, level="nation", fiscal_year=YEAR)

    assert item(provinces, "93")["actual"] == phatthalung
    assert item(provinces, "93")["tambons_reporting"] == 2  # the zero counts, the silent tambon does not
    assert item(provinces, "18")["actual"] == 5
    assert item(provinces, "57")["actual"] is None
    assert item(provinces, "57")["tambons_reporting"] == 0
    assert item(country, "TH")["actual"] == nation
    assert provinces["formula"]
    assert provinces["area_rule"] == area_rule


async def test_the_nation_is_the_sum_over_provinces_for_a_sum(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login, area="TH", area_rule="sum")
    await unit_values(gateway, login, indicator)

    provinces = await rollup(gateway, indicator, level="province", fiscal_year=YEAR)
    regions = await rollup(gateway, indicator, level="region", fiscal_year=YEAR)
    country = await rollup(gateway, indicator, level="nation", fiscal_year=YEAR)

    by_province = sum(i["actual"] for i in provinces["items"] if i["actual"] is not None)
    assert item(country, "TH")["actual"] == by_province == 15
    assert sum(i["actual"] or 0 for i in regions["items"]) == 15
    assert len(provinces["items"]) == 77
    assert item(country, "TH")["tambons_expected"] == 7436


async def test_coverage_counts_the_tambons_that_reported_against_those_expected(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login, area="TH")
    await unit_values(gateway, login, indicator)

    provinces = await rollup(gateway, indicator, level="province", fiscal_year=YEAR)
    districts = await rollup(gateway, indicator, level="district", fiscal_year=YEAR, area="9301")
    tambons = await rollup(gateway, indicator, level="tambon", fiscal_year=YEAR, area="9301")

    phatthalung = item(provinces, "93")
    assert (phatthalung["tambons_reporting"], phatthalung["tambons_expected"]) == (2, PHATTHALUNG_TAMBONS)
    assert phatthalung["coverage"] == round(2 / PHATTHALUNG_TAMBONS, 4)
    assert item(provinces, "18")["coverage"] == round(1 / CHAINAT_TAMBONS, 4)
    assert [(i["area_code"], i["tambons_expected"]) for i in districts["items"]] == [("9301", 14)]
    shown = {i["area_code"]: i["actual"] for i in tambons["items"]}
    assert shown["930101"] == 10
    assert shown["930103"] == 0
    assert shown["930104"] is None
    assert len(shown) == 14


async def test_a_percent_is_sum_of_numerators_over_sum_of_denominators_never_a_mean_of_percentages(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login, measure="percent")
    await approved(gateway, login, indicator, "930101", "2569", numerator=3, denominator=4)  # 75 %
    await approved(gateway, login, indicator, "930103", "2569", numerator=0, denominator=10)  # 0 %

    provinces = await rollup(gateway, indicator, level="province", fiscal_year=YEAR)

    phatthalung = item(provinces, "93")
    assert indicator["area_rule"] == "ratio"
    assert (phatthalung["numerator"], phatthalung["denominator"]) == (3, 14)
    assert phatthalung["actual"] == float(round(Decimal(300) / Decimal(14), 4))  # 21.4286, not 37.5


QUARTERS = {"930101": {"2569-Q1": 5, "2569-Q2": 7, "2569-Q4": 9}, "930103": {"2569-Q1": 2}}


@pytest.mark.parametrize(
    ("period_rule", "first", "province"), [("sum", 21, 23), ("latest", 9, 11), ("average", 7, 9)]
)
async def test_each_period_rule_makes_a_tambons_year_from_its_quarters(
    gateway: httpx.AsyncClient, login: Login, period_rule: str, first: float, province: float
) -> None:
    indicator = await define(gateway, login, period_kind="quarter", period_rule=period_rule)
    for tambon, quarters in QUARTERS.items():
        for period, value in quarters.items():
            await approved(gateway, login, indicator, tambon, period, value=value)
    await approved(gateway, login, indicator, "930101", "2570-Q1", value=100)  # another fiscal year

    tambons = await rollup(gateway, indicator, level="tambon", fiscal_year=YEAR, area="93")
    provinces = await rollup(gateway, indicator, level="province", fiscal_year=YEAR, area="93")

    assert item(tambons, "930101")["actual"] == first
    assert item(provinces, "93")["actual"] == province


async def test_a_quarterly_indicator_takes_quarters_and_a_yearly_one_years(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    quarterly = await define(gateway, login, period_kind="quarter")
    yearly = await define(gateway, login)

    year_for_quarterly = await enter(gateway, login, quarterly, "930101", "2569", value=1)
    quarter_for_yearly = await enter(gateway, login, yearly, "930101", "2569-Q2", value=1)

    assert year_for_quarterly.status_code == 409  # it conflicts with the stored indicator
    assert "2569-Q1" in year_for_quarterly.text
    assert quarter_for_yearly.status_code == 409


async def test_dimensions_roll_up_each_on_its_own(gateway: httpx.AsyncClient, login: Login) -> None:
    indicator = await define(gateway, login, dimensions=["health", "income"])
    await approved(gateway, login, indicator, "930101", "2569", value=4, dimension="health")
    await approved(gateway, login, indicator, "930103", "2569", value=6, dimension="health")
    await approved(gateway, login, indicator, "930101", "2569", value=1, dimension="income")
    unknown = await enter(gateway, login, indicator, "930101", "2569", value=1, dimension="education")
    none = await enter(gateway, login, indicator, "930101", "2569", value=1)

    provinces = await rollup(gateway, indicator, level="province", fiscal_year=YEAR)

    assert item(provinces, "93", "health")["actual"] == 10
    assert item(provinces, "93", "income")["actual"] == 1
    assert item(provinces, "93", "income")["tambons_reporting"] == 1
    assert unknown.status_code == 409
    assert none.status_code == 409


async def test_certified_only_counts_the_provinces_that_certified(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login, area="TH")
    await unit_values(gateway, login, indicator)
    base = f"/v1/indicators/{indicator['id']}/periods/2569"
    chainat = bearer(await login("demo-tambon-180101"))
    assert (await gateway.post(f"{base}/tambons/180101/verify", headers=chainat)).status_code == 200
    certified = await gateway.post(
        f"{base}/provinces/18/certify", headers=bearer(await login("demo-provincial-18"))
    )
    assert certified.status_code == 200, certified.text

    everything = await rollup(gateway, indicator, level="nation", fiscal_year=YEAR)
    only_certified = await rollup(gateway, indicator, level="nation", fiscal_year=YEAR, certified_only="true")

    assert item(everything, "TH")["actual"] == 15
    assert item(only_certified, "TH")["actual"] == 5
    assert item(only_certified, "TH")["tambons_reporting"] == 1


async def test_an_areas_own_target_wins_over_its_tambons_targets(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login, area="TH")
    targets = [
        {"area_code": "930101", "period": "2569", "value": 20},
        {"area_code": "930103", "period": "2569", "value": 30},
        {"area_code": "180101", "period": "2569", "value": 7},
        {"area_code": "18", "period": "2569", "value": 100},
    ]
    response = await gateway.post(
        f"/v1/indicators/{indicator['id']}/targets",
        json={"targets": targets},
        headers=bearer(await login("demo-national")),
    )
    assert response.status_code == 200, response.text
    again = await gateway.post(
        f"/v1/indicators/{indicator['id']}/targets",
        json={"targets": [{"area_code": "930101", "period": "2569", "value": 25}]},
        headers=bearer(await login("demo-national")),
    )
    assert again.status_code == 200

    provinces = await rollup(gateway, indicator, level="province", fiscal_year=YEAR)

    assert item(provinces, "93")["target"] == 55  # rolled from its tambons (25 replaced 20)
    assert item(provinces, "18")["target"] == 100  # its own
    listed = await gateway.get(f"/v1/indicators/{indicator['id']}/targets", params={"area": "93"})
    assert sorted(t["value"] for t in listed.json()["items"]) == [25, 30]
