from sqlmodel import SQLModel

import services.funds.contributions.models  # registers the tables (so does each import below)
import services.funds.disbursements.models
import services.funds.funds.models
import services.funds.history.models
import services.funds.ledger.models
import services.funds.members.models
import services.funds.reversals.models  # noqa: F401
from services.common.migrations import run_migrations

run_migrations("funds", SQLModel.metadata)
