"""The one error hierarchy, rendered as RFC 9457 problem+json in one place (see problems.py)."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from services.common.i18n import Text


class Problem(Exception):
    """A failure a client can act on. Subclasses fix the type, status and title."""

    slug: ClassVar[str] = "about:blank"
    status: ClassVar[int] = 500
    title: ClassVar[Text] = Text("Internal server error", "เกิดข้อผิดพลาดภายในระบบ")
    default_detail: ClassVar[Text | None] = None

    def __init__(
        self,
        detail: Text | None = None,
        *,
        extensions: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.detail = detail or self.default_detail
        self.extensions = extensions or {}
        self.headers = headers or {}
        super().__init__(self.detail.en if self.detail else self.title.en)


class BadRequest(Problem):
    slug = "bad-request"
    status = 400
    title = Text("Bad request", "คำขอไม่ถูกต้อง")


class MalformedBody(BadRequest):
    slug = "malformed-body"
    title = Text("The body is not valid JSON", "ข้อมูลที่ส่งมาไม่ใช่ JSON ที่ถูกต้อง")
    default_detail = Text("Check the request body's JSON syntax.", "กรุณาตรวจสอบรูปแบบ JSON ของข้อมูลที่ส่ง")


class UnencodedQuery(BadRequest):
    slug = "unencoded-query"
    title = Text("The query is not percent-encoded", "พารามิเตอร์ใน URL ไม่ได้เข้ารหัสแบบ percent-encoding")
    default_detail = Text(
        "Percent-encode characters outside ASCII in the query (RFC 3986), e.g. ?q=%E0%B8%9E for ?q=พ.",
        "กรุณาเข้ารหัสอักขระที่ไม่ใช่ ASCII ในพารามิเตอร์ของ URL (RFC 3986) เช่น ?q=%E0%B8%9E แทน ?q=พ",
    )


class Unauthorized(Problem):
    slug = "unauthorized"
    status = 401
    title = Text("Authentication required", "ต้องยืนยันตัวตนก่อน")
    default_detail = Text(
        "Send a valid bearer token in the Authorization header.",
        "กรุณาส่งโทเค็นที่ถูกต้องในส่วนหัว Authorization",
    )

    def __init__(self, detail: Text | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="khabuan"'})
        super().__init__(detail, **kwargs)


class Forbidden(Problem):
    slug = "forbidden"
    status = 403
    title = Text("Not allowed", "ไม่มีสิทธิ์ดำเนินการ")


class OutsideArea(Forbidden):
    slug = "outside-area"
    title = Text("Outside your area", "อยู่นอกพื้นที่ที่คุณรับผิดชอบ")


class NotFound(Problem):
    slug = "not-found"
    status = 404
    title = Text("Not found", "ไม่พบข้อมูล")
    default_detail = Text("There is nothing at this address.", "ไม่พบสิ่งที่ร้องขอที่ที่อยู่นี้")


class MethodNotAllowed(Problem):
    slug = "method-not-allowed"
    status = 405
    title = Text("Method not allowed", "ไม่รองรับเมธอดนี้")


class Conflict(Problem):
    slug = "conflict"
    status = 409
    title = Text("Conflict", "ข้อมูลขัดแย้งกัน")


class PreconditionRequired(Problem):
    slug = "precondition-required"
    status = 428
    title = Text("Send If-Match with the ETag you edited", "กรุณาส่ง If-Match พร้อม ETag ของข้อมูลที่แก้ไข")
    default_detail = Text(
        "An edit must say which version it is based on: read the resource and send its ETag in If-Match "
        "(If-Match: * overwrites whatever is current).",
        "การแก้ไขต้องระบุว่าแก้จากฉบับใด กรุณาอ่านข้อมูลแล้วส่ง ETag ในส่วนหัว If-Match (If-Match: * จะเขียนทับฉบับปัจจุบัน)",
    )


class PreconditionFailed(Problem):
    slug = "precondition-failed"
    status = 412
    title = Text("The resource has changed", "ข้อมูลถูกแก้ไขไปแล้ว")
    default_detail = Text(
        "Someone changed it after you read it: fetch it again (new ETag) and re-apply your edit.",
        "มีผู้อื่นแก้ไขหลังจากที่คุณเปิดอ่าน กรุณาโหลดใหม่ (ETag ใหม่) แล้วแก้ไขอีกครั้ง",
    )


class PayloadTooLarge(Problem):
    slug = "payload-too-large"
    status = 413
    title = Text("Request body too large", "ข้อมูลที่ส่งมามีขนาดใหญ่เกินไป")


class UnsupportedMediaType(Problem):
    slug = "unsupported-media-type"
    status = 415
    title = Text("Unsupported media type", "ไม่รองรับชนิดข้อมูลนี้")


class ValidationFailed(Problem):
    slug = "validation-failed"
    status = 422
    title = Text("The request is not valid", "ข้อมูลที่ส่งมาไม่ถูกต้อง")
    default_detail = Text(
        "Some fields are missing or wrong; see errors.", "บางช่องไม่ได้กรอกหรือกรอกไม่ถูกต้อง ดูรายการ errors"
    )


class TooManyRequests(Problem):
    """RFC 6585 §4: slow down; `Retry-After` says for how many seconds."""

    slug = "too-many-requests"
    status = 429
    title = Text("Too many requests", "ส่งคำขอถี่เกินไป")

    def __init__(self, detail: Text | None = None, *, retry_after: int, **kwargs: Any) -> None:
        super().__init__(
            detail,
            headers={"Retry-After": str(max(1, retry_after))},
            extensions={"retry_after": max(1, retry_after)},
            **kwargs,
        )


class ServiceUnavailable(Problem):
    slug = "service-unavailable"
    status = 503
    title = Text("Service unavailable", "บริการไม่พร้อมใช้งานชั่วคราว")


class GatewayTimeout(Problem):
    slug = "gateway-timeout"
    status = 504
    title = Text("Service did not answer in time", "บริการไม่ตอบสนองภายในเวลาที่กำหนด")


class OAuthProblem(Problem):
    """Token endpoint failures: problem+json that also carries OAuth2's error fields (RFC 6749 §5.2)."""

    status = 400
    error: ClassVar[str] = "invalid_request"

    def __init__(self, detail: Text | None = None, **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)
        message = self.detail or self.title
        self.extensions.setdefault("error", self.error)
        self.extensions.setdefault("error_description", message.en)


class InvalidRequest(OAuthProblem):
    slug = "oauth/invalid-request"
    title = Text("Invalid token request", "คำขอโทเค็นไม่ถูกต้อง")


class InvalidGrant(OAuthProblem):
    slug = "oauth/invalid-grant"
    error = "invalid_grant"
    title = Text("Invalid credentials or grant", "ชื่อผู้ใช้ รหัสผ่าน หรือโทเค็นไม่ถูกต้อง")


class InvalidClient(OAuthProblem):
    slug = "oauth/invalid-client"
    status = 401
    error = "invalid_client"
    title = Text("Client authentication failed", "ยืนยันตัวตนของระบบภาคีไม่สำเร็จ")


class UnsupportedGrantType(OAuthProblem):
    slug = "oauth/unsupported-grant-type"
    error = "unsupported_grant_type"
    title = Text("Unsupported grant type", "ไม่รองรับ grant_type นี้")


class UnsupportedTokenType(OAuthProblem):
    """RFC 7009 §2.2.1: this kind of token cannot be revoked here."""

    slug = "oauth/unsupported-token-type"
    error = "unsupported_token_type"
    title = Text("This kind of token cannot be revoked", "ยกเลิกโทเค็นชนิดนี้ไม่ได้")


ProblemKind = TypeVar("ProblemKind", bound=Problem)


def at_field(kind: type[ProblemKind], pointer: str, detail: Text) -> ProblemKind:
    """A problem that points at one field of the body (`/area_code`): for rules a schema alone cannot check
    (422), a conflict with the stored record (409) or a reference to nothing (422, `nothing_at`)."""
    return kind(detail, extensions={"errors": [{"pointer": pointer, "detail": detail}]})


def parameter_error(where: str, name: str, detail: Text | str) -> dict[str, Any]:
    """One invalid parameter in a problem's `errors`: its pointer `/<in>/<name>` (`/query/cursor`), its name
    and where it was sent (query, path, header)."""
    return {"pointer": f"/{where}/{name}", "parameter": name, "in": where, "detail": detail}


def nothing_at(pointer: str, what: Text, row_id: object) -> ValidationFailed:
    """422 at a body field naming a row that does not exist (`/project_id`: "There is no project …"). The
    request's own target exists, so this is not a 404: the body is what cannot be processed."""
    return at_field(
        ValidationFailed, pointer, Text(f"There is no {what.en} {row_id}.", f"ไม่พบ{what.th} รหัส {row_id}")
    )
