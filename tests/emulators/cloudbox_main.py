"""Entry point run by the stand-ins' own Python (`.emulators/venv`), not by the tests'.

Starts cloudbox 0.2.3 (Pub/Sub gRPC + REST, Secret Manager, and its other services,
all on the 127.0.0.1 ports given in the CLOUDBOX_* variables by `cloudbox_emulator.py`) with
one fix: google-cloud-secret-manager's REST transport sends AccessSecretVersion as
`GET .../versions/{v}:access`, which cloudbox routes only as POST. We add the GET route
ahead of `GET .../versions/{version_id}`, which would otherwise take "latest:access"
for a version id and answer 404. It also exits when the process that started it is gone
(a killed test session leaves no stand-in behind)."""

from __future__ import annotations

import os
import threading
import time

from cloudbox.main import main
from cloudbox.services.secretmanager import app as secretmanager

ACCESS = "/v1/projects/{project}/secrets/{secret_id}/versions/{version_id}:access"

secretmanager.app.add_api_route(ACCESS, secretmanager.access_version, methods=["GET"])
secretmanager.app.router.routes.insert(0, secretmanager.app.router.routes.pop())


def exit_with_parent() -> None:
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


if __name__ == "__main__":
    exit_with_parent()
    main()
