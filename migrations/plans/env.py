from sqlmodel import SQLModel

import services.plans.models  # noqa: F401  (registers every table of the service)
from services.common.migrations import run_migrations

run_migrations("plans", SQLModel.metadata)
