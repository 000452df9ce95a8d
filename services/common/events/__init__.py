"""Domain events: the registry of types, the transactional outbox, its relay to the Redis stream, consumers.

A service records an event in the same transaction as the change (`record_event`); its worker's relay hands
committed events to the stream `khabuan:events`; consumers read it through consumer groups. Delivery is at
least once, in order per aggregate, and every event has a unique id and a gap-free per-aggregate sequence.
"""

from services.common.events.envelope import EventEnvelope
from services.common.events.outbox import EventSource, bind_event_source, event_source, record_event

__all__ = ["EventEnvelope", "EventSource", "bind_event_source", "event_source", "record_event"]
