"""A governance proposal's page (the governance emails link here): its actions in plain
words, state, tallies, quorum and timeline, read as `GET /v1/governance/proposals/{id}`
reads them, with the reader's own vote."""

from __future__ import annotations

from typing import Any

from shared.errors import NotFound
from shared.governance.actions import Action
from shared.governance.api import proposal_number
from shared.money import to_decimal
from shared.web.account_pages import sign_in_first
from shared.web.render import render_page
from shared.web.report_pages import not_found
from shared.web.spec import Page, PageReply, PageRequest


def proposal(req: PageRequest) -> PageReply:
    raw = req.path_params["proposal_id"]
    if req.principal is None:
        return sign_in_first(req, f"/governance/proposals/{raw}", "this proposal")
    service = req.features.governance
    try:
        view = service.view(service.get(proposal_number(raw)))
    except NotFound:
        return not_found(req, f"There is no proposal {raw}.")
    p, tally = view.proposal, view.tally
    mine = service.store.vote(p.id, req.principal.user_id)
    timeline = [
        ("Created", p.created_at),
        ("Voting opens", p.snapshot_at),
        ("Voting closes", p.deadline_at),
        ("Queued", p.queued_at),
        ("Executable from", p.eta),
        ("Executed", p.executed_at),
        ("Canceled", p.canceled_at),
    ]
    html = render_page(
        "proposal.html.j2",
        title=f"Proposal {p.id}: {p.title}",
        proposal=p,
        state=view.state,
        actions=[_in_words(a) for a in p.actions],
        votes=[
            ("For", to_decimal(tally.for_weight)),
            ("Against", to_decimal(tally.against_weight)),
            ("Abstain", to_decimal(tally.abstain_weight)),
        ],
        voters=tally.voters,
        quorum=None if view.quorum is None else to_decimal(view.quorum),
        quorum_votes=to_decimal(tally.quorum_votes(p.quorum_mode)),
        quorum_reached=view.quorum_reached,
        timeline=[(label, when) for label, when in timeline if when is not None],
        my_vote=mine,
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html)


def _in_words(action: Action) -> str:
    """`SetTaylorRule(type="taylor_rule", smoothing=0.8)` -> "Taylor rule: smoothing 0.8"."""
    fields = action.model_dump()
    kind = str(fields.get("type", "change")).replace("_", " ")
    parts = [
        f"{name.replace('_', ' ')} {_value(value)}"
        for name, value in fields.items()
        if name != "type" and value is not None  # a field left out changes nothing
    ]
    return f"{kind.capitalize()}: {', '.join(parts)}" if parts else kind.capitalize()


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {_value(v)}" for k, v in value.items())
    return str(value)


PAGES = [Page("/governance/proposals/{proposal_id}", proposal)]
