"""The assessment service's PostgreSQL schema: every sub-domain's tables live in it (imported from here)."""

SCHEMA = "assessment"
