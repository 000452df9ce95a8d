"""Search over the plans' texts: a trigram match (pg_trgm, GIN-indexed: `plans_0003`) of the folded query in
each searchable text, best title similarity first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Uuid, cast, func, literal, null, or_, select, union_all
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.geo.queries import within_area
from services.plans.projects.models import Activity, Project
from services.plans.search.schemas import Found, SearchHit
from services.plans.strategies.models import Strategy


def _hits(kind: Found, model: Any, area: str, texts: tuple[str, ...], query: str) -> Select[Any]:
    """One kind's rows matching `query` in any of `texts`, as search hits."""
    project = col(model.project_id) if kind is Found.activity else cast(null(), Uuid)  # UNION needs its type
    return select(
        literal(kind.value).label("type"),
        col(model.id).label("id"),
        col(model.title_th).label("title_th"),
        col(getattr(model, area)).label("area_code"),
        project.label("project_id"),
        func.similarity(col(model.title_th), query).label("score"),
    ).where(or_(*(col(getattr(model, text)).icontains(query, autoescape=True) for text in texts)))


# each kind: its table, the column holding its area, the texts searched (each trigram-indexed: plans_0003)
KINDS: dict[Found, tuple[Any, str, tuple[str, ...]]] = {
    Found.strategy: (Strategy, "province_code", ("title_th", "vision")),
    Found.project: (Project, "province_code", ("title_th", "summary")),
    Found.activity: (Activity, "area_code", ("title_th",)),
}


async def search(
    session: AsyncSession, query: str, *, kinds: list[Found], area: str | None, limit: int
) -> list[SearchHit]:
    found = union_all(*(_hits(kind, *KINDS[kind], query) for kind in kinds)).subquery()
    statement = select(found)
    if area:
        statement = statement.where(within_area(found.c.area_code, area))
    statement = statement.order_by(found.c.score.desc(), found.c.title_th, found.c.id).limit(limit)
    rows = (await session.execute(statement)).mappings()
    return [SearchHit(**row) for row in rows]
