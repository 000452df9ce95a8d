from sqlmodel import SQLModel

import services.assessment.models  # noqa: F401  (registers every table of the service)
from services.common.migrations import run_migrations

run_migrations("assessment", SQLModel.metadata)
