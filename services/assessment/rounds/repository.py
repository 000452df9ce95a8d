"""Rounds and their items as stored: a round a row; an item a row per (round, area, criterion)."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import case, func, literal, or_, text, update
from sqlalchemy.dialects.postgresql import JSONB, aggregate_order_by, insert
from sqlmodel import col, select, tuple_
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from services.assessment.frameworks.models import Framework
from services.assessment.rounds.models import Item, ItemStatus, Round, RoundStatus
from services.assessment.rounds.schemas import RoundPublic
from services.common.clock import utcnow
from services.common.i18n import Text
from services.common.pagination import invalid_cursor
from services.common.resources import AreaResource, in_area, where_given

ROUNDS = AreaResource(
    model=Round,
    public=RoundPublic,
    area_field="area_code",
    what=Text("round", "รอบการประเมิน"),
    aggregate="round",
)


def listing(
    area: str | None,
    *,
    status: RoundStatus | None,
    fiscal_year: int | None,
    framework_id: uuid.UUID | None,
    published_only: bool,
) -> SelectOfScalar[Round]:
    given = (Round.status, status), (Round.fiscal_year, fiscal_year), (Round.framework_id, framework_id)
    statement = ROUNDS.within(area, *given)
    if published_only:
        statement = statement.where(Round.status == RoundStatus.published)
    return statement


async def item(
    session: AsyncSession, round_id: uuid.UUID, area_code: str, criterion: str, *, for_update: bool = False
) -> Item | None:
    return await session.get(
        Item, (round_id, area_code, criterion), with_for_update=for_update, populate_existing=for_update
    )


async def items(
    session: AsyncSession,
    round_id: uuid.UUID,
    *,
    area: str | None,
    criterion: str | None,
    status: ItemStatus | None,
    flagged: bool | None,
    after: tuple[str, str] | None,
    limit: int,
) -> Sequence[Item]:
    """A round's items in (area, criterion) order, after a cursor's pair; `area` takes the areas inside it."""
    statement = in_area(select(Item).where(Item.round_id == round_id), Item.area_code, area)
    given = (Item.criterion, criterion), (Item.status, status), (Item.flagged, flagged)
    statement = where_given(statement, *given)
    if after is not None:
        statement = statement.where(tuple_(col(Item.area_code), col(Item.criterion)) > after)
    statement = statement.order_by(col(Item.area_code), col(Item.criterion)).limit(limit)
    return (await session.exec(statement)).all()


async def publish_reviewed(session: AsyncSession, round_id: uuid.UUID) -> int:
    """Every reviewed item of the round becomes published; returns how many."""
    statement = (
        update(Item)
        .where(col(Item.round_id) == round_id, col(Item.status) == ItemStatus.reviewed)
        .values(status=ItemStatus.published, version=col(Item.version) + 1, updated_at=utcnow())
    )
    result = await session.exec(statement)
    return int(result.rowcount)


async def round_for_share(session: AsyncSession, round_id: uuid.UUID) -> Round | None:
    """The round, locked against a change of its status (a close waits for the scores being written)."""
    statement = select(Round).where(Round.id == round_id).with_for_update(read=True)
    return (await session.exec(statement)).first()


async def locked_item(session: AsyncSession, round_id: uuid.UUID, area_code: str, criterion: str) -> Item:
    """The item, written as an empty draft when it is the first score (two first scores at once: one row),
    and locked."""
    now = utcnow()
    await session.exec(
        insert(Item)
        .values(
            round_id=round_id,
            area_code=area_code,
            criterion=criterion,
            self_comment="",
            self_evidence=[],
            team_comment="",
            team_evidence=[],
            flagged=False,
            status=ItemStatus.draft,
            version=0,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing()
    )
    found = await item(session, round_id, area_code, criterion, for_update=True)
    assert found is not None
    return found


def encode_item_cursor(row: Item) -> str:
    return item_cursor(row.area_code, row.criterion)


def item_cursor(area_code: str, criterion: str) -> str:
    """The cursor of the items after (area, criterion) in a round's list."""
    return base64.urlsafe_b64encode(orjson.dumps([area_code, criterion])).decode().rstrip("=")


def decode_item_cursor(cursor: str) -> tuple[str, str]:
    try:
        area, criterion = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(area, str) or not isinstance(criterion, str):
            raise TypeError("cursor parts must be strings")
        if "\x00" in area + criterion:  # text PostgreSQL cannot hold, so no cursor of ours
            raise ValueError("a NUL in a cursor")
        return area, criterion
    except (ValueError, TypeError) as exc:
        raise invalid_cursor() from exc


# one pass over the counted items: counts per (group, criterion, level), and each area's overall level — the
# weighted median of its criteria's agreed levels (the lowest level at which half the weight is reached), for
# an area every criterion of which has one — counted per (group, level), its criterion NULL
_TALLY = text(
    """
    WITH weights AS (
        SELECT * FROM unnest(CAST(:codes AS text[]), CAST(:weights AS int[])) AS w(criterion, weight)
    ), grouped AS (
        SELECT left(i.area_code, :digits) AS grp, i.area_code, i.criterion, i.level,
               count(*) AS n, sum(w.weight) AS w, GROUPING(i.criterion) AS per_area
        FROM assessment.round_items i JOIN weights w USING (criterion)
        WHERE i.round_id = :round_id AND i.status = ANY(CAST(:statuses AS text[])) AND i.level IS NOT NULL
        GROUP BY GROUPING SETS ((left(i.area_code, :digits), i.criterion, i.level), (i.area_code, i.level))
    ), running AS (
        SELECT area_code, level,
               sum(w) OVER (PARTITION BY area_code ORDER BY level) AS reached,
               sum(w) OVER (PARTITION BY area_code) AS total,
               sum(n) OVER (PARTITION BY area_code) AS criteria
        FROM grouped WHERE per_area = 1
    ), overall AS (
        SELECT area_code, min(level) AS level FROM running
        WHERE criteria = :criteria AND 2 * reached >= total GROUP BY 1
    )
    SELECT grp, criterion, level, n FROM grouped WHERE per_area = 0
    UNION ALL
    SELECT left(area_code, :digits), NULL, level, count(*) FROM overall GROUP BY 1, 3
    """
)


async def tally(
    session: AsyncSession, round_id: uuid.UUID, statuses: list[str], digits: int, weights: dict[str, int]
) -> Sequence[Any]:
    """(group, criterion, level, count) of the counted items, a group being the areas' first `digits`; and
    (group, None, overall level, areas) of the areas with every criterion counted."""
    params = {
        "round_id": round_id,
        "statuses": statuses,
        "digits": digits,
        "codes": list(weights),
        "weights": list(weights.values()),
        "criteria": len(weights),
    }
    return (await session.execute(_TALLY, params)).all()


async def previous_published(session: AsyncSession, row: Round, family_id: uuid.UUID) -> Round | None:
    """The last published round before this one of the same framework family over the same area."""
    statement = (
        select(Round)
        .join(Framework, col(Framework.id) == col(Round.framework_id))
        .where(
            Framework.family_id == family_id,
            Round.area_code == row.area_code,
            Round.status == RoundStatus.published,
            Round.id != row.id,
            col(Round.fiscal_year) <= row.fiscal_year,
            col(Round.created_at) < row.created_at,
        )
        .order_by(col(Round.fiscal_year).desc(), col(Round.created_at).desc())
        .limit(1)
    )
    return (await session.exec(statement)).first()


def _marked(evidence: Any, match: dict[str, str], certified: bool) -> Any:
    """`evidence` (a jsonb list of cited values) with `certified` set on those holding `match`, in order."""
    cited = func.jsonb_array_elements(evidence).table_valued("e", with_ordinality="n").render_derived("cited")
    value = cited.c.e
    mark = func.jsonb_build_object("certified", literal(certified))
    marked = case((value.op("@>")(literal(match, JSONB)), value.op("||")(mark)), else_=value)
    every = func.coalesce(func.jsonb_agg(aggregate_order_by(marked, cited.c.n)), literal([], JSONB))
    return select(every).select_from(cited).scalar_subquery()


async def mark_cited(
    session: AsyncSession, model: Any, columns: Sequence[str], match: dict[str, str], *, certified: bool
) -> int:
    """In each row of `model` citing `match` in one of its evidence `columns`, those citations say `certified`
    (round items here, outcomes too: they cite evidence the same way)."""
    evidence = [col(getattr(model, name)) for name in columns]
    statement = (
        update(model)
        .where(or_(*(cited.op("@>")(literal([match], JSONB)) for cited in evidence)))
        .values({cited: _marked(cited, match, certified) for cited in evidence})
    )
    return int((await session.execute(statement)).rowcount)  # type: ignore[attr-defined]
