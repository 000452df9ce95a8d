"""`python -m khabuan backup | restore` (make backup / make restore): a backup taken while the stack runs,
restored into a fresh data folder, gives back every row of every Khabuan schema, the same users and the
same keys — a token issued before the backup still works — and restore refuses what it must refuse."""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from khabuan.backup import temporary_postgres
from tests.conftest import DEMO_PASSWORD, bearer
from tests.stack.proctools import describe, kill_all, processes_of, wait_until_gone
from tests.stackrunner import ROOT, start_stack

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="external PostgreSQL (DATABASE_URL set): this test backs up and restores the embedded one",
)

SCHEMAS = ("gateway", "plans", "funds", "assessment")
# columns `python -m gateway seed` refreshes on every start (demo and service accounts)
SEEDED_COLUMNS = {"password_hash", "secret_hash", "updated_at"}

Rows = dict[str, list[str]]


@pytest.fixture
def folder() -> Iterator[Path]:
    """A temporary folder for two data folders and the archives; whatever still runs on it is killed."""
    path = Path(tempfile.mkdtemp(prefix="khabuan-backup-"))
    try:
        yield path
    finally:
        for data in (path / "data", path / "restored", path / "refused"):
            leftovers = processes_of(data)
            kill_all(leftovers)
            wait_until_gone(leftovers, 10)
        shutil.rmtree(path, ignore_errors=True)


def _khabuan(argv: list[str], data_dir: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KHABUAN_DATA_DIR": str(data_dir), "KHABUAN_ENV": "test"}
    return subprocess.run(
        [sys.executable, "-m", "khabuan", *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


async def _rows(url: str) -> Rows:
    """Every row of every table in Khabuan's schemas, as sorted JSON (listed from information_schema, so
    tables added by later migrations are compared too)."""
    connection = await asyncpg.connect(url)
    try:
        tables = await connection.fetch(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema = ANY($1::text[]) AND table_type = 'BASE TABLE' "
            "ORDER BY table_schema, table_name",
            list(SCHEMAS),
        )
        found: Rows = {}
        for table in tables:
            name = f'"{table["table_schema"]}"."{table["table_name"]}"'
            rows = await connection.fetch(f"SELECT to_jsonb(t)::text AS row FROM {name} t")
            found[name] = sorted(_canonical(json.loads(row["row"])) for row in rows)
        return found
    finally:
        await connection.close()


def _canonical(row: dict[str, object]) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False)


def _without(rows: Rows, columns: set[str]) -> Rows:
    return {
        table: sorted(
            _canonical({k: v for k, v in json.loads(row).items() if k not in columns}) for row in values
        )
        for table, values in rows.items()
    }


def _quiet_rows(url: str) -> Rows:
    """The rows once the workers have nothing left to change (two reads a second apart agree)."""
    previous = asyncio.run(_rows(url))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        time.sleep(1)
        current = asyncio.run(_rows(url))
        if current == previous:
            return current
        previous = current
    raise AssertionError("the database kept changing")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _create_data(gateway_url: str) -> str:
    """Funds (one with a contribution), strategies and teams created through the gateway; returns the access
    token used."""
    login = httpx.post(
        f"{gateway_url}/v1/auth/token",
        data={"grant_type": "password", "username": "demo-provincial-93", "password": DEMO_PASSWORD},
        timeout=30,
    )
    assert login.status_code == 200, login.text
    token = str(login.json()["access_token"])
    with httpx.Client(base_url=gateway_url, headers=bearer(token), timeout=30) as client:
        for index, (path, body) in enumerate(
            [
                (
                    "/v1/funds",
                    {"name_th": "กองทุนบริหารร่วมจังหวัดพัทลุง", "kind": "pooled_province", "area_code": "93"},
                ),
                ("/v1/funds", {"name_th": "กองทุนสำรองพัทลุง", "kind": "pooled_province", "area_code": "93"}),
                (
                    "/v1/strategies",
                    {"province_code": "93", "title_th": "ยุทธศาสตร์พัทลุง", "vision": "จังหวัดจัดการตนเอง"},
                ),
                ("/v1/teams", {"kind": "internal_empowerment", "name": "ทีมประเมินเสริมพลัง", "area_code": "93"}),
                ("/v1/teams", {"kind": "outcome", "name": "ทีมประเมินผลลัพธ์", "area_code": "93"}),
            ]
        ):
            response = client.post(path, json=body, headers={"Idempotency-Key": f"backup-test-{index}"})
            assert response.status_code == 201, (path, response.text)
            if index == 0:
                contribution = {"amount_satang": 123_456, "source_kind": "codi_grant", "source_name": "พอช."}
                contributed = client.post(
                    f"{response.headers['location']}/contributions",
                    json={**contribution, "received_on": "2024-09-05"},
                    headers={"Idempotency-Key": "backup-test-contribution"},
                )
                assert contributed.status_code == 201, contributed.text
    return token


def _balances(gateway_url: str) -> dict[str, tuple[int, int, int]]:
    """Every fund's balance, reserved and available amounts, as the API reports them."""
    balances: dict[str, tuple[int, int, int]] = {}
    params: dict[str, str | int] = {"limit": 200}
    with httpx.Client(base_url=gateway_url, timeout=30) as client:
        while True:
            page = client.get("/v1/funds", params=params).json()
            for fund in page["items"]:
                balances[fund["id"]] = (
                    fund["balance_satang"],
                    fund["reserved_satang"],
                    fund["available_satang"],
                )
            if not page["next_cursor"]:
                return balances
            params["cursor"] = page["next_cursor"]


def _tamper(archive: Path, target: Path) -> None:
    """The same archive with one byte of the dump changed (the manifest untouched)."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source:
            data = source.extractfile(member).read() if member.isfile() else None  # type: ignore[union-attr]
            if member.name == "database.dump" and data:
                data = data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:]
            copy.addfile(member, io.BytesIO(data) if data is not None else None)


def test_backup_of_a_running_stack_restores_into_a_fresh_folder_with_the_same_rows_users_and_keys(
    folder: Path,
) -> None:
    data, restored, archive = folder / "data", folder / "restored", folder / "backups" / "one.tar.gz"
    original = start_stack(data)
    try:
        token = _create_data(original.gateway_url)
        balances = _balances(original.gateway_url)
        secret = data / "secrets" / "partner-webhook.key"  # a secret added by some later feature
        secret.parent.mkdir(mode=0o700)
        secret.write_bytes(os.urandom(32))
        evidence = data / "files" / "sha256" / "ab" / "cd" / ("abcd" + "0" * 60)  # the local file store's
        evidence.parent.mkdir(parents=True)
        evidence.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(64))
        url = original.state["database_url"]
        before = _quiet_rows(url)

        made = _khabuan(["backup", "--archive", str(archive)], data)
        assert made.returncode == 0, made.stderr

        after = asyncio.run(_rows(url))
        refused_while_running = _khabuan(["restore", "--force", str(archive)], data)
    finally:
        assert original.stop(signal.SIGINT) == 0
    assert after == before, "the database changed during the backup"
    assert refused_while_running.returncode != 0
    assert "running" in refused_while_running.stderr, refused_while_running.stderr

    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        files = {member.name for member in tar.getmembers() if member.isfile()} - {"manifest.json"}
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert names[0] == "manifest.json"
    assert {"database.dump", "keys/jwt-signing-key.pem", "secrets/partner-webhook.key"} <= set(names)
    assert f"files/sha256/ab/cd/{evidence.name}" in names
    assert set(SCHEMAS) <= set(manifest["database"]["schemas"])
    assert manifest["database"]["server_version"].startswith("18.")
    assert {entry["path"] for entry in manifest["files"]} == files
    assert (archive.stat().st_mode & 0o777) == 0o600

    # a stopped stack's folder is backed up too: its PostgreSQL runs just for the dump
    stopped = _khabuan(["backup", "--archive", str(folder / "backups" / "stopped.tar.gz")], data)
    assert stopped.returncode == 0, stopped.stderr
    with tarfile.open(folder / "backups" / "stopped.tar.gz", "r:gz") as tar:
        source = json.load(tar.extractfile("manifest.json"))["source"]  # type: ignore[arg-type]
    assert source["database"] == "embedded (started for the backup)"
    assert describe(processes_of(data)) == []

    # restoring over the original folder is refused, and changes nothing there
    keys_before = _files(data / "keys")
    refused = _khabuan(["restore", str(archive)], data)
    assert refused.returncode != 0
    assert "already holds" in refused.stderr, refused.stderr
    assert "FORCE=1" in refused.stderr
    assert _files(data / "keys") == keys_before

    # a tampered archive is refused before anything is written
    tampered = folder / "tampered.tar.gz"
    _tamper(archive, tampered)
    corrupt = _khabuan(["restore", str(tampered)], folder / "refused")
    assert corrupt.returncode != 0
    assert "checksum mismatch for database.dump" in corrupt.stderr, corrupt.stderr
    assert "Traceback" not in corrupt.stderr
    assert not (folder / "refused").exists()
    garbage = folder / "garbage.tar.gz"
    garbage.write_bytes(gzip.compress(b"not a tar file"))
    not_an_archive = _khabuan(["restore", str(garbage)], folder / "refused")
    assert not_an_archive.returncode != 0
    assert "corrupt" in not_an_archive.stderr, not_an_archive.stderr
    assert "Traceback" not in not_an_archive.stderr
    assert not (folder / "refused").exists()

    # restore into a new folder: exactly the rows of the backup, before anything else touches them
    done = _khabuan(["restore", str(archive)], restored)
    assert done.returncode == 0, done.stderr
    with temporary_postgres(restored, "test-postgres.log") as restored_url:
        exact = asyncio.run(_rows(restored_url))
    assert exact == before
    assert sum(len(rows) for name, rows in exact.items() if not name.startswith('"gateway"')) >= 5
    assert _files(restored / "keys") == _files(data / "keys")
    assert _files(restored / "secrets") == _files(data / "secrets")
    assert _files(restored / "files") == _files(data / "files")
    secret_paths = [restored / "keys", restored / "secrets", restored / "files"]
    for path in [*secret_paths, *(p for top in secret_paths for p in top.rglob("*"))]:
        assert (path.stat().st_mode & 0o777) == (0o700 if path.is_dir() else 0o600), path
    if os.geteuid() == 0:
        assert (restored / "postgres").owner() == "embedded_postgres"

    # a stack on the restored folder: the same users, and the token issued before the backup still works
    again = start_stack(restored)
    try:
        live = asyncio.run(_rows(again.state["database_url"]))
        restored_balances = _balances(again.gateway_url)
        me = httpx.get(f"{again.gateway_url}/v1/me", headers=bearer(token), timeout=30)
        created = httpx.post(
            f"{again.gateway_url}/v1/funds",
            json={"name_th": "กองทุนหลังกู้คืน", "kind": "pooled_province", "area_code": "93"},
            headers=bearer(token),
            timeout=30,
        )
    finally:
        assert again.stop(signal.SIGINT) == 0
    assert _without(live, SEEDED_COLUMNS) == _without(before, SEEDED_COLUMNS)
    assert restored_balances == balances, "every fund's balance, reserved and available amounts come back"
    assert (123_456, 0, 123_456) in balances.values()
    assert me.status_code == 200, me.text
    assert me.json()["username"] == "demo-provincial-93"
    assert created.status_code == 201, created.text
    assert describe(processes_of(restored)) == []
