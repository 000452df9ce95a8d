"""What a new password must be: long enough, not one of the 30,000 most common (zxcvbn's bundled list),
not the username."""

from __future__ import annotations

from functools import cache

from zxcvbn.frequency_lists import FREQUENCY_LISTS

from services.common import errors
from services.common.i18n import Text


@cache
def _common() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


PASSWORD_MIN_LENGTH = 10  # the schema states it (schemas.NewPassword); this module checks what it cannot


def check_new_password(password: str, *, username: str, pointer: str) -> None:
    """422 at `pointer` for a password a person should not use."""
    if password.lower() in _common() or password.lower() == username.lower():
        detail = Text(
            "This password is too common or is the username: choose another.",
            "รหัสผ่านนี้ใช้กันทั่วไปหรือตรงกับชื่อผู้ใช้ กรุณาเลือกรหัสผ่านอื่น",
        )
        raise errors.at_field(errors.ValidationFailed, pointer, detail)
