"""Start the production topology on 127.0.0.1 and stop it again (docs/decisions/0035).

What runs: the Pub/Sub + Secret Manager, Firestore and Cloud Tasks stand-ins; a fresh
PostgreSQL database on this machine's server (migrated as the pipeline's job does) and
its Redis; one process per function of the manifest (the image's launcher) with
`AIA_BACKEND=gcp`; the pull-to-push relay. Workflows run with `AIA_WORKFLOWS=local`: no
stand-in serves the Workflows Executions API, so the process that starts an execution runs
the YAML itself and its steps call the functions over real HTTP (their URLs in
`AIA_FUNCTION_URLS`, as Terraform passes them)."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from scripts.topology.cloud_admin import (
    PubSubAdmin,
    create_queues,
    create_secrets,
    generated_secrets,
)
from scripts.topology.processes import FunctionFleet, FunctionProcess
from scripts.topology.relay import PushRelay
from shared.wiring.manifest import Manifest, load_manifest
from tests.emulators.base import free_ports
from tests.emulators.cloud_tasks import CloudTasksEmulator, start_cloud_tasks
from tests.emulators.cloudbox_emulator import Cloudbox, start_cloudbox
from tests.emulators.firestore import FirestoreEmulator, start_firestore

POSTGRES = os.environ.get(
    "AIA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
LOCATION = "europe-west1"
INVOKER = "tasks-invoker@aia-topology.iam.gserviceaccount.com"


@dataclass(frozen=True)
class Options:
    data_dir: Path  # the outbox (mail) lands in data_dir/outbox, logs in data_dir/logs
    backoff_scale: float = 1.0  # Pub/Sub retry backoff x this (tests: 0.001)
    time_scale: float = 1.0  # AIA_TIME_SCALE for workflow sleeps
    redis_url: str = "redis://127.0.0.1:6379/0"
    env: Mapping[str, str] = field(default_factory=dict)  # extra AIA_* settings


@dataclass
class Topology:
    options: Options
    manifest: Manifest
    project: str
    cloudbox: Cloudbox
    firestore: FirestoreEmulator
    tasks: CloudTasksEmulator
    database_url: str
    pubsub: PubSubAdmin
    fleet: FunctionFleet
    relay: PushRelay
    timings: dict[str, float]
    _stopped: bool = False

    def url(self, function: str) -> str:
        return self.fleet.processes[function].url

    @property
    def env(self) -> dict[str, str]:
        """The functions' environment, for a client process (the CLI, a test) to share."""
        return dict(next(iter(self.fleet.processes.values())).env)

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.relay.stop()
        self.fleet.stop()
        for stand_in in (self.cloudbox, self.firestore, self.tasks):
            stand_in.stop()
        _drop_database(self.database_url)


def start(options: Options, manifest: Manifest | None = None) -> Topology:
    manifest = manifest or load_manifest()
    timings: dict[str, float] = {}
    began = time.monotonic()
    logs = options.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    project = f"aia-topology-{uuid.uuid4().hex[:8]}"
    with ThreadPoolExecutor(4) as pool:  # the stand-ins and the database, in parallel
        box = pool.submit(start_cloudbox, logs)
        store = pool.submit(start_firestore, logs)
        queue = pool.submit(start_cloud_tasks, logs)
        database = pool.submit(_create_database)
        cloudbox, firestore, tasks = box.result(), store.result(), queue.result()
        database_url = database.result()
    timings["stand_ins_seconds"] = time.monotonic() - began

    pubsub = PubSubAdmin(cloudbox.pubsub_rest, project, options.backoff_scale)
    pubsub.create_from(manifest)
    create_secrets(cloudbox.secret_manager, project, generated_secrets())
    create_queues(tasks.endpoint, project, LOCATION, manifest)

    ports = dict(
        zip([f.name for f in manifest.functions], free_ports(len(manifest.functions)), strict=True)
    )
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    env = _function_env(options, project, cloudbox, firestore, tasks, database_url, manifest, urls)
    fleet = FunctionFleet(
        {
            fn.name: FunctionProcess(fn, ports[fn.name], env, logs / f"fn-{fn.name}.log")
            for fn in manifest.functions
        }
    )
    try:
        timings["functions_seconds"] = fleet.start()
    except RuntimeError:
        fleet.stop()
        for stand_in in (cloudbox, firestore, tasks):
            stand_in.stop()
        _drop_database(database_url)
        raise
    relay = PushRelay(
        pubsub,
        {
            fn.subscription: (urls[fn.name], float(fn.pubsub.ack_deadline_seconds))
            for fn in manifest.functions
            if fn.pubsub is not None
        },
    )
    relay.start()
    timings["total_seconds"] = time.monotonic() - began
    topology = Topology(
        options,
        manifest,
        project,
        cloudbox,
        firestore,
        tasks,
        database_url,
        pubsub,
        fleet,
        relay,
        timings,
    )
    atexit.register(topology.stop)  # a session that ends without its teardown leaves nothing
    return topology


def _function_env(
    options: Options,
    project: str,
    cloudbox: Cloudbox,
    firestore: FirestoreEmulator,
    tasks: CloudTasksEmulator,
    database_url: str,
    manifest: Manifest,
    urls: Mapping[str, str],
) -> dict[str, str]:
    http_urls = {fn.name: urls[fn.name] for fn in manifest.functions if fn.http is not None}
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("AIA_")}
    return {
        **inherited,
        "PYTHONUNBUFFERED": "1",
        "AIA_BACKEND": "gcp",
        "AIA_WORKFLOWS": "local",  # no stand-in serves the Workflows Executions API
        "GOOGLE_CLOUD_PROJECT": project,
        "PUBSUB_EMULATOR_HOST": cloudbox.pubsub_host,
        "FIRESTORE_EMULATOR_HOST": firestore.host,
        "AIA_SECRET_MANAGER_ENDPOINT": cloudbox.secret_manager,
        "AIA_CLOUD_TASKS_ENDPOINT": tasks.endpoint,
        "AIA_TASKS_LOCATION": LOCATION,
        "AIA_TASKS_INVOKER_SERVICE_ACCOUNT": INVOKER,
        "AIA_DATABASE_URL": database_url,
        "AIA_RATE_LIMITER": "redis",
        "AIA_REDIS_URL": options.redis_url,
        "AIA_FUNCTION_URLS": json.dumps(http_urls),
        "AIA_DATA_DIR": str(options.data_dir),
        "AIA_MAIL_BACKEND": "outbox",
        "AIA_ENVIRONMENT": "topology",
        "AIA_TIME_SCALE": f"{options.time_scale:g}",
        "AIA_PUBLIC_BASE_URL": urls["api"],
        **options.env,
    }


def _create_database() -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from shared.adapters.sql.migrate import migrate

    name = f"aia_topology_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    migrate(engine)  # what the pipeline's migration job does before traffic shifts
    engine.dispose()
    return url


def _drop_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def temporary_data_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="aia-topology-"))


def remove_data_dir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
