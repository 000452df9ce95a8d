from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, computed_field

from services.assessment.frameworks.models import FrameworkBase
from services.common.resources import Shown
from services.common.types import AreaCode, LongText, Name, PatchModel, RequestBody, Sentence, whole_number

Code = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$", description="e.g. shared_data")
]
Weight = Annotated[
    int,
    Field(strict=True, ge=1, le=100, description="Its share of a weighted score (1–100)"),
    BeforeValidator(whole_number),
]


class Level(RequestBody):
    """One step of the scale (level n is the n-th, lowest first)."""

    label_th: Name
    label_en: Name | None = None


class Descriptor(RequestBody):
    """What the criterion looks like at one level."""

    th: Sentence
    en: Sentence | None = None


class Criterion(RequestBody):
    """What is judged. Its descriptors, when given, are one per level of the scale, lowest first."""

    code: Code
    title_th: Name
    title_en: Name | None = None
    weight: Weight = 1
    descriptors: list[Descriptor] = Field(default_factory=list, max_length=10)


Levels = Annotated[list[Level], Field(min_length=2, max_length=10, description="The scale, lowest first")]
Criteria = Annotated[
    list[Criterion], Field(min_length=1, max_length=50, description="What is judged (codes appear once)")
]


class FrameworkCreate(RequestBody):
    """A framework of the caller's area: a scale of levels and the criteria judged on it."""

    title_th: Name
    title_en: Name | None = None
    description: LongText = ""
    area_code: AreaCode
    levels: Levels
    criteria: Criteria


class FrameworkEdit(PatchModel):
    """Fields left out stay as they are. A version no round has used changes in place (200); a used one
    stays as it is and the edit becomes the next version (201, at its `Location`)."""

    title_th: Name | None = None
    title_en: Name | None = None
    description: LongText | None = None
    levels: Levels | None = None
    criteria: Criteria | None = None


class FrameworkPublic(Shown, FrameworkBase):
    @computed_field(description="Σ weight of its criteria")  # type: ignore[prop-decorator]
    @property
    def weight_total(self) -> int:
        return sum(int(criterion.get("weight", 1)) for criterion in self.criteria)
