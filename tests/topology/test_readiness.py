"""Every function's process is the image's own launcher and answers Cloud Run's startup
probe, GET /ready, over real HTTP with `AIA_BACKEND=gcp` (infra/modules/platform/run.tf
probes every service this way; shared/runtime/function_server.py serves it)."""

from __future__ import annotations

import requests

from scripts.topology.launcher import Topology
from tests.topology.conftest import TOPOLOGY

pytestmark = TOPOLOGY


def test_every_function_process_answers_ready(topology: Topology) -> None:
    assert set(topology.fleet.processes) == {fn.name for fn in topology.manifest.functions}
    for name, process in topology.fleet.processes.items():
        assert process.popen is not None
        assert "shared.runtime.function_server" in list(map(str, process.popen.args)), name
        reply = requests.get(f"{process.url}/ready", timeout=10)
        assert reply.status_code == 200, f"{name}: {reply.status_code} {reply.text}"
        assert reply.json()["status"] == "ready", name
    # the event functions' trigger is still POST only: a GET of / is refused
    event = next(fn.name for fn in topology.manifest.functions if fn.pubsub is not None)
    assert requests.get(topology.url(event) + "/", timeout=10).status_code == 405
