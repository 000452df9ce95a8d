from sqlmodel import SQLModel

# imported to register their tables in SQLModel.metadata
import gateway.audit.models
import gateway.auth.models
import gateway.geo.models
import gateway.webhooks.models  # noqa: F401
from services.common.migrations import run_migrations

run_migrations("gateway", SQLModel.metadata)
