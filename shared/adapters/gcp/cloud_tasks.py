"""HTTP tasks on Cloud Tasks: a JSON POST to an HTTP function, in the queue the manifest
names, authenticated with an OIDC token of `tasks_invoker_service_account` when set.

A `task_id` becomes the task's name, so a second enqueue with the same id is rejected
by Cloud Tasks (`AlreadyExists`) and ignored here: that is the dedupe. An id outside
Cloud Tasks' alphabet is replaced by its SHA-256, which keeps it stable."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import tasks_v2

from shared.settings import Settings
from shared.wiring.manifest import Manifest

_TASK_ID = re.compile(r"^[A-Za-z0-9_-]{1,500}$")
_MIN_DEADLINE, _MAX_DEADLINE = 15, 1800  # Cloud Tasks' bounds for HTTP targets, seconds


def cloud_task_id(task_id: str) -> str:
    return task_id if _TASK_ID.match(task_id) else hashlib.sha256(task_id.encode()).hexdigest()


class CloudTasksQueue:
    def __init__(self, settings: Settings, manifest: Manifest) -> None:
        self._settings = settings
        self._manifest = manifest
        self._client: tasks_v2.CloudTasksClient | None = None
        self._lock = threading.Lock()

    def _tasks(self) -> tasks_v2.CloudTasksClient:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._new_client()
        return self._client

    def _new_client(self) -> tasks_v2.CloudTasksClient:
        endpoint = self._settings.cloud_tasks_endpoint
        if not endpoint:
            return tasks_v2.CloudTasksClient()
        import grpc  # type: ignore[import-untyped, unused-ignore]
        from google.cloud.tasks_v2.services.cloud_tasks.transports import CloudTasksGrpcTransport

        channel = grpc.insecure_channel(endpoint.split("://", 1)[-1])
        return tasks_v2.CloudTasksClient(transport=CloudTasksGrpcTransport(channel=channel))

    def queue_path(self, queue: str) -> str:
        self._manifest.queue(queue)  # LookupError for a queue the manifest lacks
        s = self._settings
        return f"projects/{s.gcp_project}/locations/{s.tasks_location}/queues/{queue}"

    def build_task(
        self,
        queue: str,
        function: str,
        payload: Mapping[str, Any],
        *,
        task_id: str | None = None,
        schedule_time: datetime | None = None,
        path: str = "/",
    ) -> tasks_v2.Task:
        """The task `enqueue` creates (no network): pure, so it is unit-tested."""
        parent = self.queue_path(queue)
        target = self._manifest.function(function)
        if target.http is None:
            raise ValueError(f"{function} is not an HTTP function")
        base = self._settings.function_urls.get(function)
        if not base:
            raise LookupError(f"no URL for function {function}: set AIA_FUNCTION_URLS")
        request: dict[str, Any] = {
            "url": base.rstrip("/") + "/" + path.lstrip("/"),
            "http_method": tasks_v2.HttpMethod.POST,
            "headers": {"Content-Type": "application/json"},
            "body": json.dumps(dict(payload), separators=(",", ":")).encode(),
        }
        invoker = self._settings.tasks_invoker_service_account
        if invoker:
            request["oidc_token"] = {"service_account_email": invoker, "audience": base.rstrip("/")}
        timeout = min(max(target.service.timeout_seconds, _MIN_DEADLINE), _MAX_DEADLINE)
        task: dict[str, Any] = {
            "http_request": request,
            "dispatch_deadline": timedelta(seconds=timeout),
        }
        if task_id:
            task["name"] = f"{parent}/tasks/{cloud_task_id(task_id)}"
        if schedule_time is not None:
            task["schedule_time"] = schedule_time.astimezone(UTC)
        return tasks_v2.Task(task)

    def enqueue(
        self,
        queue: str,
        function: str,
        payload: Mapping[str, Any],
        *,
        task_id: str | None = None,
        schedule_time: datetime | None = None,
        path: str = "/",
    ) -> str:
        task = self.build_task(
            queue, function, payload, task_id=task_id, schedule_time=schedule_time, path=path
        )
        try:
            created = self._tasks().create_task(
                parent=self.queue_path(queue), task=task, timeout=30
            )
        except gexc.AlreadyExists:
            return str(task.name).rsplit("/", 1)[-1]
        return str(created.name).rsplit("/", 1)[-1]

    def ping(self) -> None:
        """The service answers for this project and location (a permission error too)."""
        s = self._settings
        try:
            self._tasks().list_queues(
                request={
                    "parent": f"projects/{s.gcp_project}/locations/{s.tasks_location}",
                    "page_size": 1,
                },
                timeout=10,
            )
        except gexc.PermissionDenied:
            return

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.transport.close()  # type: ignore[no-untyped-call, unused-ignore]
