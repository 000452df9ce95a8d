from sqlmodel import SQLModel

import gateway.auth.models  # noqa: F401  (registers the tables)
from services.common.migrations import run_migrations

run_migrations("gateway", SQLModel.metadata)
