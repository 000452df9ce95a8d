from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from pydantic import TypeAdapter, ValidationError

from services.common.calendar import fiscal_year, fiscal_year_bounds
from services.common.money import Satang, format_baht

BANGKOK_OFFSET = timezone(timedelta(hours=7))


def test_last_half_hour_of_september_in_bangkok_is_still_fiscal_2567() -> None:
    assert fiscal_year(datetime(2024, 9, 30, 23, 30, tzinfo=BANGKOK_OFFSET)) == 2567


def test_first_moment_of_october_in_bangkok_starts_fiscal_2568() -> None:
    assert fiscal_year(datetime(2024, 10, 1, 0, 0, tzinfo=BANGKOK_OFFSET)) == 2568


def test_fiscal_year_follows_the_bangkok_date_not_the_utc_date() -> None:
    # 17:00 UTC on 30 Sep is already 1 Oct in Bangkok
    assert fiscal_year(datetime(2024, 9, 30, 17, 0, tzinfo=UTC)) == 2568
    assert fiscal_year(datetime(2024, 9, 30, 16, 59, tzinfo=UTC)) == 2567


def test_plain_dates_are_bangkok_dates() -> None:
    assert fiscal_year(date(2025, 9, 30)) == 2568
    assert fiscal_year(date(2025, 10, 1)) == 2569


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(ValueError):
        fiscal_year(datetime(2024, 10, 1))


def test_fiscal_2568_runs_from_october_2024_to_september_2025() -> None:
    assert fiscal_year_bounds(2568) == (date(2024, 10, 1), date(2025, 9, 30))


def test_money_is_whole_satang_never_a_float_or_negative() -> None:
    adapter = TypeAdapter(Satang)
    assert adapter.validate_python(150000) == 150000
    for bad in (1.5, "100", -1):
        with pytest.raises(ValidationError):
            adapter.validate_python(bad)


def test_satang_formats_as_baht_with_two_decimals() -> None:
    assert format_baht(123456) == "1,234.56"
    assert format_baht(5) == "0.05"
    assert format_baht(-100) == "-1.00"
