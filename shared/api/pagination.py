"""One way to page every list (ADR 0026): `?limit=N&cursor=C`, answered with `next_cursor`,
null on the last page. A cursor is opaque to clients: base64url of the position after the
last item handed out, whose shape each list declares (`positions`) and checks on the way
back in, so a cursor forged, truncated or taken from another list is a 400 naming `cursor`.

The parameters lists had before (`offset`, `before`) still work for one release: each is
read into the same position and checked by the same type as a cursor's."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from shared.api.params import Offset

T = TypeVar("T")

PAGINATION_GUIDE = (
    "**Pagination.** Every list takes `limit` (items per page) and `cursor`, and answers "
    "`next_cursor`: pass it as `cursor` to get the next page; it is `null` on the last page. "
    "Cursors are opaque: do not build or edit them. Walking a list this way gives each item "
    "once. The older `offset` and `before` parameters (and `next_before` in answers) still "
    "work until the next release and are marked deprecated."
)
CURSOR_DESCRIPTION = (
    "The `next_cursor` of the previous page, as it was given; omit it for the first page"
)
NEXT_CURSOR_DESCRIPTION = "Pass as `cursor` to get the next page; null when this page is the last"
_MAX_CURSOR = 400


def encode_cursor(position: Sequence[Any]) -> str:
    """The cursor naming `position` (JSON scalars; datetimes as ISO 8601)."""
    text = json.dumps(
        [p.isoformat() if isinstance(p, datetime) else p for p in position],
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, positions: TypeAdapter[T]) -> T:
    """The position a cursor names, checked by the list's own position type."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise ValueError("not a cursor this list handed out") from None
    try:
        return positions.validate_python(raw)
    except ValidationError:
        raise ValueError("not a cursor this list handed out") from None


def deprecated(description: str, **constraints: Any) -> Any:
    """A parameter kept for one release: documented as deprecated, defaulting to unset."""
    return Field(
        default=None,
        description=f"Deprecated, use `cursor`. {description}",
        json_schema_extra={"deprecated": True},
        **constraints,
    )


class PageQuery(BaseModel):
    """`limit` and `cursor`; a list subclasses it, naming its `positions` (and may override
    `limit`'s bounds). `start()` is where the page begins: None for the first page."""

    model_config = ConfigDict(extra="forbid")
    positions: ClassVar[TypeAdapter[Any]] = TypeAdapter(tuple[Offset])

    limit: int = Field(default=50, ge=1, le=500, description="Items per page")
    cursor: str | None = Field(
        default=None, min_length=1, max_length=_MAX_CURSOR, description=CURSOR_DESCRIPTION
    )

    @field_validator("cursor")
    @classmethod
    def _handed_out(cls, value: str | None) -> str | None:
        if value is not None:
            decode_cursor(value, cls.positions)
        return value

    def start(self) -> Any:
        if self.cursor is not None:
            return decode_cursor(self.cursor, self.positions)
        return self.legacy_start()

    def legacy_start(self) -> Any:
        """Where a deprecated parameter (`offset`, `before`) says the page begins."""
        return None


class OffsetPageQuery(PageQuery):
    """A list in a stable order, paged by position in it."""

    def skip(self) -> int:
        start = self.start()
        return 0 if start is None else int(start[0])


class LegacyOffsetPageQuery(OffsetPageQuery):
    """A list that took `offset` before cursors: kept, deprecated, for one release."""

    offset: Offset | None = deprecated("Items to skip from the start of the list")

    @field_validator("offset")
    @classmethod
    def _not_both(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and info.data.get("cursor") is not None:
            raise ValueError("give `cursor` or `offset`, not both")
        return value

    def legacy_start(self) -> Any:
        return None if self.offset is None else (self.offset,)


def offset_page(items: Sequence[T], query: PageQuery, skip: int) -> tuple[list[T], str | None]:
    """One page of `items`, fetched from position `skip` with one more than `limit` (so
    the last page is known without another request), and the cursor after it."""
    page = list(items[: query.limit])
    more = len(items) > query.limit
    return page, encode_cursor((skip + len(page),)) if more else None


def slice_page(items: Sequence[T], query: OffsetPageQuery) -> tuple[list[T], str | None]:
    """A page of a list already held whole (bounded lists: an owner's agents, keys)."""
    skip = query.skip()
    return offset_page(items[skip : skip + query.limit + 1], query, skip)
