from sqlmodel import SQLModel

import services.plans.strategies.models  # noqa: F401  (registers the tables)
from services.common.migrations import run_migrations

run_migrations("plans", SQLModel.metadata)
