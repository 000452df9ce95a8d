"""Every event type the gateway records: its webhook endpoints' and its accounts'."""

from gateway.users.events import EVENT_TYPES as USERS
from gateway.webhooks.events import EVENT_TYPES as WEBHOOKS

EVENT_TYPES = (*WEBHOOKS, *USERS)
