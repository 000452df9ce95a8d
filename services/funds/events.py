"""Every event type the funds service records, gathered from its sub-domains for its app and worker."""

from services.funds.contributions import events as contributions
from services.funds.disbursements import events as disbursements
from services.funds.funds import events as funds
from services.funds.ledger import events as ledger
from services.funds.reconciliation import events as reconciliation
from services.funds.reversals import events as reversals

EVENT_TYPES = (
    *funds.EVENT_TYPES,
    *contributions.EVENT_TYPES,
    *disbursements.EVENT_TYPES,
    *ledger.EVENT_TYPES,
    *reversals.EVENT_TYPES,
    *reconciliation.EVENT_TYPES,
)
