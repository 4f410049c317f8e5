"""Where the default economy settles, read once from settled_shape.json, which
scripts/settled_shape.py writes (ADR 0055; rerun it after a model change): households'
deposits over their own pay at work and their health, as quantiles at
start_shape.SHAPE_PROBABILITIES for each start_shape.household_cell; the share of those
of working age too ill to work by skill bin and age band; one snapshot's firms of each
sector as rows of start_shape.FIRM_COLUMNS; that snapshot's slow scalars and sums
(SETTLED); and where unemployment and inflation settle. JSON rather than Python: read in
about 5 ms, where a module of these tuples took 55 ms to compile wherever no bytecode
is kept (the image installs with --no-compile)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

_DATA = json.loads(Path(__file__).with_name("settled_shape.json").read_text())

SOURCE: str = _DATA["source"]
DEPOSITS: NDArray[np.float64] = np.asarray(_DATA["deposits"], dtype=np.float64)
HEALTH: NDArray[np.float64] = np.asarray(_DATA["health"], dtype=np.float64)
TOO_ILL: NDArray[np.float64] = np.asarray(_DATA["too_ill"], dtype=np.float64)
FIRMS_GOODS: NDArray[np.float64] = np.asarray(_DATA["firms_goods"], dtype=np.float64)
FIRMS_HEALTH: NDArray[np.float64] = np.asarray(_DATA["firms_health"], dtype=np.float64)
SETTLED: dict[str, float] = {k: float(v) for k, v in _DATA["settled"].items()}
SETTLED_UNEMPLOYMENT: float = float(_DATA["unemployment"])
SETTLED_INFLATION: float = float(_DATA["inflation"])
