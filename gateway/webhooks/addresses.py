"""The SSRF guard: webhook URLs must not reach into our own network.

Outside development (`KHABUAN_WEBHOOK_ALLOW_PRIVATE` unset in production, or false) an endpoint URL must
be https and its host must resolve only to public addresses: not loopback, private, link-local (which
holds the cloud metadata service, 169.254.169.254), carrier-grade NAT, multicast, reserved or unspecified.
The check runs when the URL is saved and again at every DNS lookup made for delivery (the client reuses
answers up to 10 s), by the resolver it connects through (PublicResolver): the connection goes to exactly the
addresses checked, so there is no second lookup an attacker's DNS could answer differently (no rebinding).
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import unicodedata
from collections.abc import Callable
from urllib.parse import SplitResult, urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from services.common import errors
from services.common.i18n import Text

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT; Alibaba Cloud's metadata lives here
_METADATA_V6 = ipaddress.ip_address("fd00:ec2::254")


class ForbiddenAddress(ValueError):
    """The URL's host is, or resolves to, an address webhooks may not reach."""


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address in _SHARED
        or address == _METADATA_V6
    )


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PORT = r"(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})"
# the one shape of an endpoint URL, checked here and published as the field's pattern: http(s), a host name of
# ASCII labels (an IDN as xn--…; an IPv4 literal is labels of digits; no IPv6 literal), an optional port, then
# printable ASCII (RFC 3986: the rest percent-encoded)
URL_PATTERN = rf"^https?://{_LABEL}(?:\.{_LABEL})*\.?(?::{_PORT})?(?:[/?#][!-~]*)?$"
_URL = re.compile(URL_PATTERN)


def parse_url(url: str, *, allow_private: bool) -> SplitResult:
    """Check a URL's shape: no control characters or spaces, http(s), a host, no credentials, URL_PATTERN;
    https unless private addresses are allowed."""
    # urlsplit silently drops CR, LF and tab: refuse them before they are hidden
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in url):
        raise _invalid(
            "The URL may not contain spaces or control characters (such as a line break).",
            "URL ต้องไม่มีช่องว่างหรืออักขระควบคุม (เช่น การขึ้นบรรทัดใหม่)",
        )
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        raise _invalid("The URL is not valid.", "URL ไม่ถูกต้อง") from None
    schemes = ("http", "https") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise _invalid(f"The URL must use {' or '.join(schemes)}.", f"URL ต้องใช้ {' หรือ '.join(schemes)}")
    if not parts.hostname:
        raise _invalid("The URL has no host.", "URL ไม่มีชื่อโฮสต์")
    if parts.username or parts.password:
        raise _invalid(
            "Put no credentials in the URL; verify the signature instead.",
            "ห้ามใส่ชื่อผู้ใช้หรือรหัสผ่านใน URL ให้ตรวจลายมือชื่อแทน",
        )
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise _invalid("The URL's port is not valid.", "หมายเลขพอร์ตใน URL ไม่ถูกต้อง") from None
    if not _URL.fullmatch(url):
        raise _invalid(
            "The URL is not valid: name the host with letters, digits, dots and hyphens (an IDN as xn--…, no "
            "IPv6 literal), and percent-encode anything that is not printable ASCII.",
            "URL ไม่ถูกต้อง: ชื่อโฮสต์ใช้ได้เฉพาะตัวอักษรอังกฤษ ตัวเลข จุด และขีด (โดเมนภาษาไทยเขียนแบบ xn--… "
            "ไม่รับที่อยู่ IPv6) และอักขระอื่นนอกจาก ASCII ที่พิมพ์ได้ต้องเข้ารหัสแบบ percent-encoding",
        )
    return parts


def _address(text: str) -> IPAddress:
    return ipaddress.ip_address(text.split("%")[0])  # a link-local IPv6 answer may carry a %zone


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def refuse_private_literal(host: str) -> None:
    """ForbiddenAddress if `host` is an IP literal that is not public (literals never reach a resolver)."""
    literal = _literal(host)
    if literal is not None and not is_public(literal):
        raise ForbiddenAddress(f"{literal} is an address webhooks may not reach")


def refuse_unless_all_allowed(
    host: str, addresses: list[IPAddress], allowed: Callable[[IPAddress], bool] = is_public
) -> None:
    """ForbiddenAddress unless `host` resolved to something and every address it resolved to is allowed."""
    blocked = [str(address) for address in addresses if not allowed(address)]
    if blocked or not addresses:
        raise ForbiddenAddress(
            f"{host} resolves to addresses webhooks may not reach: {', '.join(blocked) or 'none'}"
        )


class PublicResolver(AbstractResolver):
    """The delivery client's resolver: one lookup, refused unless every answer is public, and the connector
    is handed exactly those checked answers (TLS SNI and Host stay the URL's hostname)."""

    def __init__(
        self, lookup: AbstractResolver | None = None, *, allowed: Callable[[IPAddress], bool] = is_public
    ) -> None:
        self.lookup = lookup or ThreadedResolver()
        self.allowed = allowed

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """The checked answers for `host`; ForbiddenAddress if any is not public (or there is none)."""
        answers = await self.lookup.resolve(host, port, family)
        refuse_unless_all_allowed(host, [_address(a["host"]) for a in answers], self.allowed)
        return answers

    async def close(self) -> None:
        await self.lookup.close()


async def resolve_public(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to; ForbiddenAddress if any is not public (or none is found)."""
    literal = _literal(host)
    if literal is not None:
        found = [literal]
    else:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise ForbiddenAddress(f"{host} does not resolve: {exc}") from exc
        found = [_address(str(info[4][0])) for info in infos]
    refuse_unless_all_allowed(host, found)
    return found


async def check_url(url: str, *, allow_private: bool) -> str:
    """Validate an endpoint URL as it is saved (422 problem when it may not be used)."""
    parts = parse_url(url, allow_private=allow_private)
    if not allow_private:
        try:
            await resolve_public(parts.hostname or "", parts.port or 443)
        except ForbiddenAddress as exc:
            raise _invalid(
                f"The URL may not be used: {exc}.",
                "URL นี้ชี้ไปยังที่อยู่ภายในหรือที่อยู่ที่ห้ามใช้ (เช่น loopback เครือข่ายภายใน หรือ metadata)",
            ) from exc
    return url


def _invalid(en: str, th: str) -> errors.ValidationFailed:
    return errors.ValidationFailed(
        Text(en, th), extensions={"errors": [{"pointer": "/url", "detail": Text(en, th)}]}
    )
