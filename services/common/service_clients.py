"""How our own services authenticate to each other: client credentials derived from KHABUAN_SECRET_KEY."""

from __future__ import annotations

import base64
import hashlib
import hmac

from services.common.settings import Settings


def service_client_id(service: str) -> str:
    return f"service-{service}"


def service_client_secret(settings: Settings, service: str) -> str:
    """Each service's secret, derived from the shared secret so every process can know its own."""
    digest = hmac.new(settings.secret_key.encode(), f"service-client:{service}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")
