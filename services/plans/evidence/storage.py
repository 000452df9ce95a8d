"""Files kept outside the database (evidence photos, minutes, receipts), each under a key of its content's
SHA-256: a folder under the data directory by default, an S3-compatible store by configuration
(`KHABUAN_FILE_STORE=s3`, `KHABUAN_S3_*`). One interface over both (obstore's); a store out of reach is 503,
and nothing is recorded."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Any

import obstore
import structlog
from fastapi import Depends, Request
from obstore.exceptions import BaseError
from obstore.store import LocalStore, S3Store

from services.common import errors
from services.common.i18n import Text
from services.common.settings import Settings

if TYPE_CHECKING:  # typed dicts of the stubs only
    from obstore.store import ClientConfig, RetryConfig

log = structlog.get_logger()
UNREACHABLE = Text(
    "The file store cannot be reached; try again shortly.", "ไม่สามารถเข้าถึงที่เก็บไฟล์ได้ กรุณาลองใหม่"
)


def content_key(content: bytes) -> tuple[str, str]:
    """The file's SHA-256 (hex) and the key it is kept under."""
    digest = hashlib.sha256(content).hexdigest()
    return digest, key_of(digest)


def key_of(digest: str) -> str:
    """The key of the content whose SHA-256 is `digest` (`sha256/ab/cd/abcd…`)."""
    return f"sha256/{digest[:2]}/{digest[2:4]}/{digest}"


@dataclass(frozen=True)
class FileStore:
    """Put and get whole files by key; the same key twice holds the same content (it names the content)."""

    store: Any  # an obstore store: LocalStore or S3Store

    async def put(self, key: str, content: bytes) -> None:
        try:
            await obstore.put_async(self.store, key, content)
        except (BaseError, OSError) as error:  # any store failure is the same 503 to the caller
            log.warning("files.put_failed", key=key, error=str(error))
            raise errors.ServiceUnavailable(UNREACHABLE, headers={"Retry-After": "5"}) from error

    async def get(self, key: str) -> bytes | None:
        """The file's bytes, or None when the store has no such key."""
        try:
            found = await obstore.get_async(self.store, key)
            return bytes(await found.bytes_async())
        except FileNotFoundError:
            return None
        except (BaseError, OSError) as error:
            log.warning("files.get_failed", key=key, error=str(error))
            raise errors.ServiceUnavailable(UNREACHABLE, headers={"Retry-After": "5"}) from error


def open_store(settings: Settings) -> FileStore:
    if settings.file_store == "local":
        return FileStore(LocalStore(settings.files_dir.resolve(), mkdir=True))
    secret = settings.s3_secret_access_key
    options: dict[str, Any] = {"region": settings.s3_region}
    if settings.s3_endpoint:
        options["endpoint"] = settings.s3_endpoint
    if settings.s3_access_key_id and secret:
        options |= {
            "access_key_id": settings.s3_access_key_id,
            "secret_access_key": secret.get_secret_value(),
        }
    # an upload waits for the store: a few quick retries, then 503 (the client may send it again)
    retries: RetryConfig = {"max_retries": 2, "retry_timeout": timedelta(seconds=10)}
    client: ClientConfig = {"allow_http": True, "timeout": "30s", "connect_timeout": "5s"}
    return FileStore(S3Store(settings.s3_bucket, client_options=client, retry_config=retries, **options))


def _store_of(request: Request) -> FileStore:
    """The app's store, opened once from its settings."""
    state = request.app.state
    if getattr(state, "file_store", None) is None:
        state.file_store = open_store(state.settings)
    store: FileStore = state.file_store
    return store


Files = Annotated[FileStore, Depends(_store_of)]
