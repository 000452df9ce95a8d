"""The file store behind evidence files keeps the same promises in a local folder and in an S3-compatible
store — here a real S3 API server (moto's server mode) started by the test: what is put is got back byte for
byte, a key nobody put is None, the same key twice holds the same content, and a store out of reach is a 503
problem (so nothing is recorded)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from moto.server import ThreadedMotoServer

from services.common import errors
from services.common.settings import Settings
from services.plans.evidence.storage import FileStore, content_key, open_store

PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    assert httpx.put(f"{endpoint}/khabuan-evidence").status_code == 200  # the bucket
    yield endpoint
    server.stop()


def s3_settings(endpoint: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        file_store="s3",
        s3_endpoint=endpoint,
        s3_bucket="khabuan-evidence",
        s3_access_key_id="test",
        s3_secret_access_key="test",
    )


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> FileStore:
    if request.param == "local":
        return open_store(Settings(data_dir=tmp_path))
    return open_store(s3_settings(request.getfixturevalue("s3_endpoint"), tmp_path))


async def test_what_is_put_is_got_back_byte_for_byte(store: FileStore) -> None:
    digest, key = content_key(PHOTO)

    await store.put(key, PHOTO)
    await store.put(key, PHOTO)  # the same content again: the same key, nothing new

    assert await store.get(key) == PHOTO
    assert key == f"sha256/{digest[:2]}/{digest[2:4]}/{digest}"


async def test_a_key_nobody_put_is_not_there(store: FileStore) -> None:
    _, key = content_key(b"never stored")

    assert await store.get(key) is None


def test_the_local_store_is_a_folder_under_the_data_directory(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)

    open_store(settings)

    assert settings.files_dir == tmp_path / "files"
    assert settings.files_dir.is_dir()


async def test_a_store_out_of_reach_is_a_503_problem(tmp_path: Path) -> None:
    store = open_store(s3_settings(f"http://127.0.0.1:{_free_port()}", tmp_path))  # nothing listens there

    with pytest.raises(errors.ServiceUnavailable):
        await store.put(content_key(PHOTO)[1], PHOTO)
    with pytest.raises(errors.ServiceUnavailable):
        await store.get(content_key(PHOTO)[1])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
