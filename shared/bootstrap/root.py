"""The process's root: built lazily at cold start from settings, or installed by the local
runtime and by tests."""

from __future__ import annotations

import threading

from shared.bootstrap.features import Features

_lock = threading.Lock()
_current: Features | None = None


def current_features() -> Features:
    """This instance's features (and through them its platform), built on first use."""
    global _current
    if _current is None:
        with _lock:
            if _current is None:
                from shared.bootstrap.ports import build_platform
                from shared.settings import current_settings

                _current = Features(build_platform(current_settings()))
    return _current


def install_features(features: Features | None) -> None:
    """Make `features` the process's root (the local runtime and tests do this)."""
    global _current
    with _lock:
        _current = features
