"""What a proposal may do: typed changes to the flagship economy's policy. Each action
becomes a change in the simulation's own format (`SimulationParams.with_policy_changes`),
and is validated by the simulation's own models, so governance can never pass a policy
the live economy would refuse."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.simulation.params import Policy, merge_changes


class Action(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def changes(self) -> dict[str, Any]:
        raise NotImplementedError


class Bracket(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: float = Field(description="Annual income, in average annual wages")
    rate: float = Field(description="Marginal rate above the threshold (0.25 is 25 %)")


class SetTaxBrackets(Action):
    """Replace the income-tax schedule (thresholds strictly increasing, the first at 0)."""

    type: Literal["tax_brackets"] = Field(description="This action: replace the tax schedule")
    tax_brackets: list[Bracket] = Field(
        min_length=1,
        max_length=12,
        description="1 to 12 brackets, thresholds strictly increasing, the first at 0",
    )

    def changes(self) -> dict[str, Any]:
        return {"fiscal": {"tax_brackets": [b.model_dump() for b in self.tax_brackets]}}


class SetTaylorRule(Action):
    """Change coefficients of the central bank's Taylor rule (any subset)."""

    type: Literal["taylor_rule"] = Field(
        description="This action: change the Taylor rule; fields left out keep their value"
    )
    neutral_real_rate: float | None = Field(default=None, description="r*")
    inflation_response: float | None = Field(default=None, description="a_pi")
    output_gap_response: float | None = Field(default=None, description="a_y")
    smoothing: float | None = Field(default=None, description="Monthly weight on last rate")
    lower_bound: float | None = Field(default=None, description="Floor on the policy rate")

    def changes(self) -> dict[str, Any]:
        return {"monetary": self.model_dump(exclude={"type"}, exclude_none=True)}


class SetInflationTarget(Action):
    type: Literal["inflation_target"] = Field(
        description="This action: change the central bank's inflation target"
    )
    inflation_target: float = Field(description="pi*, a yearly rate (0.02 is 2 %)")

    def changes(self) -> dict[str, Any]:
        return {"monetary": {"inflation_target": self.inflation_target}}


class SetTransferPolicy(Action):
    """Change transfers paid by the government (any subset)."""

    type: Literal["transfer_policy"] = Field(
        description="This action: change government transfers; fields left out keep their value"
    )
    unemployment_benefit: float | None = Field(default=None, description="Replacement rate")
    pension: float | None = Field(default=None, description="Fraction of the usual pay (65+)")
    basic_income: float | None = Field(default=None, description="Monthly, in average wages")

    def changes(self) -> dict[str, Any]:
        return {"fiscal": self.model_dump(exclude={"type"}, exclude_none=True)}


PolicyAction = Annotated[
    SetTaxBrackets | SetTaylorRule | SetInflationTarget | SetTransferPolicy,
    Field(discriminator="type"),
]
MAX_ACTIONS = 10  # as Governor Bravo's proposalMaxOperations


@dataclass(frozen=True)
class ActionProblem:
    field: str
    message: str
    code: str


def action_problems(actions: Sequence[Action]) -> list[ActionProblem]:
    """Every reason the simulation would refuse these actions, with the request field
    at fault (`actions.<i>.<field>`); empty when they are all valid."""
    problems: list[ActionProblem] = []
    seen: dict[str, int] = {}
    for index, action in enumerate(actions):
        kind = action.model_dump()["type"]
        if kind in seen:
            problems.append(
                ActionProblem(
                    f"actions.{index}.type",
                    f"a proposal changes {kind} once (see action {seen[kind]})",
                    "duplicate",
                )
            )
            continue
        seen[kind] = index
        changes = action.changes()
        if not any(changes.values()):
            problems.append(
                ActionProblem(f"actions.{index}", "the action changes nothing", "empty")
            )
            continue
        try:
            Policy().with_changes(changes)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                path = ".".join(str(p) for p in err["loc"][1:])  # drop fiscal/monetary
                problems.append(
                    ActionProblem(f"actions.{index}.{path}".rstrip("."), err["msg"], err["type"])
                )
    return problems


def policy_changes(actions: Sequence[Action]) -> dict[str, Any]:
    """All actions as one change for `SimulationParams.with_policy_changes`."""
    merged: dict[str, Any] = {}
    for action in actions:
        merged = merge_changes(merged, action.changes())
    return merged
