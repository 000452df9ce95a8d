"""Free-text request fields the funds service shares (purposes, reasons, references)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from services.common.types import Paragraph, Sentence


def _not_blank(value: str) -> str:
    value = value.strip()
    if not value:
        raise PydanticCustomError("blank_text", "Must not be blank")
    return value


Purpose = Sentence
Reason = Sentence
Note = Paragraph
Reference = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_not_blank)]
