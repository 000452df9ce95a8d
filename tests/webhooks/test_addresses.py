"""The SSRF guard: outside development an endpoint must be https on a public address."""

from __future__ import annotations

import pytest

from gateway.webhooks.addresses import check_url
from services.common import errors
from services.common.settings import Settings


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/hook",  # plain http
        "https://127.0.0.1/hook",  # loopback
        "https://localhost:8443/hook",
        "https://[::1]/hook",
        "https://10.1.2.3/hook",  # private
        "https://192.168.0.10/hook",
        "https://172.16.5.4/hook",
        "https://169.254.169.254/latest/meta-data/",  # link-local: the cloud metadata service
        "https://100.100.100.200/",  # carrier-grade NAT (Alibaba Cloud metadata)
        "https://[fd00:ec2::254]/",  # AWS metadata over IPv6
        "https://[::ffff:127.0.0.1]/hook",  # IPv4-mapped loopback
        "https://0.0.0.0/hook",
    ],
)
async def test_private_and_metadata_addresses_are_refused(url: str) -> None:
    with pytest.raises(errors.ValidationFailed):
        await check_url(url, allow_private=False)


async def test_a_public_https_address_is_accepted_and_private_ones_only_when_allowed() -> None:
    assert await check_url("https://93.184.215.14/hook", allow_private=False)
    assert await check_url("http://127.0.0.1:9000/hook", allow_private=True)


def test_private_addresses_are_allowed_by_default_outside_production_only() -> None:
    assert Settings(env="development").webhooks_may_reach_private is True
    production = Settings(env="production", secret_key="x" * 40, demo_accounts=False)
    assert production.webhooks_may_reach_private is False
    explicit = Settings(
        env="production", secret_key="x" * 40, demo_accounts=False, webhook_allow_private=True
    )
    assert explicit.webhooks_may_reach_private is True
