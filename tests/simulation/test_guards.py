"""Checks that fail on NaN and infinity: the stock-flow check, every tick's state, a run
through the API (failed, with its refund, not a 5xx) and `aia simulate` (one line).
Also: stored parameters accepted before the bounds were narrowed still read."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from shared.adapters.local.clock import ManualClock
from shared.bootstrap import install_features
from shared.cli import main
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from shared.simulation.guards import EconomyDiverged, check_finite
from shared.simulation.model import advance, rng_for
from shared.simulation.params import SimulationParams, stored_params
from shared.simulation.state import State, initial_state
from shared.simulation.stock_flow import Ledger
from tests.conftest import ROOT
from tests.support.api import ApiClient

NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize("bad", [NAN, INF, -INF])
def test_the_stock_flow_check_fails_on_a_non_finite_amount(bad: float) -> None:
    ledger = Ledger(opening=[1.0, -1.0, 0.0, 0.0, 0.0])
    ledger.transfer("wages", 1, 0.5, 0, 0.5)
    assert ledger.error([1.5, -1.5, 0.0, 0.0, 0.0]) < 1e-15  # balanced
    assert ledger.error([bad, -1.5, 0.0, 0.0, 0.0]) == math.inf  # max() would say 0.0
    ledger.record("interest", 2, bad)
    assert ledger.error([1.5, -1.5, 0.0, 0.0, 0.0]) == math.inf


def _poisoned(state: State, slot: int = 3) -> State:
    deposits = state.households.deposits.copy()
    deposits[slot] = NAN
    households = dataclasses.replace(state.households, deposits=deposits)
    return dataclasses.replace(state, households=households)


def test_a_month_that_turns_non_finite_raises_naming_what() -> None:
    params = SimulationParams(households=200, seed=1)
    state = _poisoned(initial_state(params))
    with pytest.raises(EconomyDiverged, match="month 1: households' deposits") as caught:
        advance(state, params, rng_for(params.seed, state.tick))
    assert caught.value.tick == 1 and math.isnan(caught.value.value)


def _closing_month() -> tuple[State, Any]:
    params = SimulationParams(households=200, seed=1)
    state = initial_state(params)
    return advance(state, params, rng_for(params.seed, state.tick))


@pytest.mark.parametrize(
    ("where", "field", "named"),
    [
        ("firms", "markup", "firms.markup (sum)"),
        ("macro", "bank_equity", "macro.bank_equity"),
        ("metrics", "consumption", "consumption"),
        ("metrics", "price_change_share", "price_change_share"),
    ],
)
@pytest.mark.parametrize("bad", [NAN, INF])
def test_the_guard_names_the_first_quantity_that_is_not_finite(
    where: str, field: str, named: str, bad: float
) -> None:
    """The guard passes a month on one sum; a failing one is searched for its name."""
    state, metrics = _closing_month()
    firms, macro = state.firms, state.macro
    if where == "firms":
        values = getattr(firms, field).copy()
        values[-1] = bad
        firms = dataclasses.replace(firms, **{field: values})
    elif where == "macro":
        macro = dataclasses.replace(macro, **{field: bad})
    else:
        metrics = dataclasses.replace(metrics, **{field: bad})
    with pytest.raises(EconomyDiverged) as caught:
        check_finite(7, [("households' deposits (sum)", 1.0)], firms, macro, metrics)
    assert caught.value.quantity == named and caught.value.tick == 7


def test_the_guard_passes_large_finite_figures_and_undefined_ginis() -> None:
    """Finite figures whose sum overflows, and a NaN Gini (households net debtors), pass."""
    state, metrics = _closing_month()
    macro = dataclasses.replace(state.macro, government=1.5e308, treasury_fiat=1.5e308)
    metrics = dataclasses.replace(metrics, gini_wealth=NAN)
    totals = [("households' deposits (sum)", 1.7e308)]
    check_finite(1, totals, state.firms, macro, metrics)


@pytest.fixture
def priced_runtime(settings: Settings, clock: ManualClock) -> Iterator[LocalRuntime]:
    runtime = LocalRuntime(
        settings.model_copy(update={"prices": {"simulation": "2"}}), ROOT, clock=clock
    )
    yield runtime
    runtime.stop()
    install_features(None)


def test_a_run_whose_economy_diverges_fails_with_its_refund(
    priced_runtime: LocalRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real model and guard, fed a state with one NaN (no valid policy diverges
    within the narrowed bounds): the run fails at once, the charge comes back."""
    import shared.simulation.handlers as handlers

    def poisoned_advance(state: State, params: SimulationParams, rng: Any, **kw: Any) -> Any:
        return advance(_poisoned(state) if state.tick == 1 else state, params, rng, **kw)

    monkeypatch.setattr(handlers, "advance", poisoned_advance)
    api = ApiClient(priced_runtime.features)
    ada, admin = api.user("ada"), api.user("root", admin=True)
    admin.post("/v1/admin/mint", json={"user_id": ada.user_id, "token": "AIA", "amount": "10"})
    body = {"households": 200, "ticks": 3}
    started = ada.post("/v1/simulations", json=body)
    assert started.status_code == 202
    assert ada.get("/v1/wallet").json["balances"]["AIA"] == "8.000000"  # charged
    priced_runtime.dispatcher.drain()
    ada.log_in_again()
    run = ada.get(f"/v1/simulations/{started.json['id']}")
    assert run.status_code == 200 and run.json["status"] == "failed"
    assert ada.get("/v1/wallet").json["balances"]["AIA"] == "10.000000"  # refunded
    metrics = ada.get(f"/v1/simulations/{started.json['id']}/metrics")
    assert metrics.status_code == 200  # no 5xx, and no NaN figures stored
    assert all(
        math.isfinite(v)
        for m in metrics.json["records"]
        for v in m.values()
        if isinstance(v, float)
    )


def test_aia_simulate_reports_a_diverged_run_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shared.simulation.cli as cli

    def diverging(state: State, params: SimulationParams, rng: Any, **kw: Any) -> Any:
        return advance(_poisoned(state), params, rng, **kw)

    monkeypatch.setattr(cli, "advance", diverging)
    out = tmp_path / "out"
    assert main(["simulate", "--households", "200", "--ticks", "3", "--out", str(out)]) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("aia simulate: the economy diverged in month 1")
    assert not (out / "metrics.csv").exists()


def test_stored_parameters_outside_todays_bounds_still_read_unchanged() -> None:
    text = SimulationParams(households=200).model_dump_json()
    old = text.replace('"basic_income":0.0', '"basic_income":1.5').replace(
        '"rate":0.45', '"rate":0.95'
    )
    params = stored_params(old)
    assert params.policy.fiscal.basic_income == 1.5
    assert params.policy.fiscal.tax_brackets[-1].rate == 0.95
    assert stored_params(text) == SimulationParams(households=200)
    state, metrics = advance(initial_state(params), params, rng_for(0, 0))  # and it runs
    assert np.isfinite(metrics.gdp_real) and state.tick == 1
