"""The restore drill timed (tests/restore/drill.py): `aia backup` while the server runs,
`aia restore` into the destroyed data dir, and the restart until /health answers.
The product plan promises recovery within an hour; this is the embedded store's share
(the cloud's is docs/runbooks/restore.md). `equal` says the drill's comparison held."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any


def run(quick: bool = False) -> dict[str, Any]:
    from tests.restore.drill import run_drill

    with tempfile.TemporaryDirectory(prefix="aia-restore-bench-") as work:
        result = run_drill(Path(work))
    return {
        "backup_seconds": round(result.backup_seconds, 3),
        "restore_seconds": round(result.restore_seconds, 3),
        "restart_seconds": round(result.restart_seconds, 3),
        "recovery_seconds": round(result.restore_seconds + result.restart_seconds, 3),
        "target_seconds": 3600,
        "archive_bytes": result.archive_bytes,
        "files_restored": result.files,
        "equal": result.before == result.after,
    }
