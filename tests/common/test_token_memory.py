"""A service remembers the tokens it verified, but never past a change of the gateway's key set: a token
signed by a key the gateway has withdrawn is refused as soon as the service sees the new set."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from services.common import auth, errors

ISSUER = AUDIENCE = "khabuan"


class KeySet:
    """What a gateway publishes at /.well-known/jwks.json, changed by the test."""

    def __init__(self) -> None:
        self.keys: dict[str, ec.EllipticCurvePrivateKey] = {}

    def document(self) -> bytes:
        jwks = []
        for kid, key in self.keys.items():
            jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
            jwks.append({**jwk, "kid": kid, "alg": "ES256", "use": "sig"})
        return json.dumps({"keys": jwks}).encode()

    def mint(self, kid: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": "u-1",
            "kind": "user",
            "grants": [{"role": "provincial", "area": "93"}],
            "iat": now,
            "exp": now + 600,
            "jti": f"t-{kid}",
        }
        return jwt.encode(claims, self.keys[kid], algorithm="ES256", headers={"kid": kid})


@pytest.fixture
def published() -> Iterator[tuple[KeySet, str]]:
    keys = KeySet()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = keys.document()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield keys, f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    server.shutdown()
    server.server_close()


async def test_a_remembered_token_of_a_withdrawn_key_is_refused_once_the_new_key_set_is_seen(
    published: tuple[KeySet, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "_MIN_REFRESH_INTERVAL", 0.0)  # the verifier may fetch the set at once
    keys, url = published
    keys.keys["old"] = ec.generate_private_key(ec.SECP256R1())
    verifier = auth.TokenVerifier(jwks_url=url, issuer=ISSUER, audience=AUDIENCE, cache_seconds=3600)
    old_token = keys.mint("old")
    assert (await verifier.verify(old_token)).subject == "u-1"
    assert (await verifier.verify(old_token)).subject == "u-1"  # now from memory

    del keys.keys["old"]  # the gateway rotates: the old key withdrawn, a new one published
    keys.keys["new"] = ec.generate_private_key(ec.SECP256R1())
    assert (await verifier.verify(keys.mint("new"))).subject == "u-1"  # an unknown kid: the set is fetched

    with pytest.raises(errors.Unauthorized):
        await verifier.verify(old_token)


async def test_a_remembered_token_stays_accepted_while_the_key_set_is_unchanged(
    published: tuple[KeySet, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "_MIN_REFRESH_INTERVAL", 0.0)
    keys, url = published
    keys.keys["only"] = ec.generate_private_key(ec.SECP256R1())
    verifier = auth.TokenVerifier(jwks_url=url, issuer=ISSUER, audience=AUDIENCE, cache_seconds=0)
    token = keys.mint("only")

    for _ in range(3):  # each time the set is stale, fetched again, and the same
        assert (await verifier.verify(token)).subject == "u-1"
