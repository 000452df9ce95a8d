"""The webhook queue's statements: the fan-out's batched insert, the dispatcher's claim, record, endpoint
streaks and next due time. Raw SQL, because Core cannot say them as the planner needs them: `unnest(...)
WITH ORDINALITY` batches, a claim CTE with `FOR UPDATE OF m SKIP LOCKED` and an `OFFSET 0` fence,
`= ANY(ARRAY(...))` lookups (dispatcher.QUEUE_PLANNER)."""

from __future__ import annotations

from sqlalchemy import text

# one statement per batch, the varying columns as arrays unnested in order (positions follow that order);
# 10 rows per event as one execution each cost the worker more than sending them
MESSAGES = text(
    """
INSERT INTO gateway.webhook_deliveries
    (id, endpoint_id, event_id, event_type, aggregate_key, sequence, origin, status, attempts,
     next_attempt_at, created_at, updated_at)
SELECT gen_random_uuid(), m.endpoint_id, m.event_id, m.event_type, m.aggregate_key, m.sequence,
       :origin, :status, 0, :now, :now, :now
FROM unnest(
    CAST(:endpoint_ids AS uuid[]), CAST(:event_ids AS uuid[]), CAST(:event_types AS text[]),
    CAST(:aggregate_keys AS text[]), CAST(:sequences AS integer[])
) WITH ORDINALITY AS m(endpoint_id, event_id, event_type, aggregate_key, sequence, n)
ORDER BY m.n
ON CONFLICT (endpoint_id, event_id) WHERE origin = 'live' DO NOTHING
"""
)

# `= ANY(ARRAY(…))` and the body's scalar subquery keep every lookup on a primary key, however large the
# delivery log and the event log grow. The dispatcher's connections plan without sorts, bitmap scans and
# sequential scans (QUEUE_PLANNER): the claim must walk the due index in order and stop at its LIMIT. Left to
# statistics that lag a burst (thousands of messages fanned out in seconds, a fresh database) the planner
# sorts every pending row and tests each one's aggregate order first (50 ms per claim instead of 1), or scans
# the table for the leased ids. OFFSET 0 keeps the order test a subplan probing the order index with all
# three keys: as a join, stale statistics let it walk every pending row per candidate (160-200 ms a claim).
CLAIM = text(
    """
WITH due AS (
    SELECT m.id
    FROM gateway.webhook_deliveries m
    JOIN gateway.webhook_endpoints e ON e.id = m.endpoint_id AND NOT e.disabled
    WHERE m.status = 'pending'
      AND m.next_attempt_at <= :now
      AND (m.leased_until IS NULL OR m.leased_until < :now)
      AND NOT EXISTS (
          SELECT 1 FROM gateway.webhook_deliveries p
          WHERE p.endpoint_id = m.endpoint_id
            AND p.aggregate_key = m.aggregate_key
            AND p.status = 'pending'
            AND (p.sequence, p.position) < (m.sequence, m.position)
          OFFSET 0
      )
    ORDER BY m.next_attempt_at, m.position
    LIMIT :limit
    FOR UPDATE OF m SKIP LOCKED
)
UPDATE gateway.webhook_deliveries m
SET leased_until = :lease
FROM gateway.webhook_endpoints e
WHERE m.id = ANY(ARRAY(SELECT id FROM due)) AND e.id = m.endpoint_id
RETURNING m.id, m.endpoint_id, m.event_id, m.attempts, m.leased_until, e.url, e.secret_sealed,
          e.previous_secret_sealed, e.previous_secret_expires_at,
          (SELECT ev.body FROM gateway.event_log ev WHERE ev.id = m.event_id) AS body
"""
)

RECORD = text(
    """
UPDATE gateway.webhook_deliveries m
SET status = v.status, attempts = m.attempts + 1, next_attempt_at = v.next_attempt_at, leased_until = NULL,
    last_attempt_at = v.attempted_at, last_status_code = v.status_code, last_latency_ms = v.latency_ms,
    last_response_body = v.response_body, last_error = v.error, updated_at = v.attempted_at
FROM unnest(
    CAST(:ids AS uuid[]), CAST(:statuses AS text[]), CAST(:next_attempts AS timestamptz[]),
    CAST(:attempted AS timestamptz[]), CAST(:codes AS integer[]), CAST(:latencies AS integer[]),
    CAST(:bodies AS text[]), CAST(:errors AS text[])
) AS v(id, status, next_attempt_at, attempted_at, status_code, latency_ms, response_body, error)
WHERE m.id = v.id AND m.status = 'pending'
"""
)

CLEAR_FAILING = text(
    "UPDATE gateway.webhook_endpoints SET failing_since = NULL"
    " WHERE id = ANY(CAST(:ids AS uuid[])) AND failing_since IS NOT NULL"
)
MARK_FAILING = text(
    "UPDATE gateway.webhook_endpoints SET failing_since = COALESCE(failing_since, :at)"
    " WHERE id = ANY(CAST(:ids AS uuid[])) AND NOT disabled RETURNING id, failing_since"
)
DISABLE = text(
    """
UPDATE gateway.webhook_endpoints
SET disabled = true, disabled_reason = :reason, disabled_at = :at, version = version + 1, updated_at = :at
WHERE id = :id AND NOT disabled
RETURNING id, area_code, failing_since
"""
)
NEXT_DUE = text(
    "SELECT min(next_attempt_at) FROM gateway.webhook_deliveries"
    " WHERE status = 'pending' AND leased_until IS NULL"
)
