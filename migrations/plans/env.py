from sqlmodel import SQLModel

import services.plans.projects.models  # registers the tables (so does the import below)
import services.plans.strategies.models  # noqa: F401
from services.common.migrations import run_migrations

run_migrations("plans", SQLModel.metadata)
