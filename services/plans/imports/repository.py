"""Import jobs and what a finished import writes: its rows copied (COPY, the one bulk path PostgreSQL has)
into a temporary table and merged into the values or targets by their natural key in one statement, inside
the job's one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import DateTime, Table, Uuid, column, func, literal, null, select, table, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col
from sqlmodel import select as select_rows
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.i18n import Text
from services.common.resources import get_or_404
from services.plans.imports.models import ImportFile, ImportJob
from services.plans.indicators.models import Target
from services.plans.reporting.models import ProvincePeriod, ProvinceStatus, TambonPeriod, TambonStatus, Value

JOB = Text("import", "การนำเข้าข้อมูล")
FIGURES = ("value", "numerator", "denominator", "text")
COLUMNS = ["area_code", "period", "fiscal_year", "quarter", "dimension", *FIGURES]
KEY = ("area_code", "period", "dimension")  # with the indicator, a row's natural key


async def get(session: AsyncSession, import_id: uuid.UUID, *, for_update: bool = False) -> ImportJob:
    return await get_or_404(session, ImportJob, import_id, what=JOB, for_update=for_update)


async def file_of(session: AsyncSession, import_id: uuid.UUID) -> bytes:
    stored = await session.get(ImportFile, import_id)
    return stored.content if stored else b""


async def locked_places(
    session: AsyncSession, indicator_id: uuid.UUID
) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The indicator's verified (tambon, period) and certified (province, period) pairs."""
    verified = await session.exec(
        select_rows(TambonPeriod.area_code, TambonPeriod.period).where(
            TambonPeriod.indicator_id == indicator_id, TambonPeriod.status == TambonStatus.verified
        )
    )
    certified = await session.exec(
        select_rows(ProvincePeriod.province_code, ProvincePeriod.period).where(
            ProvincePeriod.indicator_id == indicator_id, ProvincePeriod.status == ProvinceStatus.certified
        )
    )
    return {tuple(row) for row in verified.all()}, {tuple(row) for row in certified.all()}  # type: ignore[misc]


async def merge(
    session: AsyncSession,
    target: type[Value] | type[Target],
    indicator_id: uuid.UUID,
    records: Sequence[dict[str, Any]],
    *,
    by: str,
    at: datetime,
) -> int:
    """Insert or replace `records` in the values or the targets by their natural key; a stored figure that
    is already the same is left as it is (no new version). Returns the rows added or changed."""
    connection = await (await session.connection()).get_raw_connection()
    raw: Any = connection.driver_connection
    await raw.execute(
        "CREATE TEMP TABLE import_rows (area_code varchar(6), period varchar(7), fiscal_year integer, "
        "quarter smallint, dimension varchar(32), value numeric(19, 4), numerator numeric(19, 4), "
        "denominator numeric(19, 4), text varchar(2000)) ON COMMIT DROP"
    )
    await raw.copy_records_to_table(
        "import_rows",
        records=list(map(itemgetter(*COLUMNS), records)),
        columns=COLUMNS,
    )
    stored: Table = target.__table__  # type: ignore[union-attr]
    rows = table("import_rows", *(column(name) for name in COLUMNS))
    stamps = {"approved_by": by, "approved_at": at} if target is Value else {"set_by": by}
    given: dict[str, Any] = {
        "id": func.gen_random_uuid(),
        "indicator_id": literal(indicator_id, Uuid),
        **{name: rows.c[name] for name in COLUMNS},
        **{name: literal(value, stored.c[name].type) for name, value in stamps.items()},
        "created_at": literal(at, DateTime(timezone=True)),
        "updated_at": literal(at, DateTime(timezone=True)),
        **({"version": literal(1)} if target is Value else {}),
    }
    # in key order, as every bulk writer takes the rows' locks: two imports of the same keys never deadlock
    ordered = select(*given.values()).select_from(rows).order_by(*(rows.c[name] for name in KEY))
    statement = insert(stored).from_select(list(given), ordered)
    changes = {name: statement.excluded[name] for name in (*FIGURES, *stamps, "updated_at")}
    if target is Value:
        changes |= {"version": stored.c.version + 1, "update_id": null()}
    statement = statement.on_conflict_do_update(
        index_elements=["indicator_id", "area_code", "period", "dimension"],
        set_=changes,
        where=tuple_(*(stored.c[name] for name in FIGURES)).is_distinct_from(
            tuple_(*(statement.excluded[name] for name in FIGURES))
        ),
    )
    result = await session.execute(statement)
    await raw.execute("DROP TABLE import_rows")
    return int(result.rowcount)  # type: ignore[attr-defined]


def of_indicator(indicator_id: uuid.UUID) -> Any:
    return (
        select_rows(ImportJob)
        .where(ImportJob.indicator_id == indicator_id)
        .order_by(col(ImportJob.created_at))
    )
