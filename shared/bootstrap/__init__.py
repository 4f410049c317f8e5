"""The composition root: the one place that assembles the platform. `build_platform`
chooses an adapter for each port from settings; `Features` builds each feature once, on
first use, from the ports and the features it needs, and hands it what it needs as
arguments. Nothing is wired at import time.

Trigger adapters (functions/), the HTTP adapter and the local runtime ask `current_features()`
for the process's root; tests build their own `Features` (a `LocalRuntime` installs one)."""

from __future__ import annotations

from shared.bootstrap.features import Features
from shared.bootstrap.ports import build_platform
from shared.bootstrap.root import current_features, install_features

__all__ = ["Features", "build_platform", "current_features", "install_features"]
