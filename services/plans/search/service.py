"""Find the plans' public texts (strategies, goals, plans, agenda items, projects, activities, forum
resolutions) by their Thai (or English) words: the query is folded as stored
text is (`text.search_form`), so `ธนาคาร` + a zero-width space + `ปู` finds `ธนาคารปูม้า`."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.resources import confined
from services.common.text import search_form
from services.plans.search import repository
from services.plans.search.schemas import Found, SearchResults


async def search(
    session: AsyncSession,
    principal: Principal | None,
    query: str,
    *,
    kinds: list[Found] | None,
    area: str | None,
    limit: int,
) -> SearchResults:
    """Public texts matching `query`, best title first; a partner system finds only inside its grants."""
    folded = search_form(query)
    if not folded:
        return SearchResults(items=[])
    hits = await repository.search(
        session, folded, kinds=kinds or list(Found), area=confined(principal, area), limit=limit
    )
    return SearchResults(items=hits)
