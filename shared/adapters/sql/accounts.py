"""Accounts in SQL (Cloud SQL PostgreSQL in production, SQLite embedded)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Row,
    and_,
    func,
    insert,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.exc import IntegrityError

from shared.accounts.records import (
    NO_FILTER,
    ApiKey,
    EmailTaken,
    HandleTaken,
    PasswordReset,
    RefreshToken,
    User,
    UserFilter,
    Verification,
)
from shared.adapters.sql.database import insert_or_ignore
from shared.adapters.sql.outbox import stage
from shared.adapters.sql.schema import (
    api_keys,
    password_resets,
    refresh_tokens,
    users,
    welcome_grants,
)
from shared.events.envelope import Event


def _user(row: Row[Any]) -> User:
    return User(
        id=row.id,
        email=row.email,
        name=row.name,
        password_hash=row.password_hash,
        roles=tuple(r for r in row.roles.split(",") if r),
        created_at=row.created_at,
        disabled=bool(row.disabled),
        email_verified_at=row.email_verified_at,
        token_version=int(row.token_version),
        disabled_at=row.disabled_at,
        disabled_reason=row.disabled_reason,
        handle=row.handle,
    )


def _api_key(row: Row[Any]) -> ApiKey:
    return ApiKey(
        id=row.id,
        user_id=row.user_id,
        name=row.name,
        prefix=row.prefix,
        key_hash=row.key_hash,
        scopes=tuple(s for s in row.scopes.split(",") if s),
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


def _matching(matching: UserFilter) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if matching.email_contains is not None:
        conditions.append(
            func.lower(users.c.email).contains(matching.email_contains.lower(), autoescape=True)
        )
    if matching.handle is not None:
        conditions.append(users.c.handle == matching.handle)
    if matching.role is not None:
        # roles are kept as "admin,user": a role matches whole, between commas
        listed = literal(",") + users.c.roles + literal(",")
        conditions.append(listed.contains(f",{matching.role},", autoescape=True))
    if matching.disabled is not None:
        conditions.append(users.c.disabled.is_(matching.disabled))
    if matching.verified is not None:
        verified_at = users.c.email_verified_at
        conditions.append(verified_at.is_not(None) if matching.verified else verified_at.is_(None))
    return and_(true(), *conditions)


class SqlAccountStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add_user(self, user: User, events: Sequence[Event] = ()) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(users).values(
                        id=user.id,
                        email=user.email,
                        name=user.name,
                        password_hash=user.password_hash,
                        roles=",".join(user.roles),
                        created_at=user.created_at,
                        disabled=user.disabled,
                        email_verified_at=user.email_verified_at,
                        token_version=user.token_version,
                    )
                )
                stage(conn, events)
        except IntegrityError:
            raise EmailTaken(user.email) from None

    def _one_user(self, where: Any) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(where)).first()
        return None if row is None else _user(row)

    def user_by_id(self, user_id: str) -> User | None:
        return self._one_user(users.c.id == user_id)

    def user_by_email(self, email: str) -> User | None:
        return self._one_user(users.c.email == email)

    def user_by_handle(self, handle: str) -> User | None:
        return self._one_user(users.c.handle == handle)

    def set_handle(self, user_id: str, handle: str | None) -> bool:
        try:
            with self.engine.begin() as conn:
                result = conn.execute(
                    update(users).where(users.c.id == user_id).values(handle=handle)
                )
        except IntegrityError:
            raise HandleTaken(handle or "") from None
        return result.rowcount == 1

    def list_users(self, limit: int, offset: int, matching: UserFilter = NO_FILTER) -> list[User]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(users)
                .where(_matching(matching))
                .order_by(users.c.created_at, users.c.id)
                .limit(limit)
                .offset(offset)
            ).all()
        return [_user(r) for r in rows]

    def set_name(self, user_id: str, name: str) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(update(users).where(users.c.id == user_id).values(name=name))
        return result.rowcount == 1

    def verify_email(
        self,
        user_id: str,
        email: str,
        mailbox_digest: str,
        at: datetime,
        event_for: Callable[[bool], Event],
    ) -> Verification | None:
        with self.engine.begin() as conn:
            row = conn.execute(
                select(users.c.email_verified_at)
                .where(and_(users.c.id == user_id, users.c.email == email))
                .with_for_update()
            ).first()
            if row is None:
                return None
            if row.email_verified_at is not None:
                return Verification(newly=False, welcome_grant=False)
            conn.execute(update(users).where(users.c.id == user_id).values(email_verified_at=at))
            # RETURNING, not rowcount: psycopg reports no row count for ON CONFLICT
            grant = (
                conn.execute(
                    insert_or_ignore(self.engine, welcome_grants)
                    .values(mailbox_digest=mailbox_digest, user_id=user_id, granted_at=at)
                    .on_conflict_do_nothing(index_elements=["mailbox_digest"])
                    .returning(welcome_grants.c.user_id)
                ).scalar()
                is not None
            )
            stage(conn, [event_for(grant)])
        return Verification(newly=True, welcome_grant=grant)

    def end_sessions(
        self, user_id: str, at: datetime, events: Sequence[Event] = (), password_hash: str = ""
    ) -> bool:
        changes: dict[str, Any] = {"token_version": users.c.token_version + 1}
        if password_hash:
            changes["password_hash"] = password_hash
        with self.engine.begin() as conn:
            result = conn.execute(update(users).where(users.c.id == user_id).values(**changes))
            if result.rowcount != 1:
                return False
            _revoke_refresh_tokens(conn, user_id, at)
            stage(conn, events)
        return True

    def set_disabled(
        self, user_id: str, disabled: bool, reason: str, at: datetime, events: Sequence[Event]
    ) -> bool:
        changes: dict[str, Any] = {
            "disabled": disabled,
            "disabled_at": at if disabled else None,
            "disabled_reason": reason if disabled else "",
        }
        if disabled:
            changes["token_version"] = users.c.token_version + 1
        with self.engine.begin() as conn:
            result = conn.execute(update(users).where(users.c.id == user_id).values(**changes))
            if result.rowcount != 1:
                return False
            if disabled:
                _revoke_refresh_tokens(conn, user_id, at)
            stage(conn, events)
        return True

    def set_password(self, user_id: str, password_hash: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(users).where(users.c.id == user_id).values(password_hash=password_hash)
            )

    def set_roles(self, user_id: str, roles: tuple[str, ...]) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(
                update(users).where(users.c.id == user_id).values(roles=",".join(roles))
            )
        return result.rowcount == 1

    def add_refresh_token(self, token: RefreshToken) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(refresh_tokens).values(
                    token_hash=token.token_hash,
                    user_id=token.user_id,
                    family_id=token.family_id,
                    issued_at=token.issued_at,
                    expires_at=token.expires_at,
                )
            )

    def refresh_token(self, token_hash: str) -> RefreshToken | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash)
            ).first()
        if row is None:
            return None
        return RefreshToken(
            token_hash=row.token_hash,
            user_id=row.user_id,
            family_id=row.family_id,
            issued_at=row.issued_at,
            expires_at=row.expires_at,
            used_at=row.used_at,
            revoked_at=row.revoked_at,
        )

    def use_refresh_token(self, token_hash: str, at: datetime) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(
                update(refresh_tokens)
                .where(
                    and_(
                        refresh_tokens.c.token_hash == token_hash,
                        refresh_tokens.c.used_at.is_(None),
                        refresh_tokens.c.revoked_at.is_(None),
                    )
                )
                .values(used_at=at)
            )
        return result.rowcount == 1

    def session_ended(self, family_id: str) -> bool:
        with self.engine.connect() as conn:
            ended = conn.execute(
                select(refresh_tokens.c.token_hash)
                .where(
                    and_(
                        refresh_tokens.c.family_id == family_id,
                        refresh_tokens.c.revoked_at.is_not(None),
                    )
                )
                .limit(1)
            ).first()
        return ended is not None

    def revoke_family(self, family_id: str, at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(refresh_tokens)
                .where(
                    and_(
                        refresh_tokens.c.family_id == family_id,
                        refresh_tokens.c.revoked_at.is_(None),
                    )
                )
                .values(revoked_at=at)
            )

    def stage(self, events: Sequence[Event]) -> None:
        with self.engine.begin() as conn:
            stage(conn, events)

    def add_reset(self, reset: PasswordReset, events: Sequence[Event] = ()) -> bool:
        with self.engine.begin() as conn:
            added = conn.execute(
                insert_or_ignore(self.engine, password_resets)
                .values(
                    token_hash=reset.token_hash, user_id=reset.user_id, expires_at=reset.expires_at
                )
                .on_conflict_do_nothing(index_elements=["token_hash"])
                .returning(password_resets.c.token_hash)
            ).scalar()
            if added is None:
                return False
            stage(conn, events)
        return True

    def reset(self, token_hash: str, at: datetime) -> PasswordReset | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(password_resets).where(
                    and_(
                        password_resets.c.token_hash == token_hash,
                        password_resets.c.used_at.is_(None),
                        password_resets.c.expires_at > at,
                    )
                )
            ).first()
        return None if row is None else PasswordReset(row.token_hash, row.user_id, row.expires_at)

    def use_reset(self, token_hash: str, at: datetime) -> PasswordReset | None:
        with self.engine.begin() as conn:
            result = conn.execute(
                update(password_resets)
                .where(
                    and_(
                        password_resets.c.token_hash == token_hash,
                        password_resets.c.used_at.is_(None),
                        password_resets.c.expires_at > at,
                    )
                )
                .values(used_at=at)
            )
            if result.rowcount != 1:
                return None
            row = conn.execute(
                select(password_resets).where(password_resets.c.token_hash == token_hash)
            ).one()
        return PasswordReset(row.token_hash, row.user_id, row.expires_at, row.used_at)

    def add_api_key(self, key: ApiKey) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(api_keys).values(
                    id=key.id,
                    user_id=key.user_id,
                    name=key.name,
                    prefix=key.prefix,
                    key_hash=key.key_hash,
                    scopes=",".join(key.scopes),
                    created_at=key.created_at,
                )
            )

    def api_key_by_prefix(self, prefix: str) -> ApiKey | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.prefix == prefix)).first()
        return None if row is None else _api_key(row)

    def api_keys(self, user_id: str) -> list[ApiKey]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(api_keys)
                .where(api_keys.c.user_id == user_id)
                .order_by(api_keys.c.created_at)
            ).all()
        return [_api_key(r) for r in rows]

    def revoke_api_key(self, user_id: str, key_id: str, at: datetime) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(
                update(api_keys)
                .where(
                    and_(
                        api_keys.c.id == key_id,
                        api_keys.c.user_id == user_id,
                        api_keys.c.revoked_at.is_(None),
                    )
                )
                .values(revoked_at=at)
            )
        return result.rowcount == 1


def _revoke_refresh_tokens(conn: Connection, user_id: str, at: datetime) -> None:
    conn.execute(
        update(refresh_tokens)
        .where(and_(refresh_tokens.c.user_id == user_id, refresh_tokens.c.revoked_at.is_(None)))
        .values(revoked_at=at)
    )
