"""The SSRF guard: outside development an endpoint must be https on a public address, and a connection
goes to exactly the address that was checked."""

from __future__ import annotations

import ipaddress
import socket
import uuid

import aiohttp
import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from gateway.webhooks.addresses import ForbiddenAddress, IPAddress, PublicResolver, check_url
from services.common import errors
from services.common.settings import Settings
from tests.webhooks.receiver import Receiver


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


class ScriptedLookup(AbstractResolver):
    """A DNS answer we choose (the first, then every later one): what an attacker's DNS could say."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        address = self.answers[min(len(self.asked), len(self.answers) - 1)]
        self.asked.append(host)
        family = socket.AF_INET
        return [{"hostname": host, "host": address, "port": port, "family": family, "proto": 0, "flags": 0}]

    async def close(self) -> None:
        return None


def _loopback_only(address: IPAddress) -> bool:
    return address == ipaddress.ip_address("127.0.0.1")


async def test_a_host_whose_dns_answers_loopback_is_refused_at_connect_time(receiver: Receiver) -> None:
    path = f"resolver/{uuid.uuid4().hex}"
    connector = aiohttp.TCPConnector(resolver=PublicResolver(ScriptedLookup("127.0.0.1")))
    async with aiohttp.ClientSession(connector=connector) as client:
        with pytest.raises(ForbiddenAddress, match=r"127\.0\.0\.1"):
            await client.post(f"http://partner.example:{receiver.port}/{path}", data=b"{}")

    assert receiver.received(path) == []


async def test_the_connector_dials_exactly_the_address_checked_and_never_asks_dns_again(
    receiver: Receiver,
) -> None:
    # the name resolves nowhere but through this lookup; its second answer (a rebinding) would be refused
    lookup = ScriptedLookup("127.0.0.1", "10.0.0.1")
    path = f"resolver/{uuid.uuid4().hex}"
    connector = aiohttp.TCPConnector(resolver=PublicResolver(lookup, allowed=_loopback_only))
    async with aiohttp.ClientSession(connector=connector) as client:
        for _ in range(3):
            async with client.post(f"http://partner.invalid:{receiver.port}/{path}", data=b"{}") as response:
                assert response.status == 204

    received = receiver.received(path)
    assert len(received) == 3
    assert {r.headers["host"] for r in received} == {f"partner.invalid:{receiver.port}"}
    assert lookup.asked == ["partner.invalid"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9000/hook\r\nX-Injected: 1",
        "http://127.0.0.1:9000/ho\nok",
        "http://exa\tmple.org/hook",
        "http://127.0.0.1:9000/hook ",
        "http://127.0.0.1:9000/\x00",
        "http://127.0.0.1:9000/\u200bhook",  # zero-width space: invisible in every dashboard
        "http://[::1/hook",
    ],
)
async def test_urls_with_control_characters_spaces_or_a_broken_shape_are_refused(url: str) -> None:
    with pytest.raises(errors.ValidationFailed):
        await check_url(url, allow_private=True)
