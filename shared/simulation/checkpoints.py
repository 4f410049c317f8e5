"""How many months one tick message advances before it saves the state (a checkpoint):
what the API asks of a run's first tick and each tick of the next one."""

from __future__ import annotations

from shared.simulation.layout import stored_size
from shared.simulation.params import SimulationParams

MAX_HOUSEHOLD_TICKS_PER_MESSAGE = 2_000_000  # about 0.3 s of compute per delivery
MAX_TICKS_PER_MESSAGE = 120
# Every save writes the whole state (about 53 B per household). All the saves of one run,
# its initial state included, stay under this many bytes: 1M households x 2,400 months
# save 12 times (512 MB), not 1,201 times (51 GB).
STATE_BYTES_PER_RUN = 512 * 2**20
# ... while one message computes at most this much: about 40 s at 8M household-months
# per second, well inside the tick function's 300 s timeout and ack deadline.
MAX_HOUSEHOLD_TICKS_PER_CHECKPOINT = 300_000_000
MAX_TICKS_PER_REQUEST = 1200  # SimulationTickRequested.ticks' bound


def checkpoint_interval(params: SimulationParams, horizon: int | None) -> int:
    """Months one message advances before it saves the state (a checkpoint). Small
    economies batch many months (delivery and the state round trip cost more than their
    tick); a run whose saves would exceed `STATE_BYTES_PER_RUN` spaces them out further.
    A delivery that fails recomputes from the last checkpoint: the months' random draws
    depend only on the seed and the tick, so the run is the same."""
    households = params.households
    interval = max(1, min(MAX_TICKS_PER_MESSAGE, MAX_HOUSEHOLD_TICKS_PER_MESSAGE // households))
    if horizon is not None:
        saves = STATE_BYTES_PER_RUN // stored_size(households, params.firms) - 1
        interval = max(interval, -(-horizon // max(saves, 1)))
    ceiling = min(MAX_HOUSEHOLD_TICKS_PER_CHECKPOINT // households, MAX_TICKS_PER_REQUEST)
    return max(1, min(interval, ceiling))
