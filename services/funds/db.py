"""The funds service's PostgreSQL schema: every sub-domain's tables live in it."""

SCHEMA = "funds"
