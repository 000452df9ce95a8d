"""The verbs every domain shares (Dispatch's get/list/create/update): loading, versioned edits, and the
skeleton of a resource kept in one area (by id, a page within an area, created/updated events)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import structlog
from sqlalchemy import ARRAY, Index
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from services.common import errors
from services.common.auth import Principal, Role
from services.common.events import record_event
from services.common.events.registry import current
from services.common.geo.queries import within_area
from services.common.i18n import Text
from services.common.models import ExpectedVersions, Identified, Timestamped, Versioned, touch
from services.common.pagination import Page, PageRequest, paginate

Row = TypeVar("Row", bound=SQLModel)
log = structlog.get_logger()


async def get_or_404(
    session: AsyncSession, model: type[Row], row_id: uuid.UUID, *, what: Text, for_update: bool = False
) -> Row:
    """The row (404 when there is none); `for_update` locks it for an edit of its non-key columns: FOR NO KEY
    UPDATE, which lets other transactions insert rows referring to it meanwhile (their foreign-key checks take
    FOR KEY SHARE), so an edit never waits on, or deadlocks with, a request that only records something
    about the row."""
    statement = select(model).where(model.id == row_id)  # type: ignore[attr-defined]
    if for_update:
        statement = statement.with_for_update(key_share=True)
    row = (await session.exec(statement)).first()
    if row is None:
        raise errors.NotFound(
            Text(f"No {what.en} with id {row_id}.", f"ไม่พบ{what.th} รหัส {row_id}"),
        )
    return row


def apply_changes(
    row: Any, changes: SQLModel | Mapping[str, Any], *, expected_version: ExpectedVersions
) -> bool:
    """Apply the fields a PATCH sent (a model's set fields, or a mapping of field → value); bump version
    and updated_at when something changed.

    Raises 412 when the client edited an older version than the stored one.
    """
    accepted = {expected_version} if isinstance(expected_version, int) else expected_version
    if accepted is not None and row.version not in accepted:
        raise errors.PreconditionFailed()
    changed = False
    values = changes.model_dump(exclude_unset=True) if isinstance(changes, SQLModel) else changes
    for field, value in values.items():
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed = True
    if changed:
        touch(row)
    return changed


class Stored(Identified, Timestamped, Versioned):
    """The columns of every area resource's table: id, timestamps, the version its ETag names, its author."""

    created_by: str = Field(max_length=64)


class Shown(SQLModel):
    """What every area resource's public schema shows beside its own fields (list it first among the bases:
    its fields then come last)."""

    id: uuid.UUID
    version: int
    created_at: datetime
    updated_at: datetime


def paging_indexes(table: str) -> tuple[Index, Index]:
    """The two keyset orders `paginate` walks: by creation, and by last change for `updated_since`."""
    return (
        Index(f"ix_{table}_page_order", "created_at", "id"),
        Index(f"ix_{table}_sync_order", "updated_at", "id"),
    )


def trigram_indexes(table: str, *columns: str) -> tuple[Index, ...]:
    """GIN trigram indexes (pg_trgm) that serve `ILIKE '%part%'` and `similarity()` over Thai text too."""
    return tuple(
        Index(
            f"ix_{table}_{column}_trgm",
            column,
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )
        for column in columns
    )


StoredRow = TypeVar("StoredRow", bound=Stored)
# what holds a unique key a new row was refused for, as the problem to answer with (AreaResource.create)
Taken = Callable[[AsyncSession, Any], Awaitable[errors.Problem | None]]
Public = TypeVar("Public", bound=Shown)


def where_given(statement: SelectOfScalar[Row], *given: tuple[Any, Any]) -> SelectOfScalar[Row]:
    """`statement` narrowed by each (column, value) a caller gave a value for (None: no filter): the column
    equals the value, or, for a list column, holds it."""
    for column, value in given:
        if value is not None:
            attribute: Any = col(column)
            listed = isinstance(attribute.expression.type, ARRAY)
            statement = statement.where(attribute.contains([value]) if listed else attribute == value)
    return statement


def in_area(statement: SelectOfScalar[Row], column: Any, area: str | None) -> SelectOfScalar[Row]:
    """`statement` narrowed to the rows whose `column` is inside `area` (a nation, region or DOPA prefix)."""
    return statement.where(within_area(col(column), area)) if area else statement


def confined(principal: Principal | None, area: str | None) -> str | None:
    """The area a read may cover: as asked, except that a partner system reads only inside its grants."""
    return area if principal is None else principal.confine_reads(area)


@dataclass(frozen=True)
class AreaResource(Generic[StoredRow, Public]):
    """A versioned resource kept in one area (`area_field` holds its code): its queries and its events
    (`<aggregate>.created` / `.updated`) and its verbs; who may do what stays with the domain's service,
    which names the roles (`may`). A child resource (a strategy's goals) names its parent and is reached
    through it (`child`, `children`, `add_child`, `update_child`)."""

    model: type[StoredRow]
    public: type[Public]
    area_field: str
    what: Text
    aggregate: str
    parent: AreaResource[Any, Any] | None = None  # a child's (a goal's strategy), kept in `parent_field`
    parent_field: str = ""

    def area_of(self, row: StoredRow) -> str:
        area: str = getattr(row, self.area_field)
        return area

    def shown(self, row: StoredRow) -> Public:
        return self.public.model_validate(row)

    def within(self, area: str | None, *given: tuple[Any, Any]) -> SelectOfScalar[StoredRow]:
        """Rows inside `area` (TH, a region or a DOPA prefix; all rows when None), narrowed by `given`."""
        statement = in_area(select(self.model), getattr(self.model, self.area_field), area)
        return where_given(statement, *given)

    async def get(self, session: AsyncSession, row_id: uuid.UUID, *, for_update: bool = False) -> StoredRow:
        """The row or 404; `for_update` locks it for an edit (see `get_or_404`)."""
        return await get_or_404(session, self.model, row_id, what=self.what, for_update=for_update)

    async def locked(
        self, session: AsyncSession, principal: Principal, row_id: uuid.UUID, *, may: Iterable[Role]
    ) -> StoredRow:
        """The row locked for an edit (`get_or_404`), by a principal with one of `may` over its area (403)."""
        row = await self.get(session, row_id, for_update=True)
        principal.require(may, self.area_of(row))
        return row

    async def referenced(
        self, session: AsyncSession, row_id: uuid.UUID, *, pointer: str, for_update: bool = False
    ) -> StoredRow:
        """The row a body field names (`/project_id`), or 422 at that field (`errors.nothing_at`)."""
        try:
            return await self.get(session, row_id, for_update=for_update)
        except errors.NotFound:
            raise errors.nothing_at(pointer, self.what, row_id) from None

    async def child(
        self, session: AsyncSession, parent_id: uuid.UUID, row_id: uuid.UUID, *, for_update: bool = False
    ) -> StoredRow:
        """The row if it belongs to the parent (an activity of its project), else a 404 naming both: a child
        is reached only through its own parent's path."""
        parent = self._parent()
        row = await self.get(session, row_id, for_update=for_update)
        if getattr(row, self.parent_field) != parent_id:
            raise errors.NotFound(
                Text(
                    f"{parent.what.en.capitalize()} {parent_id} has no {self.what.en} {row_id}.",
                    f"{parent.what.th} {parent_id} ไม่มี{self.what.th} {row_id}",
                )
            )
        return row

    async def read_child(
        self, session: AsyncSession, principal: Principal | None, parent_id: uuid.UUID, row_id: uuid.UUID
    ) -> Public:
        """A child of a parent the reader may see (see `visible`)."""
        parent = await self._parent().visible(session, principal, parent_id)
        return self.shown(await self.child(session, parent.id, row_id))

    async def children(
        self, session: AsyncSession, principal: Principal | None, parent_id: uuid.UUID, page: PageRequest
    ) -> Page[Public]:
        """One page of a visible parent's children, in the order they were added (or by last change)."""
        parent = await self._parent().visible(session, principal, parent_id)
        statement = select(self.model).where(getattr(self.model, self.parent_field) == parent.id)
        return await self.page(session, statement, page)

    async def add_child(
        self,
        session: AsyncSession,
        principal: Principal,
        parent_id: uuid.UUID,
        data: SQLModel,
        *,
        may: Iterable[Role],
    ) -> Public:
        """A new child from a POST body, in its parent's area, by a principal with one of `may` there."""
        parent_resource = self._parent()
        parent = await parent_resource.get(session, parent_id)
        area = parent_resource.area_of(parent)
        principal.require(may, area)
        fields = {self.parent_field: parent.id, self.area_field: area, "created_by": principal.subject}
        return await self.add(session, self.model.model_validate(data, update=fields))

    async def update_child(
        self,
        session: AsyncSession,
        principal: Principal,
        parent_id: uuid.UUID,
        row_id: uuid.UUID,
        changes: SQLModel,
        expected_version: ExpectedVersions,
        *,
        may: Iterable[Role],
    ) -> Public:
        """A PATCH of a locked child by a principal with one of `may` over its area (403), 412 when stale."""
        row = await self.child(session, parent_id, row_id, for_update=True)
        principal.require(may, self.area_of(row))
        await self.revise(session, row, changes, expected_version=expected_version)
        return self.shown(row)

    def _parent(self) -> AreaResource[Any, Any]:
        if self.parent is None:
            raise TypeError(f"{self.aggregate} is declared without a parent")
        return self.parent

    async def visible(
        self, session: AsyncSession, principal: Principal | None, row_id: uuid.UUID
    ) -> StoredRow:
        """The row if the reader may see it, or 404; a partner system reads only inside its grants (403)."""
        row = await self.get(session, row_id)
        confined(principal, self.area_of(row))
        return row

    async def read(self, session: AsyncSession, principal: Principal | None, row_id: uuid.UUID) -> Public:
        """The row as a reader sees it (see `visible`)."""
        return self.shown(await self.visible(session, principal, row_id))

    async def page(
        self,
        session: AsyncSession,
        statement: SelectOfScalar[StoredRow],
        page: PageRequest,
    ) -> Page[Public]:
        """One page of `statement`'s rows as the public sees them (keyset order, see `paginate`)."""
        rows, next_cursor = await paginate(session, statement, model=self.model, page=page)
        return Page(items=[self.shown(row) for row in rows], next_cursor=next_cursor)

    async def create(
        self,
        session: AsyncSession,
        principal: Principal,
        data: SQLModel,
        *,
        may: Iterable[Role],
        taken: Taken | None = None,
    ) -> Public:
        """A new row from a POST body, by a principal with one of `may` over its area (403 otherwise).

        With `taken`, the row is inserted in a savepoint: when a unique key of the table refuses it (a race
        included), `taken(session, data)` names the row that holds the key as a problem to raise (None: not
        that key, so the error stands)."""
        principal.require(may, getattr(data, self.area_field))
        row = self.model.model_validate(data, update={"created_by": principal.subject})
        if taken is None:
            created = await self.add(session, row)
        else:
            try:
                async with session.begin_nested():
                    created = await self.add(session, row)
            except IntegrityError:
                if (problem := await taken(session, data)) is None:
                    raise
                raise problem from None
        log.info(f"{self.aggregate}.created", **{f"{self.aggregate}_id": str(row.id)}, area=self.area_of(row))
        return created

    async def update(
        self,
        session: AsyncSession,
        principal: Principal,
        row_id: uuid.UUID,
        changes: SQLModel,
        expected_version: ExpectedVersions,
        *,
        may: Iterable[Role],
    ) -> Public:
        """A PATCH of the locked row by a principal with one of `may` over its area (403), 412 when stale."""
        row = await self.locked(session, principal, row_id, may=may)
        if await self.revise(session, row, changes, expected_version=expected_version):
            log.info(
                f"{self.aggregate}.updated", **{f"{self.aggregate}_id": str(row.id)}, version=row.version
            )
        return self.shown(row)

    async def add(self, session: AsyncSession, row: StoredRow) -> Public:
        """Insert a new row and record its `<aggregate>.created` event in the same transaction."""
        session.add(row)
        await session.flush()
        await self._record(session, row, "created")
        return self.shown(row)

    async def revise(
        self,
        session: AsyncSession,
        row: StoredRow,
        changes: SQLModel | Mapping[str, Any],
        *,
        expected_version: ExpectedVersions,
    ) -> bool:
        """Apply a PATCH (its set fields, or a mapping of field → value) to a locked row (412 on a stale
        If-Match); record `<aggregate>.updated` on change."""
        if not apply_changes(row, changes, expected_version=expected_version):
            return False
        await session.flush()
        await self._record(session, row, "updated")
        return True

    async def _record(self, session: AsyncSession, row: StoredRow, change: str) -> None:
        event = current(f"{self.aggregate}.{change}")  # the resource's own: <aggregate>.created / .updated
        await record_event(session, event, aggregate_id=str(row.id), area_code=self.area_of(row), data=row)
