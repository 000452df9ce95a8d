"""Each schema's migrations (the gateway's and every service's) build the tables its models describe:
autogenerate, run against the migrated database, finds nothing to add, drop or retype (a hand-written
migration that drifts from its model fails here, not in production)."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

import services.assessment.models
import services.funds.contributions.models
import services.funds.disbursements.models
import services.funds.funds.models
import services.funds.history.models
import services.funds.ledger.models
import services.funds.reversals.models
import services.plans.models  # noqa: F401  (registers every service's tables)


def drift(connection: Connection, schema: str) -> list[Any]:
    tables = {table.name for table in SQLModel.metadata.tables.values() if table.schema == schema}

    def modelled(item: Any, name: str | None, kind: str, reflected: bool, compare_to: Any) -> bool:
        # the outbox and idempotency tables are the kernel's Core tables, created by its own helpers
        return item.schema == schema and name in tables if kind == "table" else True

    def in_schema(name: str | None, kind: str, parent: Any) -> bool:
        return name == schema if kind == "schema" else True

    context = MigrationContext.configure(
        connection,
        opts={
            "include_schemas": True,
            "include_object": modelled,
            "include_name": in_schema,
            "compare_type": True,
        },
    )
    return list(compare_metadata(context, SQLModel.metadata))


@pytest.mark.parametrize("schema", ["gateway", "plans", "funds", "assessment"])
async def test_the_migrated_tables_are_the_ones_the_models_describe(
    database_engine: AsyncEngine, schema: str
) -> None:
    async with database_engine.connect() as connection:
        differences = await connection.run_sync(drift, schema)

    assert differences == []
