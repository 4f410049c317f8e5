"""HTTP routes of the accounts feature, and the guards every route passes through:
authentication (bearer JWT, or an API key as bearer or X-API-Key) and rate limits."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from shared.accounts.compose import accounts
from shared.accounts.records import ApiKey, User
from shared.accounts.service import AccountError, AccountService, TokenPair
from shared.api.spec import ApiError, ApiRequest, FieldError, Reply, Route

Scope = Literal["read", "write", "admin"]
_WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class RegisterRequest(_Body):
    email: EmailStr
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


class UserList(BaseModel):
    users: list[UserSummary]


class Page(BaseModel):
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0)


class RolesRequest(_Body):
    roles: list[Literal["user", "admin"]] = Field(min_length=1)


def _service(req: ApiRequest) -> AccountService:
    return accounts(req.platform).service


def _problem(error: AccountError) -> ApiError:
    errors = [FieldError(error.field, error.detail)] if error.field else None
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    return ApiError(error.status, error.detail, errors=errors, headers=headers)


def register(req: ApiRequest) -> Reply:
    body: RegisterRequest = req.body
    try:
        user = _service(req).register(body.email, body.password, body.name)
    except AccountError as exc:
        raise _problem(exc) from None
    return Reply(Registered(user_id=user.id), status=201, headers={"Location": "/v1/me"})


def _tokens(pair: TokenPair) -> Tokens:
    return Tokens.model_validate(pair, from_attributes=True)


def login(req: ApiRequest) -> Tokens:
    body: LoginRequest = req.body
    try:
        return _tokens(_service(req).login(body.email, body.password))
    except AccountError as exc:
        raise _problem(exc) from None


def refresh(req: ApiRequest) -> Tokens:
    try:
        return _tokens(_service(req).refresh(req.body.refresh_token))
    except AccountError as exc:
        raise _problem(exc) from None


def logout(req: ApiRequest) -> Reply:
    _service(req).logout(req.body.refresh_token)
    return Reply(status=204)


def me(req: ApiRequest) -> Me:
    principal = req.require_principal()
    user = _service(req).store.user_by_id(principal.user_id)
    if user is None:
        raise ApiError(401, "the account no longer exists")
    return Me(
        user_id=user.id,
        email=user.email,
        name=user.name,
        roles=list(user.roles),
        created_at=user.created_at,
    )


def request_password_reset(req: ApiRequest) -> Reply:
    _service(req).request_password_reset(req.body.email)
    return Reply({"detail": "if the account exists, a reset link is on its way"}, status=202)


def confirm_password_reset(req: ApiRequest) -> Reply:
    body: ResetConfirm = req.body
    try:
        _service(req).confirm_password_reset(body.token, body.new_password)
    except AccountError as exc:
        raise _problem(exc) from None
    return Reply(status=204)


def _key_info(key: ApiKey) -> ApiKeyInfo:
    return ApiKeyInfo.model_validate(key, from_attributes=True)


def create_api_key(req: ApiRequest) -> Reply:
    body: ApiKeyRequest = req.body
    principal = req.require_principal()
    if "admin" in body.scopes and not principal.is_admin:
        raise ApiError(403, "only admins can create keys with the admin scope")
    issued = _service(req).create_api_key(principal.user_id, body.name, tuple(body.scopes))
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
    )


def list_users(req: ApiRequest) -> UserList:
    page: Page = req.query
    return UserList(
        users=[_summary(u) for u in _service(req).store.list_users(page.limit, page.offset)]
    )


def set_roles(req: ApiRequest) -> UserSummary:
    service = _service(req)
    user_id = req.path_params["user_id"]
    if not service.store.set_roles(user_id, tuple(sorted(set(req.body.roles)))):
        raise ApiError(404, f"no user with id {user_id}")
    user = service.store.user_by_id(user_id)
    if user is None:
        raise ApiError(404, f"no user with id {user_id}")
    return _summary(user)


# -- guards ------------------------------------------------------------------------------
def authenticate(route: Route, req: ApiRequest) -> None:
    header = req.headers.get("authorization", "")
    token = req.headers.get("x-api-key") or (
        header[7:].strip() if header[:7].lower() == "bearer " else None
    )
    if not token:
        return
    try:
        principal = _service(req).principal_from_token(token)
    except AccountError as exc:
        raise ApiError(
            401, exc.detail, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        ) from None
    if principal.via == "api_key":
        needed = (
            "admin"
            if route.auth == "admin"
            else ("write" if route.method in _WRITE_METHODS else "read")
        )
        granted = set(principal.scopes)
        if "admin" in granted:
            granted |= {"write", "read"}
        if "write" in granted:
            granted.add("read")
        if needed not in granted:
            raise ApiError(403, f"this API key lacks the {needed!r} scope")
    req.principal = principal


def rate_limit(route: Route, req: ApiRequest) -> None:
    if not route.throttled:
        return  # probes and scrapes are never throttled
    category = route.rate_limit or "default"
    spec = (
        req.platform.settings.rate_limits.get(category)
        or req.platform.settings.rate_limits["default"]
    )
    count, _, window = spec.partition("/")
    client = req.principal.user_id if req.principal else f"ip:{req.client_ip}"
    decision = accounts(req.platform).limiter.hit(
        f"{category}:{route.method}:{route.path}:{client}", int(count), int(window)
    )
    if not decision.allowed:
        raise ApiError(
            429,
            f"too many requests; retry in {decision.retry_after} s",
            headers={"Retry-After": str(decision.retry_after)},
        )


GUARDS = [authenticate, rate_limit]

ROUTES = [
    Route(
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
    Route(
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
    Route(
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
    Route(
        "POST",
        "/v1/auth/logout",
        logout,
        "Revoke a session",
        "accounts",
        body=RefreshRequest,
        status=204,
        rate_limit="auth",
    ),
    Route("GET", "/v1/me", me, "The caller's account", "accounts", response=Me, auth="user"),
    Route(
        "POST",
        "/v1/auth/password-reset",
        request_password_reset,
        "Email a password reset link",
        "accounts",
        body=ResetRequest,
        status=202,
        rate_limit="password-reset",
    ),
    Route(
        "POST",
        "/v1/auth/password-reset/confirm",
        confirm_password_reset,
        "Set a new password with a reset token",
        "accounts",
        body=ResetConfirm,
        status=204,
        rate_limit="password-reset",
    ),
    Route(
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
    Route(
        "GET",
        "/v1/api-keys",
        list_api_keys,
        "The caller's API keys",
        "accounts",
        response=ApiKeyList,
        auth="user",
    ),
    Route(
        "DELETE",
        "/v1/api-keys/{key_id}",
        revoke_api_key,
        "Revoke an API key",
        "accounts",
        status=204,
        auth="user",
        errors=(404,),
    ),
    Route(
        "GET",
        "/v1/admin/users",
        list_users,
        "All accounts",
        "admin",
        query=Page,
        response=UserList,
        auth="admin",
    ),
    Route(
        "PUT",
        "/v1/admin/users/{user_id}/roles",
        set_roles,
        "Set an account's roles",
        "admin",
        body=RolesRequest,
        response=UserSummary,
        auth="admin",
        errors=(404,),
    ),
]
