"""One delivery attempt against a real receiver: what is sent, what is kept, and that every failure is an
outcome (recorded, retried) rather than an exception."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest

from gateway.webhooks.attempts import RESPONSE_BODY_BYTES, USER_AGENT, Claimed, Sender
from gateway.webhooks.secrets import new_secret, seal
from services.common.settings import Settings
from tests.webhooks.receiver import Answer, Receiver

DEVELOPMENT = Settings(env="development", webhook_timeout_seconds=1.0)
PRODUCTION = Settings(
    env="production",
    secret_key="p" * 40,
    demo_accounts=False,
    webhook_allow_private=False,
    webhook_timeout_seconds=1.0,
)
Message = Callable[..., Claimed]


@pytest.fixture
def message(receiver: Receiver) -> Message:
    """`message(path)` → a claimed message for that receiver path, signed with a fresh secret."""

    def make(path: str, *, url: str | None = None, sealed: str | None = None) -> Claimed:
        return Claimed(
            id=uuid.uuid4(),
            endpoint_id=uuid.uuid4(),
            event_id=uuid.uuid4(),
            attempts=0,
            leased_until=datetime.now(UTC) + timedelta(minutes=1),
            url=url or receiver.url(path),
            secret_sealed=sealed or seal(new_secret(), DEVELOPMENT.secret_key),
            previous_secret_sealed=None,
            previous_secret_expires_at=None,
            body=b'{"type":"strategy.created"}',
        )

    return make


@pytest.fixture
async def sender() -> AsyncIterator[Sender]:
    running = Sender(DEVELOPMENT)
    yield running
    await running.close()


def _path() -> str:
    return f"attempts/{uuid.uuid4().hex}"


async def test_an_attempt_says_who_it_is_and_keeps_the_first_kib_of_a_long_answer(
    sender: Sender, receiver: Receiver, message: Message
) -> None:
    path = _path()
    receiver.script(path, [Answer(200, body="ก".encode() * 2000)])

    outcome = await sender.send(message(path))

    [received] = receiver.received(path)
    assert received.headers["user-agent"] == USER_AGENT
    assert received.headers["content-type"] == "application/json"
    assert (outcome.succeeded, outcome.status_code, outcome.error) == (True, 200, None)
    # 341 three-byte letters fill 1,023 bytes; the 1,024th is a cut letter, kept as U+FFFD
    assert outcome.response_body == "ก" * (RESPONSE_BODY_BYTES // 3) + "\ufffd"


async def test_a_redirect_is_not_followed_and_counts_as_a_failed_attempt(
    sender: Sender, receiver: Receiver, message: Message
) -> None:
    path, elsewhere = _path(), _path()
    receiver.script(path, [Answer(307, headers={"location": receiver.url(elsewhere)})])

    outcome = await sender.send(message(path))

    assert (outcome.succeeded, outcome.status_code) == (False, 307)
    assert receiver.received(elsewhere) == []


async def test_an_answer_slower_than_the_timeout_is_a_timed_out_attempt(
    sender: Sender, receiver: Receiver, message: Message
) -> None:
    path = _path()
    receiver.script(path, [Answer(204, delay=DEVELOPMENT.webhook_timeout_seconds + 1)])

    outcome = await sender.send(message(path))

    assert (outcome.succeeded, outcome.status_code) == (False, None)
    assert outcome.error == "timed out after 1 s"


@pytest.mark.parametrize(
    ("url", "sealed", "reason"),
    [
        ("http://127.0.0.1:99999/hook", None, "Port out of range"),  # a URL saved before it was checked
        ("http://[::1/hook", None, "Invalid IPv6 URL"),
        (None, seal(new_secret(), "another-secret-key" * 3), "InvalidTag"),  # sealed under another key
    ],
)
async def test_any_error_of_an_attempt_is_its_outcome_with_the_reason(
    url: str | None, sealed: str | None, reason: str, sender: Sender, message: Message
) -> None:
    outcome = await sender.send(message(_path(), url=url, sealed=sealed))

    assert (outcome.succeeded, outcome.status_code) == (False, None)
    assert outcome.error is not None
    assert reason in outcome.error


async def test_a_kept_alive_connection_the_receiver_closed_is_not_a_failed_attempt(
    sender: Sender, message: Message
) -> None:
    """The race a real receiver loses now and then: it closes an idle connection as the next POST is sent."""
    connections: list[int] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(len(connections))
        answered = 0
        while head := await reader.readuntil(b"\r\n\r\n"):
            length = re.search(rb"content-length: *(\d+)", head, re.I)
            assert length is not None
            await reader.readexactly(int(length.group(1)))
            if len(connections) == 1 and answered == 1:
                break  # the first connection's second request: closed unanswered, as an idle timeout does
            writer.write(b"HTTP/1.1 204 No Content\r\nconnection: keep-alive\r\n\r\n")
            await writer.drain()
            answered += 1
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/hook"
    async with server:
        first = await sender.send(message("", url=url))
        second = await sender.send(message("", url=url))

    assert (first.succeeded, second.succeeded, second.error) == (True, True, None)
    assert len(connections) == 2


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
async def test_in_production_a_loopback_host_is_refused_when_connecting(
    host: str, receiver: Receiver, message: Message
) -> None:
    path = _path()
    sender = Sender(PRODUCTION)
    try:
        outcome = await sender.send(
            message(path, url=f"http://{host}:{receiver.port}/{path}", sealed=seal(new_secret(), "p" * 40))
        )
    finally:
        await sender.close()

    assert (outcome.succeeded, outcome.status_code) == (False, None)
    assert outcome.error is not None
    assert "may not reach" in outcome.error
    assert receiver.received(path) == []
