from sqlmodel import SQLModel

import services.assessment.teams.models  # noqa: F401  (registers the tables)
from services.common.migrations import run_migrations

run_migrations("assessment", SQLModel.metadata)
