"""Calling the API as a given user in tests: `api.user("alice")` registers alice
through the real endpoints, logs her in, and returns a client carrying her bearer token."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from werkzeug.test import Client, TestResponse

from shared.adapters.http.app import create_api_app
from shared.adapters.http.catalog import all_guards, all_routes
from shared.bootstrap import Features

PASSWORD = "correct horse battery staple"


@dataclass
class UserClient:
    client: Client
    user_id: str
    email: str
    headers: dict[str, str]

    def log_in_again(self) -> None:
        """A fresh access token (tests that move the clock past its 15 minutes)."""
        tokens = self.client.post(
            "/v1/auth/login", json={"email": self.email, "password": PASSWORD}
        )
        assert tokens.status_code == 200, tokens.get_data(as_text=True)
        self.headers["Authorization"] = f"Bearer {tokens.json['access_token']}"

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
    def __init__(self, features: Features) -> None:
        platform = features.platform
        app = create_api_app(
            all_routes(),
            lambda: features,
            guards=all_guards(),
            max_request_bytes=platform.settings.max_request_bytes,
            cors_origins=platform.settings.cors_origins,
            trusted_proxy_hops=platform.settings.trusted_proxy_hops,
        )
        self.client = Client(app)
        self.features = features
        self.platform = platform
        self._users: dict[str, UserClient] = {}

    def user(self, name: str, *, admin: bool = False, verified: bool = True) -> UserClient:
        """A registered, logged-in user; `verified` (the default) as if they had clicked
        the link in their welcome email."""
        key = f"{name}:{admin}:{verified}"
        if key not in self._users:
            email = f"{name}.{uuid.uuid4().hex[:8]}@example.com"
            registered = self.client.post(
                "/v1/auth/register", json={"email": email, "password": PASSWORD, "name": name}
            )
            assert registered.status_code == 201, registered.get_data(as_text=True)
            user_id = registered.json["user_id"]
            if verified:
                self.verify(user_id)
            if admin:
                self.features.accounts.service.store.set_roles(user_id, ("admin", "user"))
            tokens = self.client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
            assert tokens.status_code == 200, tokens.get_data(as_text=True)
            headers = {"Authorization": f"Bearer {tokens.json['access_token']}"}
            self._users[key] = UserClient(self.client, user_id, email, headers)
        return self._users[key]

    def verification_token(self, user_id: str) -> str:
        """The token of the link the welcome email carries."""
        service = self.features.accounts.service
        user = service.store.user_by_id(user_id)
        assert user is not None
        return parse_qs(urlsplit(service.verification_url(user)).query)["token"][0]

    def verify(self, user_id: str) -> TestResponse:
        reply = self.client.post(
            "/v1/auth/verify-email", json={"token": self.verification_token(user_id)}
        )
        assert reply.status_code == 200, reply.get_data(as_text=True)
        return reply

    def anonymous(self) -> UserClient:
        return UserClient(self.client, "", "", {})
