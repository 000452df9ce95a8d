"""Money is an integer number of satang (1 baht = 100 satang), never a float. Currency: THB."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field

from services.common.types import whole_number

SATANG_PER_BAHT = 100
MAX_SATANG = 10**15  # ten trillion baht: far above any community fund, far below int64
MAX_BALANCE_SATANG = 2**63 - 1  # what a ledger balance column (bigint) holds, either side of zero


Satang = Annotated[
    int,
    Field(
        strict=True,
        ge=0,
        le=MAX_SATANG,
        description="Amount in satang (integer; 100 satang = 1 baht)",
        examples=[150000],
    ),
    BeforeValidator(whole_number),
]
PositiveSatang = Annotated[
    int,
    Field(strict=True, gt=0, le=MAX_SATANG, description="Amount in satang (integer, > 0)", examples=[150000]),
    BeforeValidator(whole_number),
]


def format_baht(satang: int, *, grouping: bool = True) -> str:
    """`123456` → `"1,234.56"` (exports show baht with two decimals)."""
    sign = "-" if satang < 0 else ""
    baht, rest = divmod(abs(satang), SATANG_PER_BAHT)
    whole = f"{baht:,}" if grouping else str(baht)
    return f"{sign}{whole}.{rest:02d}"
