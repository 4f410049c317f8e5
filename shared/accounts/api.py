"""HTTP routes of the accounts feature, and the guards every route passes through:
authentication (bearer JWT, or an API key as bearer or X-API-Key) and rate limits."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from shared.accounts.addresses import RegistrableEmail
from shared.accounts.handles import ChoosableHandle, normalise_handle
from shared.accounts.login_limits import LoginThrottle
from shared.accounts.records import ApiKey, User, UserFilter
from shared.accounts.service import AccountService, TokenPair, granted_scopes, normalise_email
from shared.api.pagination import (
    NEXT_CURSOR_DESCRIPTION,
    LegacyOffsetPageQuery,
    OffsetPageQuery,
    offset_page,
    slice_page,
)
from shared.api.spec import AnyRequest, ApiError, ApiRequest, Reply, Route, route
from shared.errors import Unauthenticated

Scope = Literal["read", "write", "admin"]
_WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class RegisterRequest(_Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "email": "ada@example.com",
                    "password": "correct horse battery staple",
                    "name": "Ada Lovelace",
                }
            ]
        }
    )

    email: RegistrableEmail = Field(
        description="Your email address; the part before @ must be ASCII. A link to verify "
        "it is sent there"
    )
    password: str = Field(
        min_length=1,
        max_length=1024,
        json_schema_extra={"format": "password"},
        description="12 to 128 characters, at least 5 different, not a common password and "
        "not containing your email's name",
    )
    name: str = Field(min_length=1, max_length=200, description="Your name as others see it")


class Registered(BaseModel):
    user_id: str = Field(description="The new account's id")


class LoginRequest(_Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"email": "ada@example.com", "password": "correct horse battery staple"}]
        }
    )

    email: EmailStr = Field(description="The address the account was registered with")
    password: str = Field(
        min_length=1,
        max_length=1024,
        json_schema_extra={"format": "password"},
        description="The account's password",
    )


class Tokens(BaseModel):
    access_token: str = Field(
        description="Send as `Authorization: Bearer <access_token>`; valid for `expires_in` seconds"
    )
    refresh_token: str = Field(
        description="Trade it at POST /v1/auth/refresh for a new pair; each one works once "
        "(30 days by default), and using one twice ends that login's sessions"
    )
    token_type: Literal["bearer"] = Field(
        default="bearer", description="Always `bearer` (OAuth 2.0)"
    )
    expires_in: int = Field(description="Seconds until the access token expires (900 by default)")


class RefreshRequest(_Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"refresh_token": "the refresh_token your last login or refresh returned"}]
        }
    )

    refresh_token: str = Field(
        min_length=10, max_length=200, description="The refresh_token of your last login or refresh"
    )


class Me(BaseModel):
    user_id: str = Field(description="Your account's id")
    email: str = Field(description="Your email address, as registered")
    name: str = Field(description="Your name as others see it")
    roles: list[str] = Field(description="`user`, and `admin` for an administrator")
    created_at: datetime = Field(description="When the account was registered (UTC)")
    email_verified: bool = Field(
        description="Until the address is verified the account cannot send or receive "
        "transfers and has not received its welcome AIA"
    )
    handle: str | None = Field(
        default=None,
        description="The public handle others may send tokens to (`@handle`); null: none "
        "chosen (set it with PUT /v1/me/handle)",
    )


class HandleRequest(_Body):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"handle": "ada_lovelace"}]}
    )
    handle: ChoosableHandle | None = Field(
        description="3-30 letters, digits, `-` or `_`, starting with a letter (case is "
        "ignored; a leading `@` is dropped); null removes your handle"
    )


class VerifyEmailRequest(_Body):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"token": "the token in the link of your welcome email"}]}
    )

    token: str = Field(
        min_length=10, max_length=2000, description="The token from the link in the welcome email"
    )


class EmailVerifiedReply(BaseModel):
    user_id: str = Field(description="The account whose address is now verified")
    email_verified: Literal[True] = Field(default=True, description="Always true")
    welcome_grant: bool = Field(
        description="True when this verification pays the welcome AIA (once per mailbox)"
    )


class ResetRequest(_Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"email": "ada@example.com"}]})

    email: EmailStr = Field(
        description="The account's address; the answer is the same whether or not one exists"
    )


class ResetConfirm(_Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "token": "the token in the link of the reset email",
                    "new_password": "a new long passphrase of yours",
                }
            ]
        }
    )

    token: str = Field(
        min_length=10,
        max_length=200,
        description="The token from the link in the reset email (valid one hour by default, once)",
    )
    new_password: str = Field(
        min_length=1,
        max_length=1024,
        json_schema_extra={"format": "password"},
        description="12 to 128 characters, at least 5 different, not a common password and "
        "not containing your email's name; every session ends when it is set",
    )


class ApiKeyRequest(_Body):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "nightly export", "scopes": ["read"]}]}
    )

    name: str = Field(min_length=1, max_length=100, description="Your label for the key")
    scopes: list[Scope] = Field(
        default=["read"],
        min_length=1,
        description="What the key may do: read (GET), write (changes; implies read), admin "
        "(admin routes, while you are an admin; implies write)",
    )


class ApiKeyInfo(BaseModel):
    id: str = Field(description="The key's id, for DELETE /v1/api-keys/{key_id}")
    name: str = Field(description="Your label for the key")
    prefix: str = Field(
        description="The 12 hex characters after `aia_` in the key: tells keys apart, "
        "grants nothing"
    )
    scopes: list[str] = Field(description="The scopes given at creation: read, write, admin")
    created_at: datetime = Field(description="When the key was created (UTC)")
    revoked_at: datetime | None = Field(
        default=None, description="When it was revoked (UTC); null while it works"
    )


class CreatedApiKey(ApiKeyInfo):
    key: str = Field(description="The secret; shown this once, stored only as a hash.")


class ApiKeyList(BaseModel):
    api_keys: list[ApiKeyInfo] = Field(description="This page of your keys, revoked ones too")
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)


class ApiKeyPageQuery(OffsetPageQuery):
    limit: int = Field(default=50, ge=1, le=500, description="Keys per page")


class UserSummary(BaseModel):
    user_id: str = Field(description="The account's id")
    email: str = Field(description="Its email address, as registered")
    name: str = Field(description="Its owner's name")
    roles: list[str] = Field(description="`user`, and `admin` for an administrator")
    created_at: datetime = Field(description="When it was registered (UTC)")
    disabled: bool = Field(description="True when an admin disabled it: it cannot log in")
    disabled_reason: str = Field(
        default="", description="The reason the admin gave; empty when not disabled"
    )
    email_verified: bool = Field(description="Whether its email address is verified")


class UserList(BaseModel):
    users: list[UserSummary] = Field(description="This page of accounts, oldest first")
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)


class UserPageQuery(LegacyOffsetPageQuery):
    limit: int = Field(default=50, ge=1, le=500, description="Accounts per page")
    email: str | None = Field(
        default=None,
        min_length=1,
        max_length=320,
        description="Only accounts whose email address contains this text (case ignored)",
    )
    handle: str | None = Field(
        default=None,
        min_length=1,
        max_length=31,
        description="Only the account with this public handle (a leading `@` and case are ignored)",
    )
    role: Literal["user", "admin"] | None = Field(
        default=None, description="Only accounts holding this role"
    )
    status: Literal["active", "disabled"] | None = Field(
        default=None, description="`active`: may log in; `disabled`: disabled by an admin"
    )
    verified: bool | None = Field(
        default=None,
        description="Only accounts whose email address is (true) or is not (false) verified",
    )

    def matching(self) -> UserFilter:
        return UserFilter(
            email_contains=self.email,
            handle=None if self.handle is None else normalise_handle(self.handle),
            role=self.role,
            disabled=None if self.status is None else self.status == "disabled",
            verified=self.verified,
        )


class ProfileUpdate(_Body):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name": "Ada King"}]}
    )

    name: str = Field(
        min_length=1,
        max_length=200,
        pattern=r"\S",
        description="Your name as others see it (at least one character that is not a space)",
    )


class RolesRequest(_Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"roles": ["user", "admin"]}]})

    roles: list[Literal["user", "admin"]] = Field(
        min_length=1,
        description="The account's roles from now on (replacing the old); you cannot take "
        "`admin` from yourself",
    )


class DisableRequest(_Body):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "reported for abuse, ticket 4211"}]}
    )

    reason: str = Field(min_length=1, max_length=300, description="Kept with the account")


def _service(req: AnyRequest) -> AccountService:
    return req.features.accounts.service


def register(req: ApiRequest[RegisterRequest]) -> Reply:
    body = req.body
    user = _service(req).register(body.email, body.password, body.name)
    return Reply(Registered(user_id=user.id), status=201, headers={"Location": "/v1/me"})


def _tokens(pair: TokenPair) -> Tokens:
    return Tokens.model_validate(pair, from_attributes=True)


def login(req: ApiRequest[LoginRequest]) -> Tokens:
    body = req.body
    email = normalise_email(body.email)
    throttle = LoginThrottle(req.features.rate_limiter, req.platform.settings.rate_limits)
    throttle.check(email, req.client_ip)
    try:
        return _tokens(_service(req).login(email, body.password))
    except Unauthenticated:
        throttle.failed(email, req.client_ip)
        raise


def refresh(req: ApiRequest[RefreshRequest]) -> Tokens:
    return _tokens(_service(req).refresh(req.body.refresh_token))


def logout(req: ApiRequest[RefreshRequest]) -> Reply:
    _service(req).logout(req.body.refresh_token)
    return Reply(status=204)


def logout_everywhere(req: ApiRequest) -> Reply:
    principal = req.require_principal()
    _service(req).end_sessions(principal.user_id, actor="user")
    return Reply(status=204)


def me(req: ApiRequest) -> Me:
    return _me(req)


def _me(req: AnyRequest) -> Me:
    principal = req.require_principal()
    user = _service(req).store.user_by_id(principal.user_id)
    if user is None:
        raise Unauthenticated("the account no longer exists")
    return Me(
        user_id=user.id,
        email=user.email,
        name=user.name,
        roles=list(user.roles),
        created_at=user.created_at,
        email_verified=user.verified,
        handle=user.handle,
    )


def update_profile(req: ApiRequest[ProfileUpdate]) -> Me:
    _service(req).set_name(req.require_principal().user_id, req.body.name.strip())
    return _me(req)


def set_handle(req: ApiRequest[HandleRequest]) -> Me:
    _service(req).set_handle(req.require_principal().user_id, req.body.handle)
    return _me(req)


def verify_email(req: ApiRequest[VerifyEmailRequest]) -> EmailVerifiedReply:
    body = req.body
    user, outcome = _service(req).verify_email(body.token)
    return EmailVerifiedReply(user_id=user.id, welcome_grant=outcome.welcome_grant)


def resend_verification(req: ApiRequest) -> Reply:
    _service(req).resend_verification(req.require_principal().user_id)
    return Reply({"detail": "a new verification link is on its way"}, status=202)


def request_password_reset(req: ApiRequest[ResetRequest]) -> Reply:
    _service(req).ask_password_reset(req.body.email)
    return Reply({"detail": "if the account exists, a reset link is on its way"}, status=202)


def confirm_password_reset(req: ApiRequest[ResetConfirm]) -> Reply:
    body = req.body
    _service(req).confirm_password_reset(body.token, body.new_password)
    return Reply(status=204)


def _key_info(key: ApiKey) -> ApiKeyInfo:
    return ApiKeyInfo.model_validate(key, from_attributes=True)


def create_api_key(req: ApiRequest[ApiKeyRequest]) -> Reply:
    body = req.body
    principal = req.require_principal()
    issued = _service(req).create_api_key(principal, body.name, tuple(sorted(set(body.scopes))))
    created = CreatedApiKey(**_key_info(issued.key).model_dump(), key=issued.secret)
    return Reply(created, status=201)


def list_api_keys(req: ApiRequest[None, ApiKeyPageQuery]) -> ApiKeyList:
    keys, next_cursor = slice_page(
        _service(req).store.api_keys(req.require_principal().user_id), req.query
    )
    return ApiKeyList(api_keys=[_key_info(k) for k in keys], next_cursor=next_cursor)


def revoke_api_key(req: ApiRequest) -> Reply:
    _service(req).revoke_api_key(req.require_principal().user_id, req.path_params["key_id"])
    return Reply(status=204)


def _summary(user: User) -> UserSummary:
    return UserSummary(
        user_id=user.id,
        email=user.email,
        name=user.name,
        roles=list(user.roles),
        created_at=user.created_at,
        disabled=user.disabled,
        disabled_reason=user.disabled_reason,
        email_verified=user.verified,
    )


def list_users(req: ApiRequest[None, UserPageQuery]) -> UserList:
    query = req.query
    skip = query.skip()
    users, next_cursor = offset_page(
        _service(req).store.list_users(query.limit + 1, skip, query.matching()), query, skip
    )
    return UserList(users=[_summary(u) for u in users], next_cursor=next_cursor)


def set_roles(req: ApiRequest[RolesRequest]) -> UserSummary:
    roles = tuple(sorted(set(req.body.roles)))
    user = _service(req).set_roles(req.require_principal(), req.path_params["user_id"], roles)
    return _summary(user)


def disable_user(req: ApiRequest[DisableRequest]) -> UserSummary:
    body = req.body
    user_id = req.path_params["user_id"]
    return _summary(_service(req).set_disabled(req.require_principal(), user_id, True, body.reason))


def enable_user(req: ApiRequest) -> UserSummary:
    user_id = req.path_params["user_id"]
    return _summary(_service(req).set_disabled(req.require_principal(), user_id, False, ""))


# -- guards ------------------------------------------------------------------------------
def authenticate(route: Route, req: AnyRequest) -> None:
    header = req.headers.get("authorization", "")
    token = req.headers.get("x-api-key") or (
        header[7:].strip() if header[:7].lower() == "bearer " else None
    )
    if not token:
        return
    try:
        principal = _service(req).principal_from_token(token)
    except Unauthenticated as exc:
        raise ApiError(
            401, exc.detail, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        ) from None
    if principal.via == "api_key":
        needed = (
            "admin"
            if route.auth == "admin"
            else ("write" if route.method in _WRITE_METHODS else "read")
        )
        if needed not in granted_scopes(principal):
            raise ApiError(403, f"this API key lacks the {needed!r} scope")
    req.principal = principal


def rate_limit(route: Route, req: AnyRequest) -> None:
    if not route.throttled:
        return  # probes and scrapes are never throttled
    category = route.rate_limit or "default"
    spec = (
        req.platform.settings.rate_limits.get(category)
        or req.platform.settings.rate_limits["default"]
    )
    client = req.principal.user_id if req.principal else f"ip:{req.client_ip}"
    _count(req, category, f"{category}:{route.method}:{route.path}:{client}", spec)
    # Reset requests are also counted per account, whatever address they come from (each
    # one mails the account). Logins count their failures per account in the handler
    # (login_limits.py), so right passwords never lock an account.
    if category in _COUNTED_PER_ACCOUNT:
        per_account = req.platform.settings.rate_limits.get(f"{category}-account")
        account = _account_in_body(req.raw_body) if per_account else None
        if per_account and account:
            _count(req, f"{category}-account", f"{category}-account:{account}", per_account)


_COUNTED_PER_ACCOUNT = ("password-reset",)


def _count(req: AnyRequest, category: str, key: str, spec: str) -> None:
    count, _, window = spec.partition("/")
    decision = req.features.rate_limiter.hit(key, int(count), int(window))
    if not decision.allowed:
        raise ApiError(
            429,
            f"too many requests ({category}: {count} per {window} s); retry in "
            f"{decision.retry_after} s",
            headers={"Retry-After": str(decision.retry_after)},
        )


def _account_in_body(raw: bytes) -> str | None:
    """The account a login or reset names (hashed: limiter keys hold no addresses). The
    body is validated later; here anything unreadable simply names no account."""
    try:
        email = json.loads(raw).get("email") if raw else None
    except (ValueError, AttributeError, RecursionError):
        return None
    if not isinstance(email, str) or not email.strip():
        return None
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()[:32]


GUARDS = [authenticate, rate_limit]

ROUTES = [
    route(
        "POST",
        "/v1/auth/register",
        register,
        "Create an account",
        "accounts",
        body=RegisterRequest,
        response=Registered,
        status=201,
        errors=(409,),
        rate_limit="auth",
    ),
    route(
        "POST",
        "/v1/auth/login",
        login,
        "Log in: access and refresh tokens",
        "accounts",
        body=LoginRequest,
        response=Tokens,
        errors=(401,),
        rate_limit="login",
    ),
    route(
        "POST",
        "/v1/auth/refresh",
        refresh,
        "Rotate a refresh token",
        "accounts",
        body=RefreshRequest,
        response=Tokens,
        errors=(401,),
        rate_limit="auth",
    ),
    route(
        "POST",
        "/v1/auth/logout",
        logout,
        "Revoke a session",
        "accounts",
        body=RefreshRequest,
        status=204,
        rate_limit="auth",
        description="Ends the sign-in the refresh token belongs to: its refresh tokens are "
        "revoked and its access tokens are refused from the next request, not when they "
        "expire. Other sign-ins of the account go on (`/v1/auth/logout-everywhere` ends all).",
    ),
    route(
        "POST",
        "/v1/auth/logout-everywhere",
        logout_everywhere,
        "End every session of the account (all access and refresh tokens)",
        "accounts",
        status=204,
        auth="user",
    ),
    route("GET", "/v1/me", me, "The caller's account", "accounts", response=Me, auth="user"),
    route(
        "PATCH",
        "/v1/me",
        update_profile,
        "Change the caller's profile: the name others see",
        "accounts",
        body=ProfileUpdate,
        response=Me,
        auth="user",
        description="The email address is changed by no route yet: it is the account's "
        "login and where its tokens are paid by address, so a change would need the new "
        "address verified first.",
    ),
    route(
        "PUT",
        "/v1/me/handle",
        set_handle,
        "Choose the public handle others may send tokens to",
        "accounts",
        body=HandleRequest,
        response=Me,
        auth="user",
        errors=(409,),
        description="Optional: without one, others can still pay you by your email address. "
        "A handle is public and unique; `@handle` then works as the `to` of a transfer.",
    ),
    route(
        "POST",
        "/v1/auth/verify-email",
        verify_email,
        "Verify the account's email address with the token from its link",
        "accounts",
        body=VerifyEmailRequest,
        response=EmailVerifiedReply,
        errors=(400,),
        rate_limit="auth",
        description="The welcome email links to the app's /verify-email page, which posts "
        "the token here. The first account of a mailbox to verify receives the welcome AIA; "
        "until then an account cannot send or receive transfers. Safe to repeat.",
    ),
    route(
        "POST",
        "/v1/auth/verify-email/resend",
        resend_verification,
        "Email a new verification link",
        "accounts",
        status=202,
        auth="user",
        errors=(409,),
        rate_limit="password-reset",
    ),
    route(
        "POST",
        "/v1/auth/password-reset",
        request_password_reset,
        "Email a password reset link",
        "accounts",
        body=ResetRequest,
        status=202,
        rate_limit="password-reset",
    ),
    route(
        "POST",
        "/v1/auth/password-reset/confirm",
        confirm_password_reset,
        "Set a new password with a reset token",
        "accounts",
        body=ResetConfirm,
        status=204,
        rate_limit="password-reset",
    ),
    route(
        "POST",
        "/v1/api-keys",
        create_api_key,
        "Create an API key (shown once)",
        "accounts",
        body=ApiKeyRequest,
        response=CreatedApiKey,
        status=201,
        auth="user",
    ),
    route(
        "GET",
        "/v1/api-keys",
        list_api_keys,
        "The caller's API keys",
        "accounts",
        query=ApiKeyPageQuery,
        response=ApiKeyList,
        auth="user",
    ),
    route(
        "DELETE",
        "/v1/api-keys/{key_id}",
        revoke_api_key,
        "Revoke an API key",
        "accounts",
        status=204,
        auth="user",
        errors=(404,),
    ),
    route(
        "GET",
        "/v1/admin/users",
        list_users,
        "Accounts, oldest first: all, or those matching a search",
        "admin",
        query=UserPageQuery,
        response=UserList,
        auth="admin",
    ),
    route(
        "PUT",
        "/v1/admin/users/{user_id}/roles",
        set_roles,
        "Set an account's roles",
        "admin",
        body=RolesRequest,
        response=UserSummary,
        auth="admin",
        errors=(404, 409),
    ),
    route(
        "POST",
        "/v1/admin/users/{user_id}/disable",
        disable_user,
        "Disable an account: it cannot log in and every session and key stops at once",
        "admin",
        body=DisableRequest,
        response=UserSummary,
        auth="admin",
        errors=(404, 409),
    ),
    route(
        "POST",
        "/v1/admin/users/{user_id}/enable",
        enable_user,
        "Enable a disabled account again",
        "admin",
        response=UserSummary,
        auth="admin",
        errors=(404, 409),
    ),
]
