"""Which economy model this code runs: one integer, raised whenever a change to the model
makes a stored state or its figures mean something else (new or removed arrays or macro
scalars, a mechanism that changes what a parameter does). Every simulation records the
version that produced it (its SQL row and its state blob's header); a state of another
version cannot be advanced here. See docs/decisions/0037-model-versions-of-simulations.md.

Version 1 is every run stored before release 2 (the model of issue 17's referee's
reading); version 2 is the model release 2 ships."""

from __future__ import annotations

MODEL_VERSION = 2
# what a record without a version was produced by: everything before versions were kept
FIRST_MODEL_VERSION = 1


def other_model_reason(produced_by: int, runs: int = MODEL_VERSION) -> str:
    """Why a run of another model version cannot go on, in the words its owner reads."""
    return f"produced by model {produced_by}; this release runs model {runs}"


def mixed_models_note(versions: list[int]) -> str | None:
    """What a comparison of runs says when they come from different model versions (None
    when they do not): a note, since such runs can be compared, only not as like for like."""
    distinct = sorted(set(versions))
    if len(distinct) < 2:
        return None
    named = ", ".join(str(v) for v in distinct[:-1]) + f" and {distinct[-1]}"
    return (
        f"These runs come from different model versions ({named}): their differences "
        "mix what the models do differently with what the policies do."
    )
