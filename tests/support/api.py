"""Calling the API as a given user in tests.

`api.user("alice")` returns a client whose requests carry alice's credentials. Until
the accounts feature lands this uses a test-only guard that trusts a fixed header;
the accounts feature replaces it with real registration and login, so tests written
against this helper keep working unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from werkzeug.test import Client, TestResponse

from shared.adapters.http.app import create_api_app
from shared.api.catalog import all_routes
from shared.api.spec import ApiRequest, Principal, Route
from shared.platform import Platform

_PREFIX = "Bearer test-user:"


def _test_guard(_: Route, req: ApiRequest) -> None:
    header = req.headers.get("authorization", "")
    if header.startswith(_PREFIX):
        user_id, _, roles = header[len(_PREFIX) :].partition(":")
        req.principal = Principal(user_id=user_id, roles=frozenset(filter(None, roles.split(","))))


@dataclass
class UserClient:
    client: Client
    user_id: str
    headers: dict[str, str]

    def request(self, method: str, path: str, **kwargs: Any) -> TestResponse:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("DELETE", path, **kwargs)


class ApiClient:
    def __init__(self, platform: Platform) -> None:
        app = create_api_app(all_routes(), lambda: platform, guards=[_test_guard])
        self.client = Client(app)
        self.platform = platform

    def user(self, name: str, *, admin: bool = False) -> UserClient:
        roles = "user,admin" if admin else "user"
        return UserClient(self.client, name, {"Authorization": f"{_PREFIX}{name}:{roles}"})

    def anonymous(self) -> UserClient:
        return UserClient(self.client, "", {})
