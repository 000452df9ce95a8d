from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic.config import JsonDict
from pydantic_core import PydanticCustomError

from gateway.users.passwords import PASSWORD_MIN_LENGTH
from services.common.types import AreaCode, BirthDate, Label, NationalId, PatchModel, Verbatim

UserRole = Literal["national", "regional", "provincial", "tambon", "evaluator"]
# the level each role's area is (the service checks it: access.fits_level)
_LEVELS = {
    "national": "^TH$",
    "regional": "^[a-z]+(-[a-z]+)*$",
    "provincial": r"^\d{2}$",
    "tambon": r"^\d{6}$",
}
GRANT_FITS: JsonDict = {
    "allOf": [
        {
            "if": {"properties": {"role": {"const": role}}, "required": ["role"]},
            "then": {"properties": {"area": {"pattern": pattern}}},
        }
        for role, pattern in _LEVELS.items()
    ]
}


def _not_a_national_id(username: str) -> str:
    """A username is shown, logged and audited: thirteen digits would put a national ID there."""
    if len(username) == 13 and username.isdigit():
        raise PydanticCustomError("national_id_username", "Must not be thirteen digits, as a national ID is")
    return username


Username = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$"),
    AfterValidator(_not_a_national_id),
    Field(
        description="3–64 of A–Z, a–z, 0–9, `.`, `_`, `-`, starting with a letter or digit, not 13 digits "
        "(a national ID is never a username); kept lower-case (`Somchai` and `somchai` are one name)",
        json_schema_extra={"not": {"pattern": r"^\d{13}$"}},
    ),
]
Password = Annotated[Verbatim, Field(min_length=1, max_length=256)]
NewPassword = Annotated[
    Verbatim,
    Field(
        min_length=PASSWORD_MIN_LENGTH,
        max_length=256,
        description=f"At least {PASSWORD_MIN_LENGTH} characters, not one of the 30,000 most common "
        "passwords, not the username",
    ),
]


class Grant(BaseModel):
    """A role over an area: national → TH, regional → a CODI region, provincial → a province, tambon → a
    tambon; an evaluator in any area."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=GRANT_FITS)

    role: UserRole
    area: AreaCode


_NATIONAL_ID = Field(
    default=None,
    description="Their national ID, to find what Khabuan holds about them (a data subject request): kept as "
    "a keyed hash and its last four digits, never shown back",
)


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Username
    display_name: Label  # as stored: at most 200 characters
    grants: list[Grant] = Field(min_length=1, max_length=20)
    national_id: NationalId | None = _NATIONAL_ID
    birth_date: BirthDate | None = None


class UserUpdate(PatchModel):
    display_name: Label | None = Field(default=None, description="As stored: at most 200 characters")
    national_id: NationalId | None = _NATIONAL_ID
    birth_date: BirthDate | None = None


class UserPublic(BaseModel):
    """An account as its managers see it: never its password or its one-time code."""

    id: uuid.UUID
    username: str
    display_name: str
    grants: list[Grant]
    active: bool
    password_set: bool = Field(
        description="Whether a password was ever set (an invited account has none yet)"
    )
    code_pending: bool = Field(description="Whether a one-time code (an invite or a reset) waits to be used")
    national_id_last4: str | None = Field(description="The last four digits of their national ID, if given")
    birth_date: date | None
    version: int
    created_at: datetime
    updated_at: datetime


class CodeSent(BaseModel):
    """A one-time code was made and sent to the person (development: printed to the gateway's log)."""

    user_id: uuid.UUID
    expires_at: datetime
    code: str | None = Field(
        default=None,
        description="Only where KHABUAN_SHOW_ACCOUNT_CODES is on: the code, shown once, to hand over",
    )


class PasswordSet(BaseModel):
    """Set a password with a one-time code from an invite or a reset."""

    model_config = ConfigDict(extra="forbid")

    username: Username
    code: Annotated[Verbatim, Field(min_length=1, max_length=100)]
    password: NewPassword


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: Password
    new_password: NewPassword


class UserCreated(UserPublic):
    invite: CodeSent = Field(description="The one-time code sent to the person to set their password")
