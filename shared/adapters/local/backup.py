"""Backup and restore of the embedded store (`make run`'s AIA_DATA_DIR) as one archive.

The data dir holds SQLite files (SQL database, documents, event bus, task queue) and a
few plain files (signing keys, the mail outbox). A backup taken while the server runs is
one consistent point across all of them: it takes every SQLite file's write lock (in a
fixed order, giving all back and retrying on contention, so it cannot deadlock with the
server), copies each file with SQLite's online backup API and the plain files while the
writers wait, then lets go. Readers never wait (WAL). The archive is a tar.gz with
`manifest.json` (format, created, each file's size and SHA-256) beside the files.

Restore refuses while a server holds the data dir (`ServerLock`, taken by `aia serve`),
and refuses an archive whose manifest, checksums or SQLite integrity do not hold."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO

FORMAT = 1
MANIFEST = "manifest.json"
LOCK_FILE = "serve.lock"
_SQLITE_SUFFIX = ".sqlite3"
# SQLite's own side files: their content is inside the online copy of the main file
_SKIPPED_SUFFIXES = ("-wal", "-shm", "-journal")
_LOCK_WAIT_SECONDS = 2.0
_LOCK_ATTEMPTS = 15


class DataDirInUse(Exception):
    """A server holds the data dir."""


class CorruptBackup(Exception):
    """The archive is not one `aia backup` wrote, or it changed since."""


class BusyDataDir(Exception):
    """The server's writers kept the SQLite files locked through every attempt."""


@dataclass(frozen=True)
class BackedUpFile:
    path: str
    bytes: int
    sha256: str


@dataclass(frozen=True)
class BackupManifest:
    format: int
    created: str
    software: str
    files: tuple[BackedUpFile, ...]

    def to_json(self) -> bytes:
        body = {
            "format": self.format,
            "created": self.created,
            "software": self.software,
            "files": [vars(f) for f in self.files],
        }
        return json.dumps(body, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> BackupManifest:
        try:
            body = json.loads(raw)
            files = tuple(
                BackedUpFile(path=str(f["path"]), bytes=int(f["bytes"]), sha256=str(f["sha256"]))
                for f in body["files"]
            )
            return cls(
                format=int(body["format"]),
                created=str(body["created"]),
                software=str(body["software"]),
                files=files,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise CorruptBackup(f"the manifest is unreadable: {exc}") from None


class ServerLock:
    """An exclusive lock on `data_dir/serve.lock` for as long as a server (or a restore)
    uses the data dir. The kernel drops it when the process ends, even on a crash."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_FILE
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise DataDirInUse(
                f"{self.path.parent} is in use by process {holder} (`aia serve`?): stop it first"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> ServerLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _is_backed_up(path: Path) -> bool:
    name = path.name
    return path.is_file() and name != LOCK_FILE and not name.endswith(_SKIPPED_SUFFIXES)


def _sqlite_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.glob(f"*{_SQLITE_SUFFIX}") if p.is_file())


@contextlib.contextmanager
def _writers_paused(files: list[Path]) -> Iterator[None]:
    """Hold every file's write lock at once. One attempt waits a little for each lock;
    if any is not free it gives every lock back (a server transaction may need two files)
    and tries again."""
    for _attempt in range(_LOCK_ATTEMPTS):
        held: list[sqlite3.Connection] = []
        try:
            for path in files:
                conn = sqlite3.connect(path, timeout=_LOCK_WAIT_SECONDS, isolation_level=None)
                held.append(conn)
                conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            for conn in held:
                conn.close()
            time.sleep(0.05)
            continue
        try:
            yield
        finally:
            for conn in held:
                conn.rollback()
                conn.close()
        return
    raise BusyDataDir(f"the SQLite files stayed locked through {_LOCK_ATTEMPTS} attempts")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _software_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"aia-system {version('aia-system')}"
    except PackageNotFoundError:
        return "aia-system"


def backup(data_dir: Path, archive: Path) -> BackupManifest:
    """Write `archive` (tar.gz) from `data_dir`, which a server may be using."""
    if not data_dir.is_dir():
        raise FileNotFoundError(f"no data dir at {data_dir}")
    databases = _sqlite_files(data_dir)
    with tempfile.TemporaryDirectory(prefix="aia-backup-") as scratch:
        staged = Path(scratch)
        with _writers_paused(databases):
            for path in databases:
                source = sqlite3.connect(path)
                target = sqlite3.connect(staged / path.name)
                try:
                    source.backup(target)
                finally:
                    target.close()
                    source.close()
            for path in sorted(data_dir.rglob("*")):
                relative = path.relative_to(data_dir)
                if path in databases or not _is_backed_up(path):
                    continue
                (staged / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, staged / relative)
        files = tuple(
            BackedUpFile(
                path=p.relative_to(staged).as_posix(), bytes=p.stat().st_size, sha256=_sha256(p)
            )
            for p in sorted(staged.rglob("*"))
            if p.is_file()
        )
        manifest = BackupManifest(
            format=FORMAT,
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            software=_software_version(),
            files=files,
        )
        archive.parent.mkdir(parents=True, exist_ok=True)
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            raw = manifest.to_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(raw)
            info.mtime = int(time.time())
            tar.addfile(info, io.BytesIO(raw))
            for entry in files:
                tar.add(staged / entry.path, arcname=entry.path, recursive=False)
        partial.replace(archive)  # a crash mid-write never leaves a half archive named
    return manifest


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts


def _unpack_verified(archive: Path, into: Path) -> BackupManifest:
    """Extract and check everything before anything touches the data dir."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            names = [m.name for m in members]
            if MANIFEST not in names:
                raise CorruptBackup("no manifest.json: not an archive `aia backup` wrote")
            handle = tar.extractfile(MANIFEST)
            if handle is None:
                raise CorruptBackup("manifest.json is not a file")
            manifest = BackupManifest.from_json(handle.read())
            if manifest.format != FORMAT:
                raise CorruptBackup(f"format {manifest.format}; this version reads {FORMAT}")
            listed = {f.path for f in manifest.files}
            present = {m.name for m in members if m.isfile() and m.name != MANIFEST}
            if listed != present or not all(_safe_name(n) for n in listed):
                raise CorruptBackup(
                    f"files differ from the manifest: missing {sorted(listed - present)}, "
                    f"unlisted {sorted(present - listed)}"
                )
            for member in members:
                if member.name in listed:
                    tar.extract(member, into, filter="data")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise CorruptBackup(f"the archive cannot be read: {exc}") from None
    for entry in manifest.files:
        path = into / entry.path
        if path.stat().st_size != entry.bytes or _sha256(path) != entry.sha256:
            raise CorruptBackup(f"{entry.path}: its checksum differs from the manifest")
        if entry.path.endswith(_SQLITE_SUFFIX):
            conn = sqlite3.connect(path)
            try:
                verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            except sqlite3.DatabaseError as exc:
                verdict = str(exc)
            finally:
                conn.close()
            if verdict != "ok":
                raise CorruptBackup(f"{entry.path}: SQLite integrity check: {verdict}")
    return manifest


def restore(archive: Path, data_dir: Path, *, replace: bool = False) -> BackupManifest:
    """Fill `data_dir` from `archive`. Refuses while a server holds the data dir, when the
    archive does not check out, and when the data dir has data (unless `replace`: the old
    contents move aside to `<data_dir>.replaced-<time>`, nothing is deleted)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with ServerLock(data_dir):
        existing = [p for p in data_dir.iterdir() if p.name != LOCK_FILE]
        if existing and not replace:
            raise FileExistsError(
                f"{data_dir} holds data ({len(existing)} entries): "
                "restore into an empty dir, or pass --replace to move it aside"
            )
        with tempfile.TemporaryDirectory(prefix=".restoring-", dir=data_dir.parent) as scratch:
            staged = Path(scratch)
            manifest = _unpack_verified(archive, staged)
            if existing:
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
                aside = data_dir.with_name(f"{data_dir.name}.replaced-{stamp}")
                aside.mkdir()
                for path in existing:
                    path.rename(aside / path.name)
            for path in staged.iterdir():
                path.rename(data_dir / path.name)
    return manifest
