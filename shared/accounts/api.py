"""HTTP routes of the accounts feature, and the guards every route passes through:
authentication (bearer JWT, or an API key as bearer or X-API-Key) and rate limits."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from shared.accounts.addresses import RegistrableEmail
from shared.accounts.records import ApiKey, User
from shared.accounts.service import AccountService, TokenPair, granted_scopes, normalise_email
from shared.api.params import Offset
from shared.api.spec import AnyRequest, ApiError, ApiRequest, Reply, Route, route
from shared.errors import Unauthenticated

Scope = Literal["read", "write", "admin"]
_WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class RegisterRequest(_Body):
    email: RegistrableEmail
    password: str = Field(min_length=1, max_length=1024, json_schema_extra={"format": "password"})
    name: str = Field(min_length=1, max_length=200)


class Registered(BaseModel):
    user_id: str


class LoginRequest(_Body):
    email: EmailStr
    password: str = Field(min_length=1, max_length=1024, json_schema_extra={"format": "password"})


class Tokens(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int


class RefreshRequest(_Body):
    refresh_token: str = Field(min_length=10, max_length=200)


class Me(BaseModel):
    user_id: str
    email: str
    name: str
    roles: list[str]
    created_at: datetime
    email_verified: bool = Field(
        description="Until the address is verified the account cannot send or receive "
        "transfers and has not received its welcome AIA"
    )


class VerifyEmailRequest(_Body):
    token: str = Field(
        min_length=10, max_length=2000, description="The token from the link in the welcome email"
    )


class EmailVerifiedReply(BaseModel):
    user_id: str
    email_verified: Literal[True] = True
    welcome_grant: bool = Field(
        description="True when this verification pays the welcome AIA (once per mailbox)"
    )


class ResetRequest(_Body):
    email: EmailStr


class ResetConfirm(_Body):
    token: str = Field(min_length=10, max_length=200)
    new_password: str = Field(
        min_length=1, max_length=1024, json_schema_extra={"format": "password"}
    )


class ApiKeyRequest(_Body):
    name: str = Field(min_length=1, max_length=100)
    scopes: list[Scope] = Field(default=["read"], min_length=1)


class ApiKeyInfo(BaseModel):
    id: str
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    revoked_at: datetime | None = None


class CreatedApiKey(ApiKeyInfo):
    key: str = Field(description="The secret; shown this once, stored only as a hash.")


class ApiKeyList(BaseModel):
    api_keys: list[ApiKeyInfo]


class UserSummary(BaseModel):
    user_id: str
    email: str
    name: str
    roles: list[str]
    created_at: datetime
    disabled: bool
    disabled_reason: str = ""
    email_verified: bool


class UserList(BaseModel):
    users: list[UserSummary]


class Page(BaseModel):
    limit: int = Field(default=50, ge=1, le=500)
    offset: Offset = 0


class RolesRequest(_Body):
    roles: list[Literal["user", "admin"]] = Field(min_length=1)


class DisableRequest(_Body):
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
    return _tokens(_service(req).login(body.email, body.password))


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
    )


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


def list_api_keys(req: ApiRequest) -> ApiKeyList:
    keys = _service(req).store.api_keys(req.require_principal().user_id)
    return ApiKeyList(api_keys=[_key_info(k) for k in keys])


def revoke_api_key(req: ApiRequest) -> Reply:
    service = _service(req)
    key_id = req.path_params["key_id"]
    if not service.store.revoke_api_key(
        req.require_principal().user_id, key_id, service.clock.now()
    ):
        raise ApiError(404, f"no API key with id {key_id}")
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


def list_users(req: ApiRequest[None, Page]) -> UserList:
    page = req.query
    return UserList(
        users=[_summary(u) for u in _service(req).store.list_users(page.limit, page.offset)]
    )


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
    _count(req, f"{category}:{route.method}:{route.path}:{client}", spec)
    # Logins and resets are also counted per account, whatever address they come from:
    # a password guessed from many addresses is throttled like one guessed from one.
    per_account = req.platform.settings.rate_limits.get(f"{category}-account")
    account = _account_in_body(req.raw_body) if per_account else None
    if per_account and account:
        _count(req, f"{category}-account:{account}", per_account)


def _count(req: AnyRequest, key: str, spec: str) -> None:
    count, _, window = spec.partition("/")
    decision = req.features.accounts.limiter.hit(key, int(count), int(window))
    if not decision.allowed:
        raise ApiError(
            429,
            f"too many requests; retry in {decision.retry_after} s",
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
        "All accounts",
        "admin",
        query=Page,
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
