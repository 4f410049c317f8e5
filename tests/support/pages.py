"""Walking a paged list the way a client does: follow `next_cursor` until it is null."""

from __future__ import annotations

from typing import Any

from tests.support.api import UserClient


def walk(client: UserClient, path: str, key: str, *, limit: int, **query: Any) -> list[Any]:
    """Every item of the list, page by page; fails on a page over `limit` or a loop."""
    items: list[Any] = []
    cursor: str | None = None
    seen: set[str] = set()
    while True:
        params = {**query, "limit": limit, **({"cursor": cursor} if cursor else {})}
        page = client.get(path, query_string=params)
        assert page.status_code == 200, page.get_data(as_text=True)
        assert len(page.json[key]) <= limit
        items.extend(page.json[key])
        cursor = page.json["next_cursor"]
        if cursor is None:
            return items
        assert cursor not in seen, "a cursor came back twice"
        seen.add(cursor)
