"""Shared body of every migrations/<schema>/env.py: its own schema and its own version table."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from services.common.db import async_url
from services.common.events.outbox import outbox_tables
from services.common.idempotency import idempotency_table
from services.common.settings import get_settings


def run_migrations(schema: str, metadata: MetaData) -> None:
    """Run this schema's migrations online against DATABASE_URL (or -x url=...)."""
    idempotency_table(metadata, schema)
    outbox_tables(metadata, schema)
    url = context.get_x_argument(as_dictionary=True).get("url") or get_settings().database_url
    if not url:
        raise RuntimeError("DATABASE_URL is not set")

    def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        table_schema = (
            getattr(obj, "schema", None) if type_ == "table" else getattr(obj.table, "schema", None)
        )
        return bool(table_schema == schema) if type_ in ("table", "index", "column") else True

    def migrate(connection: Connection) -> None:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table="alembic_version",
            version_table_schema=schema,
            include_schemas=True,
            include_object=include_object,
            compare_type=True,
        )
        with context.begin_transaction():
            # one migrator per schema at a time (several containers may start at once)
            connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s))"), {"s": f"migrate:{schema}"})
            context.run_migrations()

    async def run() -> None:
        engine = create_async_engine(async_url(url))
        try:
            async with engine.connect() as connection:
                await connection.run_sync(migrate)
                await connection.commit()
        finally:
            await engine.dispose()

    asyncio.run(run())


def create_idempotency_keys(schema: str) -> None:
    """Migration step: the Idempotency-Key table inside `schema` (same shape in every service)."""
    from alembic import op
    from sqlalchemy import UniqueConstraint

    from services.common.idempotency import SCOPE_CONSTRAINT, idempotency_columns

    constraint = UniqueConstraint("caller", "method", "path", "key", name=SCOPE_CONSTRAINT)
    op.create_table("idempotency_keys", *idempotency_columns(), constraint, schema=schema)
    op.create_index(
        f"ix_{schema}_idempotency_keys_expires_at", "idempotency_keys", ["expires_at"], schema=schema
    )


def drop_idempotency_keys(schema: str) -> None:
    from alembic import op

    op.drop_table("idempotency_keys", schema=schema)


def create_outbox_tables(schema: str) -> None:
    """Migration step: the event outbox and per-aggregate sequences inside `schema` (see events/outbox.py)."""
    from alembic import op
    from sqlalchemy import PrimaryKeyConstraint, text

    from services.common.events.outbox import (
        outbox_columns,
        published_index_name,
        sequence_columns,
        unpublished_index_name,
    )

    op.create_table("outbox", *outbox_columns(), schema=schema)
    op.create_index(
        unpublished_index_name(schema),
        "outbox",
        ["position"],
        schema=schema,
        postgresql_where=text("published_at IS NULL"),
    )
    op.create_index(published_index_name(schema), "outbox", ["published_at"], schema=schema)
    primary_key = PrimaryKeyConstraint("aggregate_type", "aggregate_id", name=f"pk_{schema}_event_sequences")
    op.create_table("event_sequences", *sequence_columns(), primary_key, schema=schema)


def drop_outbox_tables(schema: str) -> None:
    from alembic import op

    op.drop_table("event_sequences", schema=schema)
    op.drop_table("outbox", schema=schema)


def add_outbox_actor(schema: str) -> None:
    """Migration step: the outbox's `actor` column (who made each change; events/outbox.actor_column)."""
    from alembic import op

    from services.common.events.outbox import actor_column

    op.add_column("outbox", actor_column(), schema=schema)


def drop_outbox_actor(schema: str) -> None:
    from alembic import op

    op.drop_column("outbox", "actor", schema=schema)
