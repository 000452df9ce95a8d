"""SQL filters by area, so `?area=` means the same thing in every service."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, true

from services.common.geo.areas import COUNTRY, REGIONS, provinces_of_region


def within_area(column: Any, area: str) -> ColumnElement[bool]:
    """Rows whose area code lies inside `area` (TH, a CODI region, or a DOPA code prefix); a region's own
    rows (filed under its code, as a regional user's work is) are inside it too."""
    if area == COUNTRY:
        return true()
    if area in REGIONS:
        return or_(column == area, func.substr(column, 1, 2).in_(provinces_of_region(area)))
    if not area.isdigit():
        return false()
    return column.startswith(area, autoescape=True)  # type: ignore[no-any-return]
