"""Token verification and area scope, done by every service itself (never trusted from the gateway)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import httpx
import jwt
import structlog
from fastapi import Depends, Request, Security
from fastapi.security import OAuth2PasswordBearer

from services.common import errors
from services.common.actor import actor_of, current_actor
from services.common.deactivations import Deactivations
from services.common.geo import covers
from services.common.i18n import Text

Role = Literal["national", "regional", "provincial", "tambon", "evaluator", "partner"]
PrincipalKind = Literal["user", "client", "service"]
ALGORITHM = "ES256"
_REQUIRED_CLAIMS = ["sub", "kind", "grants", "iss", "aud", "iat", "exp", "jti"]
_MIN_REFRESH_INTERVAL = 5.0
_VERIFIED_CACHE_SIZE = 10_000

log = structlog.get_logger()


@dataclass(frozen=True, slots=True)
class Grant:
    role: Role
    area: str


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    kind: PrincipalKind
    grants: tuple[Grant, ...]
    username: str | None = None
    session_id: str | None = None  # a person's sign-in (the token's `sid`): what a password change keeps

    def may(self, roles: Iterable[Role], area: str) -> bool:
        wanted = set(roles)
        return any(grant.role in wanted and covers(grant.area, area) for grant in self.grants)

    def require(self, roles: Iterable[Role], area: str) -> None:
        """Raise 403 unless one of the principal's grants has one of `roles` over `area`."""
        roles = tuple(roles)
        if self.may(roles, area):
            return
        if any(grant.role in roles for grant in self.grants):
            raise errors.OutsideArea(
                Text(
                    f"Your grants do not cover area {area}.",
                    f"สิทธิ์ของคุณไม่ครอบคลุมพื้นที่ {area}",
                ),
                extensions={"area_code": area},
            )
        raise errors.Forbidden(
            Text(
                f"This needs one of the roles: {', '.join(roles)}.",
                f"ต้องมีบทบาทอย่างใดอย่างหนึ่งต่อไปนี้: {', '.join(roles)}",
            )
        )

    def confine_reads(self, area: str | None) -> str | None:
        """Partner systems read only inside their grants, even public data; others read as asked.

        Returns the area a listing should be limited to (a partner's single grant when none was asked).
        """
        if self.kind != "client":
            return area
        partner_areas = [grant.area for grant in self.grants if grant.role == "partner"]
        if area is None and len(partner_areas) == 1:
            area = partner_areas[0]
        self.require(("partner",), area or "TH")
        return area


class TokenVerifier:
    """Verifies the gateway's JWTs against its published JWKS, cached and refreshed on an unknown key.

    A token that verified is remembered until it expires (a phone sends the same token with every request
    for its lifetime; checking an ES256 signature costs more than the rest of a small request's routing).
    The memory is forgotten whenever the key set changes, so a withdrawn key stops its tokens at once.
    """

    def __init__(
        self,
        *,
        jwks_url: str,
        issuer: str,
        audience: str,
        cache_seconds: int = 300,
        deactivations: Deactivations | None = None,
    ) -> None:
        self.deactivations = deactivations
        self.jwks_url = jwks_url
        self.issuer = issuer
        self.audience = audience
        self.cache_seconds = cache_seconds
        self._keys: dict[str, Any] = {}
        self._key_source: Callable[[], dict[str, Any]] | None = None
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()
        # token → its principal, its expiry, when it was issued
        self._verified: dict[str, tuple[Principal, float, float]] = {}

    @classmethod
    def with_keys(
        cls,
        keys: Callable[[], dict[str, Any]],
        *,
        issuer: str,
        audience: str,
        deactivations: Deactivations | None = None,
    ) -> TokenVerifier:
        """A verifier whose keys come from `keys()` (the gateway's key ring: it holds the keys itself)."""
        verifier = cls(
            jwks_url="", issuer=issuer, audience=audience, cache_seconds=10**9, deactivations=deactivations
        )
        verifier._key_source = keys
        verifier._keys = dict(keys())
        verifier._fetched_at = float("inf")
        return verifier

    async def verify(self, token: str) -> Principal:
        remembered = self._verified.get(token)
        if remembered is not None:
            principal, expires_at, issued_at = remembered
            if time.time() < expires_at and not self._keys_stale():
                return self._active(principal, issued_at)
            del self._verified[token]
        claims = await self._verified_claims(token)
        principal = self._active(principal_from_claims(claims), float(claims["iat"]))
        if len(self._verified) >= _VERIFIED_CACHE_SIZE:
            self._verified.clear()
        self._verified[token] = (principal, float(claims["exp"]), float(claims["iat"]))
        return principal

    def _active(self, principal: Principal, issued_at: float) -> Principal:
        if self.deactivations is None:
            return principal
        if self.deactivations.refuses(principal.subject, issued_at):
            if principal.kind == "user":
                raise _invalid_token("The account is deactivated.", "บัญชีนี้ถูกระงับแล้ว")
            raise _invalid_token("The client is disabled.", "ระบบภาคีนี้ถูกระงับแล้ว")
        if self.deactivations.outgranted(principal.subject, issued_at, principal.grants):
            raise _invalid_token(
                "The account's grants changed since this token was issued: refresh it.",
                "สิทธิ์ของบัญชีเปลี่ยนไปหลังออกโทเค็นนี้ กรุณาขอโทเค็นใหม่",
            )
        return principal

    def _keys_stale(self) -> bool:
        return time.monotonic() - self._fetched_at > self.cache_seconds

    async def _verified_claims(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise _invalid_token("The token is not a well-formed JWT.", "โทเค็นมีรูปแบบไม่ถูกต้อง") from exc
        if header.get("alg") != ALGORITHM:
            raise _invalid_token("The token's algorithm is not accepted.", "ไม่รับอัลกอริทึมของโทเค็นนี้")
        key = await self._key(str(header.get("kid", "")))
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": _REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as exc:
            raise _invalid_token("The token has expired.", "โทเค็นหมดอายุแล้ว") from exc
        except jwt.PyJWTError as exc:
            raise _invalid_token("The token could not be verified.", "ตรวจสอบโทเค็นไม่ผ่าน") from exc
        return claims

    async def _key(self, kid: str) -> Any:
        if self._key_source is not None:
            keys = self._key_source()
            if keys.keys() != self._keys.keys():
                self._verified.clear()
                self._keys = dict(keys)
        elif kid not in self._keys or self._keys_stale():
            await self._refresh(force=kid not in self._keys, kid=kid)
        if kid not in self._keys:
            raise _invalid_token("The token was signed by an unknown key.", "โทเค็นลงนามด้วยกุญแจที่ไม่รู้จัก")
        return self._keys[kid]

    async def _refresh(self, *, force: bool, kid: str | None = None) -> None:
        async with self._lock:
            age = time.monotonic() - self._fetched_at
            if kid is not None and kid in self._keys:
                return  # another request fetched it while this one waited for the lock
            if force and age < _MIN_REFRESH_INTERVAL:
                # a key just rotated in: wait out the interval (the fetches stay rate-limited) rather than
                # refuse a token the gateway has only now begun to sign with
                await asyncio.sleep(_MIN_REFRESH_INTERVAL - age)
            elif not force and age < self.cache_seconds:
                return
            try:
                async with httpx.AsyncClient(timeout=5.0) as client:
                    response = await client.get(self.jwks_url)
                    response.raise_for_status()
                    document = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                log.warning("auth.jwks_fetch_failed", url=self.jwks_url, error=str(exc))
                if not self._keys:
                    raise errors.ServiceUnavailable(
                        Text("Token keys are not available yet.", "ยังไม่สามารถโหลดกุญแจตรวจโทเค็นได้")
                    ) from exc
                return
            keys = {jwk["kid"]: jwt.PyJWK(jwk).key for jwk in document.get("keys", []) if "kid" in jwk}
            if keys.keys() != self._keys.keys():
                self._verified.clear()
            self._keys = keys
            self._fetched_at = time.monotonic()


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    grants = tuple(Grant(role=g["role"], area=g["area"]) for g in claims.get("grants", []))
    return Principal(
        subject=str(claims["sub"]),
        kind=claims["kind"],
        grants=grants,
        username=claims.get("preferred_username"),
        session_id=claims.get("sid"),
    )


def _invalid_token(en: str, th: str) -> errors.Unauthorized:
    return errors.Unauthorized(
        Text(en, th),
        headers={
            "WWW-Authenticate": f'Bearer realm="khabuan", error="invalid_token", error_description="{en}"'
        },
    )


def bearer_token(request: Request) -> str | None:
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if not authorization:
        return None
    if scheme.lower() != "bearer" or not token.strip():
        raise _invalid_token(
            "Use the Bearer authorization scheme.", "กรุณาใช้รูปแบบ Bearer ในส่วนหัว Authorization"
        )
    return token.strip()


async def optional_principal(request: Request) -> Principal | None:
    """The verified principal of the request's bearer token (None without one), verified once per request."""
    if hasattr(request.state, "principal"):
        cached: Principal | None = request.state.principal
        return cached
    token = bearer_token(request)
    principal = None
    if token is not None:
        verifier: TokenVerifier = request.app.state.token_verifier
        principal = await verifier.verify(token)
        current_actor.set(actor_of(principal.kind, principal.subject))
    request.state.principal = principal
    return principal


class _PrincipalScheme(OAuth2PasswordBearer):
    """The bearer scheme OpenAPI declares (Swagger's Authorize button), resolving to the principal itself:
    one dependency per route, not a scheme nested in a resolver (FastAPI solves each level at a cost)."""

    async def __call__(self, request: Request) -> Principal | None:  # type: ignore[override]
        return await optional_principal(request)


principal_scheme = _PrincipalScheme(tokenUrl="/v1/auth/token", auto_error=False, scheme_name="oauth2")


async def required_principal(
    principal: Annotated[Principal | None, Security(principal_scheme)],
) -> Principal:
    if principal is None:
        raise errors.Unauthorized()
    return principal


CurrentPrincipal = Annotated[Principal, Depends(required_principal)]
MaybePrincipal = Annotated[Principal | None, Security(principal_scheme)]
