"""The restore drill (tests/restore/drill.py): activity on a real `aia serve`, `aia backup`
while it serves, the data dir destroyed, `aia restore`, a new server: every balance,
ledger line, simulation with its metrics, email preference, delivery record and outbox
mail is back, exactly as at the backup, and nothing written after the backup is. The
times go to bench-results/restore.json from `nox -s bench` (tests/bench/bench_restore.py);
this test asserts correctness only."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from tests.restore.drill import run_drill


def test_backup_while_serving_then_destroy_and_restore_brings_everything_back(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    result = run_drill(tmp_path)
    # reported (junit XML, and printed with -s), not asserted: bench-results/restore.json
    for name in ("backup_seconds", "restore_seconds", "restart_seconds"):
        record_property(name, round(getattr(result, name), 3))
    print(
        f"restore drill: backup {result.backup_seconds:.2f} s, restore "
        f"{result.restore_seconds:.2f} s, restart {result.restart_seconds:.2f} s"
    )
    before, after = result.before, result.after
    # the drill wrote what it claims: otherwise equal snapshots would prove nothing
    ada = before["users"]["ada"]
    assert Decimal(ada["wallet"]["staked"]["AIA"]) == 30
    assert [s["status"] for s in ada["simulations"]] == ["completed"]
    assert len(next(iter(ada["metrics"].values()))["records"]) == 3
    assert Decimal(before["users"]["cy"]["wallet"]["balances"]["AIA_GOV"]) == 2
    assert before["users"]["cy"]["email_preferences"]["categories"]["economics"] is False
    assert all(before["users"][name]["mail"] for name in before["users"])
    assert before["email_stats"]["sent"] > 0

    for name in before["users"]:
        for part in before["users"][name]:
            assert after["users"][name][part] == before["users"][name][part], (name, part)
    for part in ("supply", "reconciliation", "email_stats", "suppressions"):
        assert after[part] == before[part], part
    # the transfer made after the backup is not in the restored books
    history = [line["entry_id"] for line in after["users"]["ada"]["history"]["entries"]]
    assert result.late_transfer_id not in history
