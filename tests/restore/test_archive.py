"""`aia backup` / `aia restore` on a data dir without a server: what the archive holds,
and each way a restore refuses (a server holds the dir, data already there, an archive
that is not whole or not ours)."""

from __future__ import annotations

import io
import json
import sqlite3
import tarfile
from pathlib import Path

import pytest

from shared.adapters.local.backup import (
    MANIFEST,
    CorruptBackup,
    DataDirInUse,
    ServerLock,
    backup,
    restore,
)


def _data_dir(root: Path) -> Path:
    data = root / "data"
    data.mkdir()
    with sqlite3.connect(data / "aia.sqlite3") as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE balances (owner TEXT PRIMARY KEY, minor INTEGER)")
        db.execute("INSERT INTO balances VALUES ('ada', 964474500)")
    (data / "outbox").mkdir()
    (data / "outbox" / "welcome.eml").write_text("Subject: Welcome\n\nhello")
    (data / "jwt-signing-keys.json").write_text("{}")
    return data


def _rewrite(archive: Path, change: dict[str, bytes | None]) -> None:
    """The archive with some members replaced (bytes) or dropped (None)."""
    with tarfile.open(archive, "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore[union-attr]
    for name, body in change.items():
        if body is None:
            members.pop(name, None)
        else:
            members[name] = body
    with tarfile.open(archive, "w:gz") as tar:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))


def test_the_archive_lists_every_file_with_its_checksum_and_restores_them(
    tmp_path: Path,
) -> None:
    data = _data_dir(tmp_path)
    archive = tmp_path / "b.tar.gz"
    manifest = backup(data, archive)
    assert manifest.format == 1 and manifest.created
    assert {f.path for f in manifest.files} == {
        "aia.sqlite3",
        "jwt-signing-keys.json",
        "outbox/welcome.eml",
    }
    assert all(len(f.sha256) == 64 for f in manifest.files)
    target = tmp_path / "restored"
    restore(archive, target)
    with sqlite3.connect(target / "aia.sqlite3") as db:
        assert db.execute("SELECT minor FROM balances").fetchall() == [(964474500,)]
    assert (target / "outbox" / "welcome.eml").read_text().endswith("hello")


def test_restore_refuses_while_a_server_holds_the_data_dir(tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    archive = tmp_path / "b.tar.gz"
    backup(data, archive)
    with ServerLock(data), pytest.raises(DataDirInUse):
        restore(archive, data, replace=True)
    # let go: the same restore goes through, the old contents moved aside, not deleted
    restore(archive, data, replace=True)
    [aside] = tmp_path.glob("data.replaced-*")
    assert (aside / "aia.sqlite3").exists()


def test_restore_refuses_a_data_dir_that_holds_data(tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    archive = tmp_path / "b.tar.gz"
    backup(data, archive)
    with pytest.raises(FileExistsError):
        restore(archive, data)


@pytest.mark.parametrize(
    "damage",
    ["a byte changed", "a file missing", "a file added", "no manifest", "truncated", "not sqlite"],
)
def test_restore_refuses_a_corrupt_archive_and_leaves_the_dir_alone(
    tmp_path: Path, damage: str
) -> None:
    data = _data_dir(tmp_path)
    archive = tmp_path / "b.tar.gz"
    backup(data, archive)
    if damage == "a byte changed":
        _rewrite(archive, {"outbox/welcome.eml": b"Subject: Welcome\n\nhellO"})
    elif damage == "a file missing":
        _rewrite(archive, {"jwt-signing-keys.json": None})
    elif damage == "a file added":
        _rewrite(archive, {"stray.txt": b"x"})
    elif damage == "no manifest":
        _rewrite(archive, {MANIFEST: None})
    elif damage == "truncated":
        archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    else:  # the checksums agree, but the database is not one
        with tarfile.open(archive, "r:gz") as tar:
            raw = tar.extractfile(MANIFEST).read()  # type: ignore[union-attr]
        manifest = json.loads(raw)
        import hashlib

        junk = b"not a database" * 100
        for f in manifest["files"]:
            if f["path"] == "aia.sqlite3":
                f.update(bytes=len(junk), sha256=hashlib.sha256(junk).hexdigest())
        _rewrite(archive, {MANIFEST: json.dumps(manifest).encode(), "aia.sqlite3": junk})
    target = tmp_path / "restored"
    with pytest.raises(CorruptBackup):
        restore(archive, target)
    assert [p.name for p in target.iterdir()] == ["serve.lock"]


def test_a_backup_taken_during_writes_is_one_point_across_the_files(tmp_path: Path) -> None:
    """A writer commits row n to a.sqlite3, then row n to b.sqlite3, without pause. Any
    single moment has b <= a <= b + 1 rows; files copied one after the other without
    holding the writers could show b > a (b copied later, after more writes)."""
    import threading
    import time

    data = tmp_path / "data"
    data.mkdir()
    for name in ("a", "b"):
        with sqlite3.connect(data / f"{name}.sqlite3") as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE n (i INTEGER PRIMARY KEY, pad BLOB)")
    stop = threading.Event()

    def write() -> None:
        a = sqlite3.connect(data / "a.sqlite3", timeout=30, isolation_level=None)
        b = sqlite3.connect(data / "b.sqlite3", timeout=30, isolation_level=None)
        i = 0
        while not stop.is_set():
            i += 1
            for db in (a, b):
                db.execute("INSERT INTO n VALUES (?, randomblob(100))", (i,))
        a.close()
        b.close()

    def written() -> int:
        with sqlite3.connect(data / "b.sqlite3") as db:
            return int(db.execute("SELECT count(*) FROM n").fetchone()[0])

    writer = threading.Thread(target=write)
    writer.start()
    try:
        counts = []
        for attempt in range(6):
            start = written()
            while written() < start + 20:  # the writer is under way (it waits out each backup)
                time.sleep(0.005)
            archive = tmp_path / f"b{attempt}.tar.gz"
            backup(data, archive)
            target = tmp_path / f"r{attempt}"
            restore(archive, target)
            a, b = (
                sqlite3.connect(target / f"{n}.sqlite3")
                .execute("SELECT count(*) FROM n")
                .fetchone()[0]
                for n in ("a", "b")
            )
            counts.append((a, b))
    finally:
        stop.set()
        writer.join()
    assert counts[-1][0] > counts[0][0] > 0, "the writer was writing during the backups"
    assert all(b <= a <= b + 1 for a, b in counts), counts
