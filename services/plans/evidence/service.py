"""Evidence files (หลักฐาน): photos, minutes and receipts given for an update by its author, their type told
by their content, their size limited, their bytes kept outside the database under their SHA-256 (the file
store). The area's staff see and download them, as they see the update."""

from __future__ import annotations

import uuid

import filetype
import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.auth import Principal
from services.common.i18n import Text
from services.plans.evidence import repository
from services.plans.evidence.access import EVIDENCE_READERS
from services.plans.evidence.models import EvidenceFile
from services.plans.evidence.schemas import ACCEPTED, EvidenceFilePublic, EvidenceFiles
from services.plans.evidence.storage import FileStore, content_key, key_of
from services.plans.reporting import repository as updates
from services.plans.reporting import service as reporting

log = structlog.get_logger()
MAX_FILES = 20  # an update's files
FILE = Text("evidence file", "ไฟล์หลักฐาน")


async def attach(
    session: AsyncSession,
    principal: Principal,
    store: FileStore,
    *,
    update_id: uuid.UUID,
    filename: str,
    content: bytes,
    title: str | None,
    max_bytes: int,
) -> tuple[EvidenceFilePublic, bool]:
    """Give an update a file; returns it and whether it is new (the same content again is the same file).
    The update is locked first, so two uploads of one update are one after the other."""
    update = await reporting.revisable(session, principal, update_id, Text("given evidence", "แนบหลักฐาน"))
    media_type = _checked(content, max_bytes)
    digest, key = content_key(content)
    if (same := await repository.same_content(session, update.id, digest)) is not None:
        return EvidenceFilePublic.model_validate(same), False
    if await repository.count_of(session, update.id) >= MAX_FILES:
        raise errors.Conflict(
            Text(
                f"An update has at most {MAX_FILES} files; this one has them all.",
                f"ข้อมูลหนึ่งรายการแนบไฟล์ได้ไม่เกิน {MAX_FILES} ไฟล์ และรายการนี้ครบแล้ว",
            )
        )
    await store.put(key, content)  # before the row: a row always has its bytes
    row = EvidenceFile(
        update_id=update.id,
        indicator_id=update.indicator_id,
        area_code=update.area_code,
        sha256=digest,
        size_bytes=len(content),
        media_type=media_type,
        filename=filename[-255:] or "evidence",
        title=title,
        uploaded_by=principal.subject,
    )
    session.add(row)
    await session.flush()
    log.info("evidence.attached", file_id=str(row.id), update_id=str(update.id), size=len(content))
    return EvidenceFilePublic.model_validate(row), True


def _checked(content: bytes, max_bytes: int) -> str:
    """The file's media type, told from its first bytes; 413 when too large, 415 when not a kind we keep."""
    if len(content) > max_bytes:
        raise errors.PayloadTooLarge(
            Text(
                f"An evidence file may be up to {max_bytes:,} bytes; this one is {len(content):,}.",
                f"ไฟล์หลักฐานมีขนาดได้ไม่เกิน {max_bytes:,} ไบต์ แต่ไฟล์นี้มี {len(content):,} ไบต์",
            )
        )
    if not content:
        raise errors.at_field(errors.ValidationFailed, "/file", Text("The file is empty.", "ไฟล์ว่างเปล่า"))
    media_type: str | None = filetype.guess_mime(content)
    if media_type is None or media_type not in ACCEPTED:
        kinds = ", ".join(ACCEPTED.values())
        raise errors.UnsupportedMediaType(
            Text(
                f"An evidence file is {kinds}; this one's content is {media_type or 'none of them'}.",
                f"ไฟล์หลักฐานต้องเป็นรูปภาพ (JPEG, PNG, WebP, HEIC) หรือ PDF แต่ไฟล์นี้เป็น {media_type or 'ชนิดอื่น'}",
            )
        )
    return media_type


async def get(session: AsyncSession, principal: Principal, file_id: uuid.UUID) -> EvidenceFilePublic:
    return EvidenceFilePublic.model_validate(await _readable(session, principal, file_id))


async def content(
    session: AsyncSession, principal: Principal, store: FileStore, file_id: uuid.UUID
) -> tuple[EvidenceFilePublic, bytes]:
    """The file and its bytes from the store (the area's staff)."""
    row = await _readable(session, principal, file_id)
    data = await store.get(key_of(row.sha256))
    if data is None:
        log.error("evidence.content_missing", file_id=str(row.id), sha256=row.sha256)
        raise errors.ServiceUnavailable(
            Text("The file's content is not in the file store.", "ไม่พบเนื้อหาไฟล์ในที่เก็บไฟล์"),
            headers={"Retry-After": "60"},
        )
    return EvidenceFilePublic.model_validate(row), data


async def of_update(session: AsyncSession, principal: Principal, update_id: uuid.UUID) -> EvidenceFiles:
    update = await updates.get_update(session, update_id)
    principal.require(EVIDENCE_READERS, update.area_code)
    rows = await repository.of_update(session, update.id)
    return EvidenceFiles(items=[EvidenceFilePublic.model_validate(row) for row in rows])


async def _readable(session: AsyncSession, principal: Principal, file_id: uuid.UUID) -> EvidenceFile:
    row = await repository.get(session, file_id)
    if row is None:
        raise errors.NotFound(Text(f"There is no {FILE.en} {file_id}.", f"ไม่พบ{FILE.th} รหัส {file_id}"))
    principal.require(EVIDENCE_READERS, row.area_code)
    return row
