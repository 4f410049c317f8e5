"""Every page of the web app, in one list (the HTTP adapter binds them)."""

from __future__ import annotations

from shared.web import (
    account_pages,
    agent_pages,
    console_pages,
    console_tools_pages,
    economy_pages,
    governance_pages,
    home_pages,
    knowledge_pages,
    preference_pages,
    report_pages,
    settings_pages,
    simulation_pages,
    venture_pages,
    wallet_pages,
)
from shared.web.spec import Page


def all_pages() -> list[Page]:
    return [
        *account_pages.PAGES,
        *preference_pages.PAGES,
        *settings_pages.PAGES,
        *report_pages.PAGES,
        *governance_pages.PAGES,
        *economy_pages.PAGES,
        *agent_pages.PAGES,
        *knowledge_pages.PAGES,
        *simulation_pages.PAGES,
        *home_pages.PAGES,
        *wallet_pages.PAGES,
        *venture_pages.PAGES,
        *console_pages.PAGES,
        *console_tools_pages.PAGES,
    ]
