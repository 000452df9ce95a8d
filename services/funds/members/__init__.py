"""Which committee members' accounts are deactivated, learnt from the gateway's account events: their
approvals stop counting (and count again on reactivation)."""
