"""Whatever the API offers a person, a page does (issue 16: "a person with no curl can do
everything the API offers from the browser"). Each operation of the API names the page that
does it, or why no person needs one; a new route without an entry fails here, as does an
entry naming a page that does not exist."""

from __future__ import annotations

from shared.adapters.http.catalog import all_routes
from shared.web.catalog import all_pages

MACHINE = "not for people: "
BY_OPERATION: dict[str, str] = {
    # probes, the reference, and what machines call
    "GET /health": MACHINE + "a liveness probe",
    "GET /ready": MACHINE + "a readiness probe (per backend on /admin/health)",
    "GET /metrics": MACHINE + "Prometheus scrapes it (error rates on /admin/health)",
    "GET /v1/admin/readiness": "/admin/health",
    "GET /openapi.json": MACHINE + "the machine-readable reference (people read /docs)",
    "GET /docs": MACHINE + "the API reference is itself a page for people who script",
    "GET /docs/assets/{name}": MACHINE + "the reference page's assets",
    "POST /v1/payments/stripe/webhook": MACHINE + "Stripe calls it",
    "POST /v1/emails/webhooks/sendgrid": MACHINE + "the mail provider calls it",
    "GET /v1/simulations/{id}/charts/{metric}.svg": MACHINE + "a chart image inside emails",
    "GET /v1/agents/reports/{report_id}/chart.svg": MACHINE + "a chart image inside emails",
    "GET /v1/emails/unsubscribe": MACHINE + "itself the page an email's link opens",
    "POST /v1/emails/unsubscribe": MACHINE + "RFC 8058 one-click, sent by mail clients",
    # accounts
    "POST /v1/auth/register": "/register",
    "POST /v1/auth/login": "/sign-in",
    "POST /v1/auth/refresh": MACHINE + "the browser session is renewed by signing in",
    "POST /v1/auth/logout": "/sign-out",
    "POST /v1/auth/logout-everywhere": "/settings/sign-out-everywhere",
    "GET /v1/me": "/settings/profile",
    "PATCH /v1/me": "/settings/profile",
    "PUT /v1/me/handle": "/settings/profile",
    "POST /v1/auth/verify-email": "/verify-email",
    "POST /v1/auth/verify-email/resend": "/settings/verify-email/resend",
    "POST /v1/auth/password-reset": "/reset-password",
    "POST /v1/auth/password-reset/confirm": "/reset-password",
    "POST /v1/api-keys": "/settings/api-keys",
    "GET /v1/api-keys": "/settings/api-keys",
    "DELETE /v1/api-keys/{key_id}": "/settings/api-keys/{key_id}/revoke",
    "GET /v1/admin/users": "/admin/users",
    "PUT /v1/admin/users/{user_id}/roles": "/admin/users/{user_id}",
    "POST /v1/admin/users/{user_id}/disable": "/admin/users/{user_id}",
    "POST /v1/admin/users/{user_id}/enable": "/admin/users/{user_id}",
    # wallet, ledger, payments
    "GET /v1/wallet": "/wallet",
    "POST /v1/wallet/transfers": "/wallet/transfer",
    "GET /v1/wallet/history": "/wallet",
    "POST /v1/wallet/stake": "/wallet/staking",
    "POST /v1/wallet/unstake": "/wallet/staking",
    "POST /v1/admin/mint": "/admin/tokens",
    "POST /v1/admin/burn": "/admin/tokens",
    "POST /v1/admin/wallets/{user_id}/freeze": "/admin/users/{user_id}",
    "GET /v1/admin/ledger/supply": "/admin/tokens",
    "GET /v1/admin/ledger/reconciliation": "/admin/ledger",
    "GET /v1/admin/ledger/audit": "/admin/tokens",
    "GET /v1/payments/packs": "/wallet/buy",
    "POST /v1/payments/checkout": "/wallet/buy",
    "GET /v1/payments/checkout/{session_id}": "/wallet/buy/return",
    # operations
    "GET /v1/admin/workflows/executions": "/admin/runs",
    "GET /v1/admin/dead-letters": "/admin/dead-letters",
    "POST /v1/admin/dead-letters/{dead_letter_id}/replay": "/admin/dead-letters/{dead_letter_id}",
    "GET /v1/admin/events/backlog": "/admin/health",
    "GET /v1/admin/simulations/in-flight": "/admin/runs",
    # venture
    "GET /v1/venture/sectors": "/venture/market",
    "POST /v1/venture/datasets": "/venture/datasets",
    "GET /v1/venture/datasets": "/venture/datasets",
    "POST /v1/venture/market-analysis": "/venture/market",
    "POST /v1/venture/competitive-landscape": "/venture/competition",
    "POST /v1/venture/mvp-blueprint": "/venture/blueprint",
    "POST /v1/venture/resource-plan": "/venture/resources",
    "POST /v1/venture/reports": "/venture/reports/new",
    "GET /v1/venture/reports": "/venture/reports",
    "GET /v1/venture/reports/{report_id}": "/venture/reports/{report_id}",
    "GET /v1/venture/usage": "/admin/venture",
    # email
    "GET /v1/emails/templates": "/admin/email/templates",
    "GET /v1/emails/templates/{name}/preview": "/admin/email/templates/{name}",
    "POST /v1/emails/send": "/admin/email/send",
    "GET /v1/emails/preferences": "/settings/email",
    "PUT /v1/emails/preferences": "/settings/email",
    "GET /v1/admin/email/suppressions": "/admin/email",
    "POST /v1/admin/email/suppressions/{suppression_id}/lift": "/admin/email",
    "GET /v1/admin/email/stats": "/admin/email",
    # governance
    "GET /v1/governance/parameters": "/governance/proposals/new",
    "POST /v1/governance/delegate": "/governance/delegation",
    "GET /v1/governance/voting-power": "/governance",
    "POST /v1/governance/proposals": "/governance/proposals/new",
    "GET /v1/governance/proposals": "/governance",
    "GET /v1/governance/proposals/{proposal_id}": "/governance/proposals/{proposal_id}",
    "GET /v1/governance/proposals/{proposal_id}/votes": "/governance/proposals/{proposal_id}",
    "POST /v1/governance/proposals/{proposal_id}/votes": "/governance/proposals/{proposal_id}",
    "POST /v1/governance/proposals/{proposal_id}/cancel": "/governance/proposals/{proposal_id}",
    "POST /v1/governance/proposals/{proposal_id}/queue": "/governance/proposals/{proposal_id}",
    "POST /v1/governance/proposals/{proposal_id}/execute": "/governance/proposals/{proposal_id}",
    "GET /v1/governance/proposals/{proposal_id}/impact": (
        "/governance/proposals/{proposal_id}/impact"
    ),
    "GET /v1/governance/impact-quote": "/governance/proposals/new",
    # agents
    "POST /v1/agents": "/agents",
    "GET /v1/agents": "/agents",
    "GET /v1/agents/rankings": "/agents/rankings",
    "GET /v1/agents/{agent_id}": "/agents/{agent_id}",
    "POST /v1/agents/{agent_id}/performance": "/agents/{agent_id}",
    "GET /v1/agents/{agent_id}/rewards": "/agents/{agent_id}",
    # knowledge graph
    "POST /v1/graph/compatibility": "/knowledge/compatibility",
    "POST /v1/graph/pitfalls": "/knowledge/compatibility",
    "POST /v1/graph/pathways": "/knowledge/pathway",
    "GET /v1/graph/nodes": "/knowledge",
    "GET /v1/graph/nodes/{id}": "/knowledge/nodes/{node_id}",
    "GET /v1/graph/nodes/{id}/neighbors": "/knowledge/nodes/{node_id}",
    "GET /v1/graph/path": "/knowledge/path",
    "GET /v1/graph/stats": "/knowledge",
    "POST /v1/admin/graph/imports": "/admin/graph",
    "GET /v1/admin/graph/imports": "/admin/graph",
    "DELETE /v1/admin/graph/imports/{registry}": "/admin/graph/{registry}/delete",
    # simulations and the live economy
    "POST /v1/simulations": "/simulations/new",
    "GET /v1/simulations/quote": "/simulations/new/price",
    "GET /v1/simulations": "/simulations",
    "GET /v1/simulations/{id}": "/simulations/{simulation_id}",
    "GET /v1/simulations/{id}/metrics": "/simulations/{simulation_id}/metrics.{kind}",
    "GET /v1/simulations/compare": "/simulations/compare",
    "POST /v1/simulations/{id}/policy": "/simulations/{simulation_id}/policy",
    "GET /v1/economy/metrics": "/economy",
    "GET /v1/economy/policy": "/economy",
}


def test_every_operation_of_the_api_has_a_page_or_a_reason() -> None:
    operations = {f"{r.method} {r.path}" for r in all_routes()}
    assert sorted(operations - BY_OPERATION.keys()) == [], "new routes: name their page"
    assert sorted(BY_OPERATION.keys() - operations) == [], "entries for routes that are gone"


def test_every_page_named_exists() -> None:
    pages = {p.path for p in all_pages()}
    named = {v for v in BY_OPERATION.values() if not v.startswith(MACHINE)}
    assert sorted(named - pages) == []


def test_what_is_left_to_machines_is_little() -> None:
    """Exceptions are for probes, webhooks and email images, not for features."""
    machine = [k for k, v in BY_OPERATION.items() if v.startswith(MACHINE)]
    assert len(machine) <= 14, machine
