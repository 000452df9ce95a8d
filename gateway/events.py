"""Every event type the gateway records: its webhook endpoints', its accounts' and its clients'."""

from gateway.clients.events import EVENT_TYPES as CLIENTS
from gateway.users.events import EVENT_TYPES as USERS
from gateway.webhooks.events import EVENT_TYPES as WEBHOOKS

EVENT_TYPES = (*WEBHOOKS, *USERS, *CLIENTS)
