"""Paid work as other features see it (`Features.paid_work`, the PaidWork port), on the
real ledger on SQLite and PostgreSQL: flat prices from settings, one charge and one
refund per job however often they are asked for, 402 without enough AIA."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from shared.adapters.local.clock import ManualClock
from shared.bootstrap import install_features
from shared.errors import PaymentRequired
from shared.ledger.postings import user_owner
from shared.money import Token
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.conftest import ROOT

AIA = 10**6  # minor units


@pytest.fixture
def priced(accounts_settings: Settings, clock: ManualClock) -> Iterator[LocalRuntime]:
    configured = accounts_settings.model_copy(update={"prices": {"venture_report": "5"}})
    runtime = LocalRuntime(configured, ROOT, clock=clock)
    yield runtime
    runtime.stop()
    install_features(None)


def _balance(runtime: LocalRuntime, user_id: str) -> int:
    return runtime.features.ledger.store.balance(user_owner(user_id), Token.AIA)


def _ids() -> tuple[str, str]:
    """A user and a job of this test alone (the PostgreSQL database is shared)."""
    return f"user-{uuid.uuid4().hex}", f"job-{uuid.uuid4().hex}"


def test_a_job_is_charged_and_refunded_once_each(priced: LocalRuntime) -> None:
    work, ledger = priced.features.paid_work, priced.features.ledger
    ada, job = _ids()
    ledger.mint(Token.AIA, 12 * AIA, f"grant:{ada}", actor="test", to_user=ada)
    assert work.price("venture_report") == 5 * AIA
    assert work.price("not_for_sale") == 0

    assert work.charge(ada, "venture_report", job) == 5 * AIA
    assert work.charge(ada, "venture_report", job) == 5 * AIA  # a retry: no second charge
    assert _balance(priced, ada) == 7 * AIA
    work.refund(ada, "venture_report", job, 5 * AIA)
    work.refund(ada, "venture_report", job, 5 * AIA)  # a replayed failure: once
    assert _balance(priced, ada) == 12 * AIA

    assert work.charge(ada, "simulation", job, amount=2 * AIA) == 2 * AIA
    assert work.charge(ada, "not_for_sale", job) == 0  # free: nothing posted
    assert _balance(priced, ada) == 10 * AIA


def test_not_enough_aia_is_payment_required_with_the_price_and_the_balance(
    priced: LocalRuntime,
) -> None:
    work = priced.features.paid_work
    bob, job = _ids()
    priced.features.ledger.mint(Token.AIA, 3 * AIA, f"grant:{bob}", actor="test", to_user=bob)
    with pytest.raises(PaymentRequired) as refused:
        work.charge(bob, "venture_report", job)
    assert refused.value.problem == "insufficient-funds"
    assert refused.value.detail == "you have 3 AIA; this venture report costs 5 AIA"
    assert refused.value.extra["available_minor"] == 3 * AIA
    assert _balance(priced, bob) == 3 * AIA  # nothing taken
