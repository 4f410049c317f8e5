"""An assumption behind a venture figure: what was assumed, its value, its unit and where
it comes from. Every venture answer lists the ones it rests on."""

from __future__ import annotations

from pydantic import BaseModel, Field

# The tables a blueprint states as one assumption: phase -> [effort, schedule] fractions,
# phase -> role -> fraction of effort, or a budget name -> fraction.
AssumedValue = (
    int | float | str | dict[str, list[float]] | dict[str, dict[str, float]] | dict[str, float]
)


class Assumption(BaseModel):
    name: str = Field(description="What is assumed, e.g. `growth rate (CAGR)`")
    value: AssumedValue = Field(
        description="Its value in `unit`: a number, a sentence, or a small table (the "
        "blueprint's phase distribution and role mix)"
    )
    unit: str = Field(description="The unit of `value`; empty when it is a sentence")
    source: str = Field(
        description="Where it comes from: a publication, `your input`, or an AIA assumption"
    )
