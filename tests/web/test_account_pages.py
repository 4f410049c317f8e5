"""The account pages without a browser: registration reads its form with the API's own
body model and says what is wrong beside each field; the settings pages change only the
signed-in user's own account; an API key's secret is shown once."""

from __future__ import annotations

import pytest

from shared.api.spec import Principal
from shared.errors import NotFound
from shared.runtime.local import LocalRuntime
from shared.web.account_pages import register
from shared.web.settings_pages import api_keys, profile, revoke_api_key
from shared.web.spec import Method, PageRequest

PASSWORD = "correct horse battery staple"


def _request(
    runtime: LocalRuntime,
    user: Principal | None = None,
    method: Method = "GET",
    form: dict[str, str] | None = None,
    **path_params: str,
) -> PageRequest:
    return PageRequest(
        features=runtime.features,
        method=method,
        path_params=path_params,
        query={},
        form=form or {},
        csrf_token="t",
        principal=user,
    )


def test_registration_says_what_is_wrong_beside_each_field(app_runtime: LocalRuntime) -> None:
    form = {"name": " ", "email": "not an address", "password": "short"}
    page = register(_request(app_runtime, method="POST", form=form))
    assert page.status == 400
    assert 'id="email-error"' in page.html and 'id="password-error"' not in page.html
    form = {"name": "Ada", "email": "ada@example.com", "password": "short"}
    page = register(_request(app_runtime, method="POST", form=form))
    assert page.status == 400 and "must be at least 12 characters" in page.html
    assert 'value="ada@example.com"' in page.html  # what was typed stays
    form["password"] = PASSWORD
    page = register(_request(app_runtime, method="POST", form=form))
    assert page.redirect == "/register?sent=1"
    store = app_runtime.features.accounts.service.store
    assert store.user_by_email("ada@example.com") is not None
    again = register(_request(app_runtime, method="POST", form=form))
    # what POST /v1/auth/register answers too (409): no more, no less
    assert again.status == 400 and "an account with this email already exists" in again.html


def test_profile_changes_only_ones_own_name_and_handle(app_runtime: LocalRuntime) -> None:
    service = app_runtime.features.accounts.service
    ada = service.register("ada@example.com", PASSWORD, "Ada")
    bob = service.register("bob@example.com", PASSWORD, "Bob")
    me = Principal(ada.id, roles=frozenset({"user"}))
    page = profile(_request(app_runtime, me, "POST", {"change": "name", "name": "Ada King"}))
    assert page.status == 200 and "Your name is saved." in page.html
    assert service.store.user_by_id(ada.id).name == "Ada King"  # type: ignore[union-attr]
    assert service.store.user_by_id(bob.id).name == "Bob"  # type: ignore[union-attr]
    page = profile(_request(app_runtime, me, "POST", {"change": "handle", "handle": "1x"}))
    assert page.status == 400 and 'id="handle-error"' in page.html
    page = profile(_request(app_runtime, me, "POST", {"change": "handle", "handle": "@Ada_K"}))
    assert page.status == 200 and service.store.user_by_id(ada.id).handle == "ada_k"  # type: ignore[union-attr]
    them = Principal(bob.id, roles=frozenset({"user"}))
    taken = profile(_request(app_runtime, them, "POST", {"change": "handle", "handle": "ada_k"}))
    assert taken.status == 400 and "@ada_k is taken" in taken.html
    assert profile(_request(app_runtime)).html.count("Sign in") >= 1


def test_an_api_keys_secret_is_shown_once_and_others_keys_cannot_be_revoked(
    app_runtime: LocalRuntime,
) -> None:
    service = app_runtime.features.accounts.service
    ada = service.register("ada@example.com", PASSWORD, "Ada")
    bob = service.register("bob@example.com", PASSWORD, "Bob")
    me = Principal(ada.id, roles=frozenset({"user"}))
    page = api_keys(_request(app_runtime, me))
    assert 'id="scope-admin"' not in page.html  # a user cannot give what they lack
    none = api_keys(_request(app_runtime, me, "POST", {"name": "export"}))
    assert none.status == 400 and "choose at least one scope" in none.html
    form = {"name": "export", "scope-read": "on", "scope-write": "on"}
    created = api_keys(_request(app_runtime, me, "POST", form))
    assert created.status == 200 and created.headers["Cache-Control"] == "no-store"
    [key] = service.store.api_keys(ada.id)
    assert key.scopes == ("read", "write")
    secret = created.html.split('<code id="new-key">')[1].split("</code>")[0]
    assert secret.startswith(f"aia_{key.prefix}_")
    assert service.principal_from_token(secret).user_id == ada.id
    listed = api_keys(_request(app_runtime, me))
    assert secret not in listed.html and f"aia_{key.prefix}" in listed.html
    admin_scope = api_keys(_request(app_runtime, me, "POST", {"name": "x", "scope-admin": "on"}))
    assert admin_scope.status == 400 and "not granted: admin" in admin_scope.html

    them = Principal(bob.id, roles=frozenset({"user"}))
    with pytest.raises(NotFound):  # the page adapter answers 404, as the API does
        revoke_api_key(_request(app_runtime, them, "POST", key_id=key.id))
    assert service.store.api_keys(ada.id)[0].revoked_at is None
    asked = revoke_api_key(_request(app_runtime, me, key_id=key.id))
    assert "Revoke the key export?" in asked.html
    assert service.store.api_keys(ada.id)[0].revoked_at is None  # asking revokes nothing
    done = revoke_api_key(_request(app_runtime, me, "POST", key_id=key.id))
    assert done.redirect == "/settings/api-keys?done=revoked"
    assert service.store.api_keys(ada.id)[0].revoked_at is not None


def test_a_new_confirmation_link_only_while_unconfirmed(app_runtime: LocalRuntime) -> None:
    from shared.web.settings_pages import resend_verification

    service = app_runtime.features.accounts.service
    ada = service.register("ada@example.com", PASSWORD, "Ada")
    me = Principal(ada.id, roles=frozenset({"user"}))
    page = profile(_request(app_runtime, me))
    assert "Not confirmed yet" in page.html and "Email me a new confirmation link" in page.html
    sent = resend_verification(_request(app_runtime, me, "POST"))
    assert sent.redirect == "/settings/profile?done=sent"
    service.ensure_admin("ada@example.com", PASSWORD)  # counts the address as verified
    page = profile(_request(app_runtime, me))
    assert "Confirmed" in page.html and "Email me a new confirmation link" not in page.html
    again = resend_verification(_request(app_runtime, me, "POST"))
    assert again.status == 400 and "this address is already verified" in again.html
