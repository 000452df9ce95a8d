"""Thai fiscal years: 1 Oct – 30 Sep, named by the Buddhist-era year they end in, on the Bangkok calendar."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from services.common.clock import utcnow

BANGKOK = ZoneInfo("Asia/Bangkok")
BUDDHIST_ERA_OFFSET = 543


def bangkok_date(moment: datetime) -> date:
    """The Bangkok calendar date of an aware timestamp (naive timestamps are refused: they hide bugs)."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must carry a time zone")
    return moment.astimezone(BANGKOK).date()


def fiscal_year(day: date | datetime) -> int:
    """ปีงบประมาณ: 1 Oct 2024 (Bangkok) starts 2568; 30 Sep 2024 is still 2567."""
    if isinstance(day, datetime):
        day = bangkok_date(day)
    gregorian = day.year + 1 if day.month >= 10 else day.year
    return gregorian + BUDDHIST_ERA_OFFSET


def current_fiscal_year() -> int:
    return fiscal_year(utcnow())


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    """First and last Bangkok dates of a Buddhist-era fiscal year."""
    gregorian = year - BUDDHIST_ERA_OFFSET
    return date(gregorian - 1, 10, 1), date(gregorian, 9, 30)
