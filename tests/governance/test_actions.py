"""Proposal actions are validated by the simulation's own policy models: what the live
economy would refuse is a 400 naming the field, at creation."""

from __future__ import annotations

from typing import Any

import pytest

from shared.governance.actions import (
    SetInflationTarget,
    SetTaxBrackets,
    SetTaylorRule,
    SetTransferPolicy,
    policy_changes,
)
from shared.simulation.params import SimulationParams
from tests.governance.conftest import TAX_CUT, Gov


def test_every_action_type_maps_to_a_policy_change_the_simulation_applies() -> None:
    actions = [
        SetTaxBrackets.model_validate(TAX_CUT),
        SetTaylorRule(type="taylor_rule", inflation_response=1.5, output_gap_response=0.25),
        SetInflationTarget(type="inflation_target", inflation_target=0.03),
        SetTransferPolicy(type="transfer_policy", basic_income=0.1, pension=0.5),
    ]
    changes = policy_changes(actions)
    policy = SimulationParams().with_policy_changes(changes).policy
    assert policy.fiscal.tax_brackets[1].rate == 0.22
    assert policy.monetary.inflation_response == 1.5
    assert policy.monetary.output_gap_response == 0.25
    assert policy.monetary.inflation_target == 0.03
    assert policy.monetary.smoothing == SimulationParams().policy.monetary.smoothing  # kept
    assert (policy.fiscal.basic_income, policy.fiscal.pension) == (0.1, 0.5)
    assert (
        policy.fiscal.unemployment_benefit == SimulationParams().policy.fiscal.unemployment_benefit
    )


def _brackets(*pairs: tuple[float, float]) -> dict[str, Any]:
    return {
        "type": "tax_brackets",
        "tax_brackets": [{"threshold": t, "rate": r} for t, r in pairs],
    }


@pytest.mark.parametrize(
    ("actions", "field"),
    [
        ([_brackets((0, 0.1), (0.5, 1.5))], "actions.0.tax_brackets.1.rate"),
        ([_brackets((0, 0.1), (0.5, 0.2), (0.4, 0.3))], "actions.0.tax_brackets"),
        ([_brackets((0.2, 0.1))], "actions.0.tax_brackets"),
        ([{"type": "inflation_target", "inflation_target": 0.5}], "actions.0.inflation_target"),
        ([TAX_CUT, {"type": "taylor_rule", "smoothing": 1.0}], "actions.1.smoothing"),
        ([{"type": "transfer_policy", "pension": -0.1}], "actions.0.pension"),
        ([{"type": "taylor_rule"}], "actions.0"),
        ([TAX_CUT, TAX_CUT], "actions.1.type"),
        ([{"type": "print_money", "amount": 1}], "actions.0"),
        (
            [{"type": "inflation_target", "inflation_target": 0.02, "extra": 1}],
            "actions.0.inflation_target.extra",
        ),
        ([], "actions"),
    ],
)
def test_invalid_actions_are_a_400_naming_the_field(
    gov_sqlite: Gov, actions: list[dict[str, Any]], field: str
) -> None:
    alice = gov_sqlite.user("alice", "2000")
    response = alice.post(
        "/v1/governance/proposals",
        json={"title": "Bad idea", "description": "x", "actions": actions},
    )
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    assert field in [e["field"] for e in response.json["errors"]]
    assert alice.get("/v1/governance/proposals").json["proposals"] == []
