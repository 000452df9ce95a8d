from sqlmodel import SQLModel

import services.funds.funds.models  # noqa: F401  (registers the tables)
from services.common.migrations import run_migrations

run_migrations("funds", SQLModel.metadata)
