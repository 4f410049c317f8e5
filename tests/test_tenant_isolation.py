"""Nobody reads or changes what belongs to someone else: for every resource type, a
second user gets 404 (not 403: ids cannot be probed). Each feature adds its resource
here: a function that creates one as `owner` and returns the requests to try."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support.api import ApiClient, UserClient

Probe = Callable[[UserClient], list[tuple[str, str, dict]]]  # type: ignore[type-arg]


def api_key(owner: UserClient) -> list[tuple[str, str, dict]]:  # type: ignore[type-arg]
    key_id = owner.post("/v1/api-keys", json={"name": "mine"}).json["id"]
    return [("DELETE", f"/v1/api-keys/{key_id}", {})]


RESOURCES: dict[str, Probe] = {
    "api-key": api_key,
}


@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_another_user_gets_404(api: ApiClient, resource: str) -> None:
    owner, stranger = api.user("owner"), api.user("stranger")
    for method, path, body in RESOURCES[resource](owner):
        response = stranger.request(method, path, json=body or None)
        assert response.status_code == 404, f"{method} {path} as a stranger"
        assert response.content_type == "application/problem+json"
        assert owner.request(method, path, json=body or None).status_code < 400
