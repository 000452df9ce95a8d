"""`python -m khabuan backup | restore`: one archive holding the whole Khabuan state.

An archive (`.tar.gz`) holds:

- `manifest.json`: format version, creation time, database server version and schemas, and every other
  member with its size and sha256;
- `database.dump`: `pg_dump --format=custom` of the whole Khabuan database (every schema, one snapshot);
- `keys/…`, `secrets/…` and `files/…`: the data folder's `keys/` and `secrets/` folders and the local file
  store (evidence files, `files/`), wholesale. By convention every secret Khabuan keeps on disk lives under
  one of them (the gateway's token signing key is `keys/jwt-signing-key.pem`), so secrets added later are
  backed up without touching this module. An S3 file store is backed up by its own means.

Backup reads the database of a running stack (its `run/stack.json`), of `DATABASE_URL`, or — when nothing
runs — starts the data folder's embedded PostgreSQL on a free port for the time of the dump. Restore
verifies every checksum before it writes anything, then initialises a fresh embedded PostgreSQL (or uses
an empty external `DATABASE_URL`), restores the dump and puts the keys back with owner-only permissions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
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
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any
from urllib.parse import unquote, urlsplit, urlunsplit

from khabuan import embedded, prctl
from services.common import db

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
# everything secret or personal in the data folder lives under these (`files/`: the local file store's
# evidence photos, minutes and receipts, kept as privately as the keys)
SECRET_FOLDERS = ("keys", "secrets", "files")
_CHUNK = 1 << 20


class BackupError(RuntimeError):
    """Backup or restore cannot go on; the message says why and what to do."""


# -- shared helpers ------------------------------------------------------------------------------------
def libpq_url(database_url: str) -> str:
    """The URL as pg_dump/psql understand it (DATABASE_URL may name a SQLAlchemy driver)."""
    try:
        return db.libpq_url(database_url)
    except ValueError as exc:
        raise BackupError(str(exc)) from None


def _tool(name: str) -> str:
    return str(embedded.postgres_bin() / name)


def _without_password(argv: list[str]) -> tuple[list[str], dict[str, str]]:
    """Move a URL's password into PGPASSWORD so it never shows in the process list."""
    env = dict(os.environ)
    cleaned = []
    for arg in argv:
        parts = urlsplit(arg) if arg.startswith("postgresql://") else None
        if parts is not None and parts.password:
            env["PGPASSWORD"] = unquote(parts.password)
            host = parts.netloc.rpartition("@")[2]
            user = parts.netloc.rpartition("@")[0].partition(":")[0]
            arg = urlunsplit(parts._replace(netloc=f"{user}@{host}"))
        cleaned.append(arg)
    return cleaned, env


def _run(argv: list[str], what: str) -> str:
    argv, env = _without_password(argv)
    result = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise BackupError(f"{what} failed (exit {result.returncode}): {detail}")
    return result.stdout


def _psql(url: str, sql: str) -> str:
    return _run(
        [_tool("psql"), "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-tAc", sql, "--dbname", url],
        "psql",
    ).strip()


def server_version(url: str) -> str:
    return _psql(url, "SHOW server_version")


def user_schemas(url: str) -> list[str]:
    """Schemas holding Khabuan's data: everything but PostgreSQL's own."""
    listed = _psql(
        url,
        "SELECT nspname FROM pg_namespace WHERE nspname <> 'information_schema' "
        "AND nspname NOT LIKE 'pg\\_%' ORDER BY nspname",
    )
    return [line for line in listed.splitlines() if line]


def database_is_empty(url: str) -> bool:
    """No schema but public, and nothing but extensions' objects in public."""
    found = _psql(
        url,
        "SELECT (SELECT count(*) FROM pg_namespace WHERE nspname NOT IN ('public', 'information_schema') "
        "AND nspname NOT LIKE 'pg\\_%') + (SELECT count(*) FROM pg_class c JOIN pg_namespace n "
        "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d "
        "WHERE d.objid = c.oid AND d.deptype = 'e'))",
    )
    return found == "0"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def _data_dir_lock(data_dir: Path) -> Iterator[bool]:
    """Hold the supervisor's lock on the data folder (yields True), or yield False when a stack holds it.

    Holding it keeps `make run` from starting on the folder while we use its PostgreSQL."""
    path = data_dir / "run" / "supervisor.lock"
    if not data_dir.exists():
        yield True
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _stack_is_running(data_dir: Path) -> bool:
    path = data_dir / "run" / "supervisor.lock"
    if not path.exists():
        return False
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


@contextlib.contextmanager
def temporary_postgres(data_dir: Path, log_name: str = "backup-postgres.log") -> Iterator[str]:
    """Run the data folder's embedded PostgreSQL on a free loopback port; yields its Khabuan URL."""
    pgdata = data_dir / "postgres"
    if not (pgdata / "PG_VERSION").exists():
        raise BackupError(f"no embedded PostgreSQL in {pgdata}")
    run_as = embedded.postgres_run_as(pgdata)
    port = embedded.free_port()
    log_path = data_dir / "logs" / log_name
    log_path.parent.mkdir(parents=True, exist_ok=True)
    become = run_as.become if run_as else None

    def prepare() -> None:
        if become:
            become()
        prctl.die_with_parent(int(signal.SIGINT))  # never outlive us

    with log_path.open("ab") as output:
        process = subprocess.Popen(
            embedded.postgres_argv(pgdata, port),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=output,
            cwd=pgdata,
            start_new_session=True,
            preexec_fn=prepare,
        )
    try:
        deadline = time.monotonic() + 30
        while not embedded.pg_isready(port):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-10:])
                raise BackupError(f"the embedded PostgreSQL in {pgdata} did not start; {log_path}:\n{tail}")
            time.sleep(0.1)
        embedded.ensure_database(port)
        yield embedded.postgres_url(port)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # fast shutdown: a clean checkpoint
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# -- backup --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    url: str
    mode: str  # "running stack" | "external" | "embedded (started for the backup)"


def _running_stack_url(data_dir: Path) -> str:
    state_path = data_dir / "run" / "stack.json"
    try:
        state: dict[str, Any] = json.loads(state_path.read_text())
    except (FileNotFoundError, ValueError):
        raise BackupError(
            f"a Khabuan stack holds {data_dir} but {state_path} is missing: it is still starting; "
            "try again in a moment"
        ) from None
    url = str(state.get("database_url") or "")
    if not url:
        raise BackupError(f"{state_path} names no database_url: the stack is still starting; try again")
    return url


def default_archive_path(now: dt.datetime | None = None) -> Path:
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    return Path("backups") / f"khabuan-{stamp}.tar.gz"


def backup(data_dir: Path, archive: Path | None = None, *, database_url: str = "") -> Path:
    """Write one archive of the database and the data folder's secrets; returns its path."""
    data_dir = data_dir.resolve()
    archive = (archive or default_archive_path()).resolve()
    if archive.exists():
        raise BackupError(f"{archive} already exists: choose another ARCHIVE")
    archive.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.TemporaryDirectory(prefix=".khabuan-backup-", dir=archive.parent) as work:
        staging = Path(work)
        if database_url:
            source_ctx: contextlib.AbstractContextManager[Source] = contextlib.nullcontext(
                Source(database_url, "external")
            )
        else:
            source_ctx = _embedded_source(data_dir)
        with source_ctx as source:
            url = libpq_url(source.url)
            version = server_version(url)
            schemas = user_schemas(url)
            _run(
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    "--compress=0",  # the archive is gzipped as a whole
                    "--file",
                    str(staging / DUMP),
                    "--dbname",
                    url,
                ],
                "pg_dump",
            )
            # copied while the database source is held, so a stack cannot start and change them meanwhile
            secrets = _copy_secrets(data_dir, staging)
        files = [_file_entry(staging, DUMP)] + [_file_entry(staging, name) for name in secrets]
        folders = [name for name in SECRET_FOLDERS if (staging / name).is_dir()]
        manifest: dict[str, Any] = {
            "format": "khabuan-backup",
            "format_version": FORMAT_VERSION,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "source": {"data_dir": str(data_dir), "database": source.mode},
            "database": {
                "server_version": version,
                "dump_format": "pg_dump custom",
                "pg_dump_version": _run([_tool("pg_dump"), "--version"], "pg_dump --version").strip(),
                "schemas": schemas,
            },
            "secret_folders": folders,
            "files": files,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for name in (MANIFEST, DUMP):
            (staging / name).chmod(0o600)
        partial = staging / "archive.tar.gz"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(staging / MANIFEST, arcname=MANIFEST, recursive=False)
            for folder in folders:
                for path in [staging / folder, *sorted((staging / folder).rglob("*"))]:
                    tar.add(path, arcname=path.relative_to(staging).as_posix(), recursive=False)
            tar.add(staging / DUMP, arcname=DUMP, recursive=False)
        try:
            os.link(partial, archive)  # never replaces a file that appeared meanwhile
        except FileExistsError:
            raise BackupError(f"{archive} already exists: choose another ARCHIVE") from None
    return archive


@contextlib.contextmanager
def _embedded_source(data_dir: Path) -> Iterator[Source]:
    with _data_dir_lock(data_dir) as free:
        if not free:
            yield Source(_running_stack_url(data_dir), "running stack")
            return
        if not (data_dir / "postgres" / "PG_VERSION").exists():
            raise BackupError(
                f"{data_dir} holds no Khabuan database (no postgres/ folder): set KHABUAN_DATA_DIR to the "
                "data folder of `make run`, or DATABASE_URL for an external PostgreSQL"
            )
        with temporary_postgres(data_dir) as url:
            yield Source(url, "embedded (started for the backup)")


def _copy_secrets(data_dir: Path, staging: Path) -> list[str]:
    """Copy keys/, secrets/ and files/ (regular files and folders only) into staging; returns the files'
    names."""
    names = []
    for folder in SECRET_FOLDERS:
        root = data_dir / folder
        if not root.is_dir():
            continue
        (staging / folder).mkdir(mode=0o700)
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(data_dir)
            if path.is_symlink():
                raise BackupError(f"{path} is a symbolic link: secrets must be regular files")
            if path.is_dir():
                (staging / relative).mkdir(mode=0o700, exist_ok=True)
            elif path.is_file():
                shutil.copyfile(path, staging / relative)
                (staging / relative).chmod(0o600)
                names.append(relative.as_posix())
            else:
                raise BackupError(f"{path} is not a regular file")
    return names


def _file_entry(staging: Path, name: str) -> dict[str, Any]:
    path = staging / name
    return {"path": name, "size": path.stat().st_size, "sha256": _sha256(path)}


# -- restore -------------------------------------------------------------------------------------------
def read_manifest(archive: Path) -> dict[str, Any]:
    """Check the whole archive against its manifest without writing anything; returns the manifest."""
    if not archive.is_file():
        raise BackupError(f"no archive at {archive}")
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError(f"{archive} is not a Khabuan backup: it does not start with {MANIFEST}")
            manifest = _parse_manifest(_read_member(tar, first).read())
            expected = {entry["path"]: entry for entry in manifest["files"]}
            seen: set[str] = set()
            for member in tar:  # iterating starts again from the first member
                if member.offset == first.offset:
                    continue
                name = _safe_name(member)
                if member.isdir():
                    if name.split("/")[0] not in manifest["secret_folders"]:
                        raise BackupError(f"{archive}: unexpected folder {name}")
                    continue
                entry = expected.get(name)
                if entry is None or name in seen:
                    raise BackupError(f"{archive} is corrupt: {name} is not (or twice) in its manifest")
                seen.add(name)
                _check_member(tar, member, entry, hashlib.sha256(), None)
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise BackupError(f"{archive} is corrupt or not a Khabuan backup: {exc}") from exc
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"{archive} is corrupt: missing {', '.join(missing)}")
    return manifest


def _parse_manifest(raw: bytes) -> dict[str, Any]:
    manifest = json.loads(raw)
    if not isinstance(manifest, dict) or manifest.get("format") != "khabuan-backup":
        raise BackupError("manifest.json is not a Khabuan backup manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"backup format version {manifest.get('format_version')} is not supported "
            f"(this Khabuan reads version {FORMAT_VERSION})"
        )
    files = manifest.get("files")
    folders = manifest.get("secret_folders")
    if not isinstance(files, list) or not isinstance(folders, list):
        raise BackupError("manifest.json lacks files or secret_folders")
    if any(folder not in SECRET_FOLDERS for folder in folders):
        raise BackupError(f"manifest.json names unknown folders: {folders}")
    for entry in files:
        if not isinstance(entry, dict) or not {"path", "size", "sha256"} <= set(entry):
            raise BackupError("manifest.json has a malformed file entry")
        path = str(entry["path"])
        if path != DUMP and path.split("/")[0] not in folders:
            raise BackupError(f"manifest.json lists an unexpected file {path}")
    if DUMP not in {entry["path"] for entry in files}:
        raise BackupError(f"manifest.json lists no {DUMP}")
    return manifest


def _safe_name(member: tarfile.TarInfo) -> str:
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts or not name.parts:
        raise BackupError(f"unsafe path in archive: {member.name}")
    if not (member.isfile() or member.isdir()):
        raise BackupError(f"unexpected entry in archive (not a file or folder): {member.name}")
    return name.as_posix()


def _read_member(tar: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    handle = tar.extractfile(member)
    if handle is None:
        raise BackupError(f"cannot read {member.name}")
    return handle


def _check_member(
    tar: tarfile.TarFile,
    member: tarfile.TarInfo,
    entry: dict[str, Any],
    digest: Any,
    sink: io.BufferedWriter | None,
) -> None:
    handle = _read_member(tar, member)
    size = 0
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if sink is not None:
            sink.write(chunk)
    if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
        raise BackupError(f"checksum mismatch for {member.name}: the archive is corrupt or was modified")


def _holds_state(data_dir: Path, *, embedded_database: bool) -> list[str]:
    found = []
    if embedded_database and (data_dir / "postgres").is_dir() and any((data_dir / "postgres").iterdir()):
        found.append("a database (postgres/)")
    for folder in SECRET_FOLDERS:
        if (data_dir / folder).is_dir() and any((data_dir / folder).iterdir()):
            found.append(f"{folder}/")
    return found


def restore(archive: Path, data_dir: Path, *, database_url: str = "", force: bool = False) -> dict[str, Any]:
    """Bring `data_dir` (and DATABASE_URL's database, if given) back to the archive's state."""
    archive = archive.resolve()
    data_dir = data_dir.resolve()
    if _stack_is_running(data_dir):
        raise BackupError(f"a Khabuan stack is running on {data_dir}: stop it before restoring")
    held = _holds_state(data_dir, embedded_database=not database_url)
    if held and not force:
        raise BackupError(
            f"{data_dir} already holds {' and '.join(held)}: restore into a fresh data folder "
            "(KHABUAN_DATA_DIR), or set FORCE=1 to replace them"
        )
    url = libpq_url(database_url) if database_url else ""
    if url and not database_is_empty(url):
        raise BackupError(
            "the DATABASE_URL database is not empty: restore into a new, empty database "
            "(FORCE=1 does not clear an external database)"
        )
    manifest = read_manifest(archive)  # every checksum, before anything is written

    data_dir.mkdir(parents=True, exist_ok=True)
    with _data_dir_lock(data_dir) as free:
        if not free:
            raise BackupError(f"a Khabuan stack is running on {data_dir}: stop it before restoring")
        with tempfile.TemporaryDirectory(prefix=".restore-", dir=data_dir) as work:
            staging = Path(work)
            _extract(archive, manifest, staging)
            if force:  # with an external database, the folder's own postgres/ is not ours to remove
                for name in ("redis", *SECRET_FOLDERS, *(() if url else ("postgres",))):
                    shutil.rmtree(data_dir / name, ignore_errors=True)
            if url:
                _pg_restore(url, staging / DUMP)
            else:
                _restore_embedded(data_dir, staging / DUMP)
            for folder in manifest["secret_folders"]:
                _secure(staging / folder)
                (staging / folder).replace(data_dir / folder)
    return manifest


def _extract(archive: Path, manifest: dict[str, Any], staging: Path) -> None:
    """Extract into staging, checking every checksum again (the archive could change after the check)."""
    expected = {entry["path"]: entry for entry in manifest["files"]}
    with tarfile.open(archive, mode="r:gz") as tar:
        for member in tar:
            if member.name == MANIFEST:
                continue
            name = _safe_name(member)
            target = staging / name
            if member.isdir():
                target.mkdir(mode=0o700, parents=True, exist_ok=True)
                continue
            if name not in expected:
                raise BackupError(f"{archive} changed while restoring: {name} is not in its manifest")
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as sink:
                _check_member(tar, member, expected[name], hashlib.sha256(), sink)


def _secure(folder: Path) -> None:
    """Owner-only: 0700 folders, 0600 files."""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o700 if path.is_dir() else 0o600)


def _pg_restore(url: str, dump: Path) -> None:
    _run(
        [
            _tool("pg_restore"),
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",  # objects belong to the restoring role (the roles of the old server may not exist)
            "--no-privileges",
            "--dbname",
            url,
            str(dump),
        ],
        "pg_restore",
    )


def _restore_embedded(data_dir: Path, dump: Path) -> None:
    pgdata = data_dir / "postgres"
    try:
        run_as = embedded.postgres_run_as(pgdata)
        embedded.init_postgres(pgdata, run_as)
        with temporary_postgres(data_dir, "restore-postgres.log") as url:
            _pg_restore(url, dump)
    except BaseException:
        shutil.rmtree(pgdata, ignore_errors=True)  # leave no half-restored database behind
        raise


# -- command line --------------------------------------------------------------------------------------
def backup_command(data_dir: Path, archive: Path | None) -> int:
    try:
        written = backup(data_dir, archive, database_url=os.environ.get("DATABASE_URL", ""))
    except BackupError as exc:
        print(f"khabuan backup: {exc}", file=sys.stderr, flush=True)
        return 1
    print(f"backup written to {written}", flush=True)
    return 0


def restore_command(archive: Path, data_dir: Path, force: bool) -> int:
    try:
        manifest = restore(archive, data_dir, database_url=os.environ.get("DATABASE_URL", ""), force=force)
    except BackupError as exc:
        print(f"khabuan restore: {exc}", file=sys.stderr, flush=True)
        return 1
    target = "DATABASE_URL" if os.environ.get("DATABASE_URL") else str(data_dir.resolve())
    print(
        f"restored {archive} (created {manifest['created_at']}, schemas "
        f"{', '.join(manifest['database']['schemas'])}) into {target}",
        flush=True,
    )
    return 0
