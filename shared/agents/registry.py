"""The agent registry: one document per agent in `agents`, owned by the user who
registered it (tenant isolation through `OwnedCollection`), and one `agent_owners`
document per owner, which the weekly report pages through."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from shared.api.spec import Principal
from shared.errors import Conflict
from shared.ports.documents import Document, DocumentStore, Filter
from shared.tenancy import OwnedCollection

AGENTS = "agents"
OWNERS = "agent_owners"


class AgentLimitReached(Conflict):
    def __init__(self, limit: int) -> None:
        super().__init__(f"an owner may register at most {limit} agents", problem="agent-limit")


def owned_agents(store: DocumentStore, owner: Principal | str) -> OwnedCollection:
    return OwnedCollection(store, AGENTS, owner)


def register_agent(
    store: DocumentStore,
    owner_id: str,
    name: str,
    capabilities: Sequence[str],
    model_provider: str,
    *,
    limit: int,
    now: datetime,
) -> Document:
    """A new agent of `owner_id`; `AgentLimitReached` when the owner has `limit` already."""
    agents = owned_agents(store, owner_id)
    if len(agents.query()) >= limit:
        raise AgentLimitReached(limit)
    agent_id = uuid.uuid4().hex
    doc: Document = {
        "agent_id": agent_id,
        "name": name,
        "capabilities": list(capabilities),
        "model_provider": model_provider,
        "created_at": now.isoformat(),
    }
    agents.create(agent_id, doc)
    store.create(OWNERS, owner_id, {"owner_id": owner_id, "since": now.isoformat()})
    return {**doc, "owner_id": owner_id}


def list_agents(store: DocumentStore, owner_id: str) -> list[Document]:
    # filtered on owner_id alone (no composite index) and sorted here: owners have few
    return sorted(
        (doc for _, doc in owned_agents(store, owner_id).query()),
        key=lambda d: (d["created_at"], d["agent_id"]),
    )


def agent_names(store: DocumentStore, agent_ids: Sequence[str]) -> dict[str, Document]:
    """Agents by id, whoever owns them (for rankings, which show owner-free fields only)."""
    found: dict[str, Document] = {}
    for agent_id in agent_ids:
        doc = store.get(AGENTS, agent_id)
        if doc is not None:
            found[agent_id] = doc
    return found


def owners_page(store: DocumentStore, after: str, size: int) -> list[str]:
    """Owner ids in order, after `after` ("" for the first page)."""
    where: list[Filter] = [("owner_id", ">", after)] if after else []
    rows = store.query(OWNERS, where, order_by="owner_id", limit=size)
    return [doc["owner_id"] for _, doc in rows]


def created_at(doc: Document) -> datetime:
    return datetime.fromisoformat(doc["created_at"])
