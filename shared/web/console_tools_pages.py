"""More of the operators' console (issue 16: everything the admin API offers, from the
browser): the knowledge graph's registry imports (list, import, remove), the email types
(sender, category, queue; a preview, its HTML as its own sandboxed document), sending one
email now, and the venture reports' daily usage. Each page calls what the matching admin
route calls (`parse_import` and the knowledge service, `preview_email`,
`admin_send_request` and `send_one`, `usage_summary`), so a script can do what a page
does (ADR 0031); admins only, as every console page."""

from __future__ import annotations

import json
import secrets
from typing import Any
from urllib.parse import quote

from pydantic import ValidationError

from shared.api.spec import ApiError, Principal
from shared.email.api import AdminSendRequest
from shared.email.delivery import TransientDeliveryError
from shared.email.preview import admin_send_request, preview_email
from shared.email.sending import InvalidSendRequest, SendInProgress, send_one
from shared.email.types import SPECS, EmailType
from shared.knowledge.importer import SECTIONS as GRAPH_SECTIONS
from shared.knowledge.importer import ImportRejected, Problem, parse_import
from shared.venture.api import UsageQuery
from shared.venture.usage import usage_summary
from shared.web.console_pages import _OPERATION, _confirm, _page, _render
from shared.web.spec import Page, PageReply, PageRequest

# the HTML of an email as its own document: inline styles (email HTML has them), https
# and data: images, nothing else; sandboxed (no script, no forms, an opaque origin),
# never framed
EMAIL_PREVIEW_CSP = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
MAX_IMPORT_CHARS = 2_000_000
MAX_CONTEXT_CHARS = 20_000
USAGE_DAYS = 30


# -- graph imports -----------------------------------------------------------------------
def graph(req: PageRequest, admin: Principal) -> PageReply:
    """`GET /v1/admin/graph/imports` as a table, and the form of `POST` beside it: a
    registry as JSON, or as CSV texts (one per section)."""
    errors: dict[str, str] = {}
    form = {"registry": req.field("registry"), "content": req.form.get("content", "")}
    csv = {s: req.form.get(f"csv_{s}", "") for s in GRAPH_SECTIONS}
    if req.method == "POST":
        reply = _import(req, admin, form, csv, errors)
        if reply is not None:
            return reply
    done = req.query.get("done", "")
    registries = req.features.knowledge.registries()
    return _render(
        req,
        "console_graph.html.j2",
        "Graph imports",
        "graph",
        status=400 if errors else 200,
        registries=registries,
        form=form,
        csv=csv,
        graph_sections=list(GRAPH_SECTIONS),
        errors=errors,
        done=_graph_done(done, req.query.get("registry", "")[:80]),
    )


def _graph_done(done: str, name: str) -> str:
    if done == "imported":
        return f"Imported {name}: the search index is refreshing."
    if done == "removed":
        return f"Removed {name}."
    return ""


def _import(
    req: PageRequest,
    admin: Principal,
    form: dict[str, str],
    csv: dict[str, str],
    errors: dict[str, str],
) -> PageReply | None:
    name = form["registry"]
    if not name:
        errors["registry"] = "name the registry (it replaces an earlier import of that name)"
    elif len(name) > 80:
        errors["registry"] = "at most 80 characters"
    files = {f"{s}.csv": text for s, text in csv.items() if text.strip()}
    content: Any = None
    if form["content"].strip() and files:
        errors["content"] = "give the registry as JSON or as CSV files, not both"
    elif not form["content"].strip() and not files:
        errors["content"] = "paste the registry as JSON here, or as CSV files below"
    elif sum(len(v) for v in [form["content"], *files.values()]) > MAX_IMPORT_CHARS:
        errors["content"] = f"at most {MAX_IMPORT_CHARS:,} characters"
    elif form["content"].strip():
        try:
            content = json.loads(form["content"])
        except ValueError as exc:
            errors["content"] = f"not JSON: {exc}"
    if errors:
        return None
    try:
        parsed = parse_import(name, "csv" if files else "json", content, files)
        outcome = req.features.knowledge.import_registry(parsed, admin.user_id)
    except ImportRejected as exc:
        _beside(exc.problems, errors)
        return None
    return PageReply(redirect=f"/admin/graph?done=imported&registry={quote(outcome.registry)}")


def _field_of(problem: Problem) -> str:
    where = problem.where
    if where.startswith("registry"):
        return "registry"
    for section in GRAPH_SECTIONS:
        if where.startswith(f"{section}.csv"):
            return f"csv_{section}"
    return "content"


def _beside(problems: list[Problem], errors: dict[str, str]) -> None:
    """Each problem beside the field it is about (its place in the registry first); a
    prerequisite cycle names its nodes, as the API's answer does."""
    grouped: dict[str, list[str]] = {}
    for problem in problems:
        grouped.setdefault(_field_of(problem), []).append(str(problem))
    for field, lines in grouped.items():
        more = f" (and {len(lines) - 10} more)" if len(lines) > 10 else ""
        errors[field] = "; ".join(lines[:10]) + more


def graph_delete(req: PageRequest, _: Principal) -> PageReply:
    """`DELETE /v1/admin/graph/imports/{registry}`: this page asks first (GET), its form
    removes (POST); refused while other registries refer to its records."""
    name = req.path_params["registry"]
    known = {r.name for r in req.features.knowledge.registries()}
    if name not in known:
        raise ApiError(404, f"no registry {name[:80]!r}")
    here = f"/admin/graph/{name}/delete"
    if req.method == "POST":
        try:
            generation = req.features.knowledge.remove_registry(name)
        except ImportRejected as exc:
            reply = _confirm(
                req,
                "graph",
                title="Remove this registry?",
                message=f"It cannot be removed: other registries refer to its records ({exc}).",
                action=here,
                button="Try again",
                back="/admin/graph",
                fields={},
            )
            reply.status = 409
            return reply
        if generation is None:
            raise ApiError(404, f"no registry {name[:80]!r}")
        return PageReply(redirect=f"/admin/graph?done=removed&registry={quote(name)}")
    return _confirm(
        req,
        "graph",
        title="Remove this registry?",
        message=f"Every record the registry {name} brought will leave the knowledge graph "
        "(nodes other registries also have stay, with their other sources). A later "
        "import brings them back.",
        action=here,
        button="Yes, remove it",
        back="/admin/graph",
        fields={},
    )


# -- email types, preview and sending ------------------------------------------------------
def email_templates(req: PageRequest, _: Principal) -> PageReply:
    feature = req.features.email
    domain = feature.settings.primary_domain
    rows = [
        {
            "name": spec.type.value,
            "sender": spec.sender(domain),
            "reply_to": feature.reply_to(spec),
            "category": spec.category.value,
            "transactional": spec.transactional,
            "queue": spec.stream.value,
            "description": spec.description,
        }
        for spec in SPECS.values()
    ]
    return _render(
        req, "console_email_templates.html.j2", "Email types", "email-types", templates=rows
    )


def email_template(req: PageRequest, _: Principal) -> PageReply:
    name = req.path_params["name"]
    shown = preview_email(req.features.email, name)
    fields = shown.spec.context.model_json_schema().get("properties", {})
    return _render(
        req,
        "console_email_template.html.j2",
        f"Email type: {name}",
        "email-types",
        name=name,
        shown=shown,
        context_fields=sorted(fields),
    )


def email_preview_html(req: PageRequest, _: Principal) -> PageReply:
    """The rendered HTML alone, as its own document under a CSP of its own."""
    shown = preview_email(req.features.email, req.path_params["name"])
    return PageReply(
        body=shown.rendered.html.encode(),
        content_type="text/html; charset=utf-8",
        csp=EMAIL_PREVIEW_CSP,
        headers={"X-Frame-Options": "DENY", "Cache-Control": "no-store"},
    )


def email_send(req: PageRequest, admin: Principal) -> PageReply:
    """`POST /v1/emails/send` as a form: its `Idempotency-Key` is the form's hidden key, so
    a form sent twice sends once."""
    errors: dict[str, str] = {}
    form = {k: req.field(k) for k in ("type", "to", "name", "key")}
    form["context"] = req.form.get("context", "").strip() or "{}"
    if req.method == "GET":
        form["type"] = req.query.get("type", "")[:64]  # from an email type's page
    if req.method == "POST":
        reply = _send(req, admin, form, errors)
        if reply is not None:
            return reply
    if not form["key"] or not errors:
        form["key"] = secrets.token_urlsafe(16)
    done = req.query.get("done", "")
    return _render(
        req,
        "console_email_send.html.j2",
        "Send an email",
        "send-email",
        status=400 if errors else 200,
        form=form,
        errors=errors,
        types=[t.value for t in EmailType],
        done=_sent(done, req.query.get("to", "")[:320], req.query.get("again") == "1"),
    )


def _sent(status: str, to: str, again: bool) -> str:
    if not status:
        return ""
    if again:
        return f"This form was already sent ({status}, to {to}): nothing was sent again."
    return {
        "sent": f"Sent to {to}.",
        "suppressed": f"Not sent: {to} is on the suppression list.",
        "skipped": f"Skipped: {to} does not receive this category.",
    }.get(status, f"Not sent to {to}: {status}.")


def _send(
    req: PageRequest, admin: Principal, form: dict[str, str], errors: dict[str, str]
) -> PageReply | None:
    context: Any = {}
    if len(form["context"]) > MAX_CONTEXT_CHARS:
        errors["context"] = f"at most {MAX_CONTEXT_CHARS:,} characters"
    else:
        try:
            context = json.loads(form["context"])
        except ValueError as exc:
            errors["context"] = f"not JSON: {exc}"
    if not _OPERATION.fullmatch(form["key"]):
        errors["type"] = "this form has expired: reload the page"
    body: AdminSendRequest | None = None
    try:
        body = AdminSendRequest.model_validate(
            {
                "type": form["type"],
                "to": form["to"],
                "name": form["name"] or None,
                "context": context if "context" not in errors else {},
            }
        )
    except ValidationError as exc:
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "type"
            errors.setdefault(field, _say(field, error["msg"]))
    if errors or body is None:
        return None
    request = admin_send_request(
        admin.user_id, form["key"], body.type, body.to, body.name, body.context
    )
    try:
        outcome = send_one(req.features.email, request)
    except InvalidSendRequest as exc:
        errors["context"] = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'context'}: {e['msg']}"
            for e in exc.error.errors()[:10]
        )
        return None
    except (TransientDeliveryError, SendInProgress) as exc:
        errors["to"] = f"not sent this time, send the form again in a minute: {exc}"
        return None
    again = "&again=1" if outcome.duplicate else ""
    return PageReply(redirect=f"/admin/email/send?done={outcome.status}&to={quote(body.to)}{again}")


def _say(field: str, message: str) -> str:
    if field == "type":
        return "choose an email type"
    if field == "to":
        return "an email address, like ada@example.com"
    if field == "context":
        return "a JSON object of the type's values"
    return message


# -- venture usage -------------------------------------------------------------------------
def venture_usage(req: PageRequest, _: Principal) -> PageReply:
    """`GET /v1/venture/usage`: daily completions and failures of venture reports over the
    query's `days` (1 to 366, as the API takes)."""
    error = ""
    text = req.query.get("days", str(USAGE_DAYS)).strip()
    try:
        days = UsageQuery.model_validate({"days": text}).days  # the API's own bounds
    except ValidationError:
        days, error = USAGE_DAYS, "a whole number of days from 1 to 366"
    venture = req.features.venture
    summary = usage_summary(venture.documents, venture.clock.now(), days)
    return _render(
        req,
        "console_venture.html.j2",
        "Venture usage",
        "venture",
        status=400 if error else 200,
        usage=summary,
        days=days,
        days_text=text[:10] if error else str(days),
        error=error,
    )


PAGES: list[Page] = [
    _page("/admin/graph", graph, post=True),
    _page("/admin/graph/{registry}/delete", graph_delete, post=True),
    _page("/admin/email/templates", email_templates),
    _page("/admin/email/templates/{name}", email_template),
    _page("/admin/email/templates/{name}/preview.html", email_preview_html),
    _page("/admin/email/send", email_send, post=True),
    _page("/admin/venture", venture_usage),
]
