"""Search over the plans' public texts: each word of the folded query found (a trigram match, pg_trgm,
GIN-indexed) in one of a row's searchable texts, best title similarity first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Uuid, and_, cast, func, literal, null, or_, select, union_all
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.geo.queries import within_area
from services.plans.agendas.models import Agenda
from services.plans.forums.models import Resolution
from services.plans.projects.models import Activity, Project
from services.plans.search.schemas import Found, SearchHit
from services.plans.strategies.models import Goal, Plan, Strategy


def _hits(kind: Found, model: Any, area: str, texts: tuple[str, ...], query: str) -> Select[Any]:
    """One kind's rows holding each word of `query` in one of `texts` (the first is its title), as hits."""
    parent = PARENT.get(kind)
    title = col(getattr(model, texts[0]))
    words = dict.fromkeys(query.split()[:MAX_WORDS])
    return select(
        literal(kind.value).label("type"),
        col(model.id).label("id"),
        title.label("title_th"),
        col(getattr(model, area)).label("area_code"),
        (col(getattr(model, parent)) if parent else cast(null(), Uuid)).label("parent_id"),  # UNION: typed
        (col(model.project_id) if kind is Found.activity else cast(null(), Uuid)).label("project_id"),
        func.similarity(title, query).label("score"),
    ).where(
        and_(
            *(
                or_(*(col(getattr(model, text)).icontains(word, autoescape=True) for text in texts))
                for word in words
            )
        )
    )


MAX_WORDS = 8  # a query's first eight words must each be found; the rest only rank (by similarity)
# each kind: its table, the column holding its area, the texts searched, its title first (each
# trigram-indexed, declared in its model)
KINDS: dict[Found, tuple[Any, str, tuple[str, ...]]] = {
    Found.strategy: (Strategy, "province_code", ("title_th", "vision")),
    Found.goal: (Goal, "province_code", ("title_th",)),
    Found.plan: (Plan, "province_code", ("title_th", "summary")),
    Found.agenda: (Agenda, "province_code", ("title_th", "description")),
    Found.project: (Project, "province_code", ("title_th", "summary")),
    Found.activity: (Activity, "area_code", ("title_th",)),
    Found.resolution: (Resolution, "area_code", ("text_th",)),
}
# the row a hit belongs to: a goal's strategy, a plan's goal, an activity's project, a resolution's forum
PARENT = {
    Found.goal: "strategy_id",
    Found.plan: "goal_id",
    Found.activity: "project_id",
    Found.resolution: "forum_id",
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
