from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.common.privacy import Erased, Held
from services.common.types import Name, NationalId


class PrivacyRequestCreate(BaseModel):
    """A data subject's request (PDPA §30 access, §33 erasure), made for them by a national administrator:
    the person is named by their account, their names or their national IDs (at least one of these)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={  # their account, or at least one name (checked below as well)
            "anyOf": [
                {"required": ["user_id"], "properties": {"user_id": {"type": "string"}}},
                {"required": ["names"], "properties": {"names": {"minItems": 1}}},
                {"required": ["national_ids"], "properties": {"national_ids": {"minItems": 1}}},
            ]
        },
    )

    kind: Literal["access", "erasure"]
    user_id: uuid.UUID | None = Field(default=None, description="Their account, if they have one")
    names: Annotated[list[Name], Field(max_length=10)] = Field(
        default_factory=list, description="The names they appear under in records (their account's is added)"
    )
    national_ids: Annotated[list[NationalId], Field(max_length=5)] = Field(
        default_factory=list,
        description="Their national IDs, matched by keyed hash (their account's is added); never stored here",
    )

    @model_validator(mode="after")
    def _someone(self) -> PrivacyRequestCreate:
        if self.user_id is None and not self.names and not self.national_ids:
            raise ValueError("name the person, their account or their national ID")
        return self


class PrivacyResult(BaseModel):
    request_id: uuid.UUID
    kind: Literal["access", "erasure"]
    pseudonym: str | None = Field(description="What replaced their names (erasure)")
    account: dict[str, Any] | None = Field(description="Their account as held (access)")
    held: list[Held] = Field(description="What each service holds about them (access)")
    erased: list[Erased] = Field(description="How many records each service pseudonymised (erasure)")
