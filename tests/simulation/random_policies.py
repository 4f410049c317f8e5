"""Random valid policies, drawn uniformly within the bounds the policy models validate
(the same bounds the API and the web form use), from a numpy generator with a fixed
seed so a failing draw can be replayed."""

from __future__ import annotations

from typing import Any

import annotated_types
import numpy as np
from pydantic import BaseModel

from shared.simulation.params import (
    AVERAGE_EARNER_RATE_CAP,
    FiscalPolicy,
    MonetaryPolicy,
    Policy,
    TaxBracket,
    TokenPolicy,
    average_tax_rate,
)

MAX_BRACKETS = 6
# Bounds wider than any sensible draw (a threshold up to 1000 average wages): the
# thresholds are drawn from the range where people's incomes are.
THRESHOLD_SPAN = 5.0


def field_range(model: type[BaseModel], name: str) -> tuple[float, float]:
    """The closed range inside a field's bounds (an open bound is nudged inside)."""
    low, high = -np.inf, np.inf
    for rule in model.model_fields[name].metadata:
        if isinstance(rule, annotated_types.Ge):
            low = float(rule.ge)  # type: ignore[arg-type]
        elif isinstance(rule, annotated_types.Gt):
            low = float(rule.gt) + 1e-6  # type: ignore[arg-type]
        elif isinstance(rule, annotated_types.Le):
            high = float(rule.le)  # type: ignore[arg-type]
        elif isinstance(rule, annotated_types.Lt):
            high = float(rule.lt) - 1e-6  # type: ignore[arg-type]
    return low, high


# Fiscal rules added after the draws were first fixed (ADR 0040) are drawn last, so
# every earlier draw (and a draw's index in KNOWN_UNSTABLE) keeps its policy.
LATER_FISCAL_FIELDS = ("debt_ceiling", "brake_strength", "brake_tax_share", "brake_speed")


def _section(
    model: type[BaseModel], rng: np.random.Generator, names: tuple[str, ...] | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        later = model is FiscalPolicy and name in LATER_FISCAL_FIELDS
        if (names is None and later) or (names is not None and name not in names):
            continue
        if info.annotation is float:
            low, high = field_range(model, name)
            out[name] = float(rng.uniform(low, high))
    return out


def _brackets(rng: np.random.Generator) -> list[dict[str, float]]:
    """Brackets drawn until they are valid together (the average earner's rate is
    bounded, ADR 0049): uniform over the valid ones."""
    low, high = field_range(TaxBracket, "rate")
    while True:
        count = int(rng.integers(1, MAX_BRACKETS + 1))
        inner = np.sort(rng.uniform(0, THRESHOLD_SPAN, count - 1))
        thresholds = [0.0, *(float(t) for t in inner)]
        drawn = [{"threshold": t, "rate": float(rng.uniform(low, high))} for t in thresholds]
        brackets = tuple(TaxBracket.model_validate(b) for b in drawn)
        if average_tax_rate(brackets, 1.0) <= AVERAGE_EARNER_RATE_CAP:
            return drawn


def random_policy(rng: np.random.Generator) -> Policy:
    fiscal = _section(FiscalPolicy, rng)
    fiscal["tax_brackets"] = _brackets(rng)
    monetary = _section(MonetaryPolicy, rng)
    tokens = _section(TokenPolicy, rng)
    fiscal.update(_section(FiscalPolicy, rng, LATER_FISCAL_FIELDS))
    return Policy.model_validate({"fiscal": fiscal, "monetary": monetary, "tokens": tokens})
