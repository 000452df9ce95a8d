"""Every event type the gateway records: its webhook endpoints', its accounts' and its clients'."""

from gateway.clients.events import EVENT_TYPES as CLIENTS
from gateway.users.events import EVENT_TYPES as USERS
from gateway.webhooks.events import EVENT_TYPES as WEBHOOKS
from services.common.inbox import INBOX_ITEM_CREATED

# `inbox.item.created` is recorded by every service; the gateway publishes its type, once
EVENT_TYPES = (*WEBHOOKS, *USERS, *CLIENTS, INBOX_ITEM_CREATED)
