"""The Simulations pages: your runs, a form to start one (presets and the main policy
levers, with units and the bounds of the models the API validates with, and the price
before you pay), a run's live progress and its charts, downloads and policy (and a form
to change it while it runs), and runs compared on one chart per metric. Starting a run
and changing its policy go through `shared.simulation.runs`, as `POST /v1/simulations`
and `POST /v1/simulations/{id}/policy` do (price, limits, charge; the change's rules);
reading one is `GET /v1/simulations/{id}`, `/metrics` and `/compare` in pages."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import annotated_types
from pydantic import BaseModel, ValidationError

from shared.api.pagination import encode_cursor
from shared.errors import Conflict, PaymentRequired, TooMany
from shared.ledger.postings import user_owner
from shared.money import Token, in_tokens
from shared.simulation.api import (
    MODEL_HEADER,
    CompareQuery,
    CreateSimulation,
    SimulationListQuery,
)
from shared.simulation.comparison import MAX_RUNS, Run, compare
from shared.simulation.indicators import METRIC_INFO, TickMetrics
from shared.simulation.metrics_csv import metrics_csv
from shared.simulation.params import (
    FiscalPolicy,
    MonetaryPolicy,
    Policy,
    SimulationParams,
    TaxBracket,
    TokenPolicy,
)
from shared.simulation.runs import change_policy as change_run_policy
from shared.simulation.runs import quote_run, start_run
from shared.simulation.store import SimulationRecord
from shared.web.account_pages import sign_in_first
from shared.web.charts import ChartData, chart_data, series
from shared.web.economy_pages import change_row
from shared.web.render import render_page
from shared.web.report_pages import not_found
from shared.web.spec import Page, PageReply, PageRequest

# ---- what the form offers --------------------------------------------------------------


@dataclass(frozen=True)
class Bounds:
    low: float | int | None
    high: float | int | None
    low_open: bool = False  # `gt` rather than `ge`
    high_open: bool = False  # `lt` rather than `le`

    def words(self) -> str:
        low = (
            "" if self.low is None else f"{'more than' if self.low_open else 'from'} {_n(self.low)}"
        )
        high = "" if self.high is None else f"{'below' if self.high_open else 'to'} {_n(self.high)}"
        return " ".join(p for p in (low, high) if p)


def bounds(model: type[BaseModel], name: str) -> Bounds:
    """The bounds a model's field validates (its Field ge/gt/le/lt), so the form shows
    exactly what the API accepts."""
    low: float | int | None = None
    high: float | int | None = None
    low_open = high_open = False
    for rule in model.model_fields[name].metadata:
        if isinstance(rule, annotated_types.Ge):
            low = _exact(rule.ge)
        elif isinstance(rule, annotated_types.Gt):
            low, low_open = _exact(rule.gt), True
        elif isinstance(rule, annotated_types.Le):
            high = _exact(rule.le)
        elif isinstance(rule, annotated_types.Lt):
            high, high_open = _exact(rule.lt), True
    return Bounds(low, high, low_open, high_open)


def _exact(bound: object) -> float | int:
    """A bound as the model has it (an int stays exact: 2**63 - 1 is no float)."""
    return bound if isinstance(bound, int | float) else float(str(bound))


def _n(value: float | int) -> str:
    return f"{int(value):,}" if value == int(value) and abs(value) >= 1000 else f"{value:g}"


@dataclass(frozen=True)
class Lever:
    section: str  # fiscal, monetary or tokens: the Policy field it belongs to
    name: str
    label: str
    unit: str

    @property
    def field(self) -> str:
        return f"{self.section}-{self.name}"

    @property
    def model(self) -> type[BaseModel]:
        return SECTIONS[self.section][1]

    @property
    def bounds(self) -> Bounds:
        return bounds(self.model, self.name)


SECTIONS: dict[str, tuple[str, type[BaseModel]]] = {
    "fiscal": ("Benefits and public spending", FiscalPolicy),
    "monetary": ("Central bank (Taylor rule)", MonetaryPolicy),
    "tokens": ("Token policy", TokenPolicy),
}
LEVERS = (
    Lever("fiscal", "unemployment_benefit", "Unemployment benefit", "share of usual pay"),
    Lever("fiscal", "pension", "Pension (65+)", "share of usual pay"),
    Lever("fiscal", "minimum_income", "Minimum income", "average monthly wages"),
    Lever("fiscal", "basic_income", "Basic income per adult", "average monthly wages, monthly"),
    Lever("fiscal", "public_spending", "Public purchases", "share of potential GDP"),
    Lever("fiscal", "estate_tax", "Estate tax", "share of an estate"),
    Lever("fiscal", "debt_ceiling", "Debt brake: ceiling", "public debt over annual GDP"),
    Lever(
        "fiscal", "brake_strength", "Debt brake: strength", "share of GDP per unit of excess debt"
    ),
    Lever("fiscal", "brake_tax_share", "Debt brake: raised by taxes", "share (rest: cuts)"),
    Lever("fiscal", "brake_speed", "Debt brake: speed", "share of the gap closed a month"),
    Lever("monetary", "inflation_target", "Inflation target", "a year, as a fraction (0.02 = 2 %)"),
    Lever("monetary", "inflation_response", "Response to inflation (a_pi)", "coefficient"),
    Lever("monetary", "output_gap_response", "Response to the output gap (a_y)", "coefficient"),
    Lever("monetary", "neutral_real_rate", "Neutral real rate (r*)", "a year, as a fraction"),
    Lever("monetary", "smoothing", "Rate smoothing", "weight on last month's rate"),
    Lever("tokens", "platform_share", "Spending on platform services", "share of spending"),
    Lever("tokens", "burn_rate", "AIA burned", "share of AIA paid for services"),
    Lever("tokens", "issuance_rate", "AIA issued as staking rewards", "share of supply a year"),
    Lever("tokens", "staking_target", "Staked share of AIA_GOV", "share of supply"),
)
PAGE_SIZE = 50  # runs a page of /simulations lists
BRACKET_ROWS = 6  # rows the form shows; FiscalPolicy takes up to 12 brackets


@dataclass(frozen=True)
class RunField:
    name: str
    label: str
    unit: str

    @property
    def bounds(self) -> Bounds:
        return bounds(CreateSimulation, self.name)


RUN_FIELDS = (
    RunField("households", "Households", "households"),
    RunField("ticks", "Months", "months simulated"),
    RunField("seed", "Random seed", "the same seed and levers give the same run"),
)


@dataclass(frozen=True)
class Preset:
    label: str
    about: str
    changes: dict[str, dict[str, Any]]


PRESETS: dict[str, Preset] = {
    "baseline": Preset("Baseline", "The calibrated defaults.", {}),
    "generous-welfare": Preset(
        "Generous welfare",
        "Higher benefits, pensions and minimum income, paid by higher top rates.",
        {
            "fiscal": {
                "unemployment_benefit": 0.7,
                "pension": 0.6,
                "minimum_income": 0.5,
                "tax_brackets": [
                    {"threshold": 0.0, "rate": 0.15},
                    {"threshold": 0.5, "rate": 0.3},
                    {"threshold": 1.25, "rate": 0.42},
                    {"threshold": 3.0, "rate": 0.55},
                ],
            }
        },
    ),
    "hawkish": Preset(
        "Hawkish central bank",
        "A lower inflation target defended hard, with little weight on output.",
        {
            "monetary": {
                "inflation_target": 0.015,
                "inflation_response": 2.0,
                "output_gap_response": 0.2,
            }
        },
    ),
    "basic-income": Preset(
        "Basic income",
        "A monthly basic income of a fifth of the average wage per adult.",
        {"fiscal": {"basic_income": 0.2}},
    ),
}
DEFAULT_RUN = {"households": "1000", "ticks": "120", "seed": "0"}


def preset_values(key: str) -> dict[str, str]:
    """The form's fields filled from a preset (validated like any policy)."""
    return {**DEFAULT_RUN, **policy_values(Policy().with_changes(PRESETS[key].changes))}


def policy_values(policy: Policy) -> dict[str, str]:
    """The lever and bracket fields filled from a policy."""
    values = {}
    for lever in LEVERS:
        values[lever.field] = _text(getattr(getattr(policy, lever.section), lever.name))
    for i in range(BRACKET_ROWS):
        brackets = policy.fiscal.tax_brackets
        bracket = brackets[i] if i < len(brackets) else None
        values[f"bracket-{i}-threshold"] = "" if bracket is None else _text(bracket.threshold)
        values[f"bracket-{i}-rate"] = "" if bracket is None else _text(bracket.rate)
    return values


def _text(value: float) -> str:
    """A number as a field shows it: short, and read back as the same number."""
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


# ---- what the charts show ----------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    unit: str
    metrics: tuple[str, ...]


GROUPS = (
    Group(
        "rates",
        "Rates",
        "per cent",
        (
            "unemployment_rate",
            "inflation",
            "policy_rate",
            "gdp_growth",
            "output_gap",
            "vacancy_rate",
            "participation_rate",
            "public_debt_ratio",
            "bond_yield",
            "fiscal_cut",
            "public_capital",
            "aia_gov_staked_share",
            "labour_share",
            "price_change_share",
            "capacity_utilisation",
            "credit_rationed",
            "bank_capital_ratio",
            "expected_inflation",
            "central_bank_credibility",
        ),
    ),
    Group(
        "money",
        "Money flows",
        "money per month",
        (
            "gdp_nominal",
            "consumption",
            "investment",
            "public_spending",
            "tax_revenue",
            "government_balance",
            "average_wage",
            "firm_loans",
            "bank_recapitalisation",
            "write_offs",
        ),
    ),
    Group("real", "Real output", "money of month 0", ("gdp_real", "labor_productivity")),
    Group(
        "indices",
        "Inequality, health and prices",
        "index",
        ("gini_income", "gini_wealth", "aia_gov_gini", "mean_health", "cpi", "firm_size_skewness"),
    ),
    Group(
        "people",
        "People and firms",
        "count",
        (
            "population",
            "employment",
            "firms_hiring",
            "firm_exits",
            "firm_bankruptcies",
            "fiscal_crisis",
        ),
    ),
    Group(
        "tokens",
        "Tokens",
        "tokens",
        ("aia_supply", "aia_gov_supply", "aia_minted", "aia_burned", "aia_velocity", "aia_price"),
    ),
    Group("checks", "Accounting checks", "money", ("sfc_error", "token_error")),
)
GROUP_OF = {m: g for g in GROUPS for m in g.metrics}
DEFAULT_METRICS = (
    "unemployment_rate",
    "inflation",
    "policy_rate",
    "gdp_real",
    "gini_income",
    "gini_wealth",
    "mean_health",
    "population",
)
COMPARE_DEFAULT = ("unemployment_rate", "inflation", "gdp_real", "gini_income")
EXTRA_TITLES = {
    "aia_minted": "AIA minted",
    "aia_burned": "AIA burned",
    "firms_hiring": "Firms hiring",
    "firm_exits": "Firm exits",
    "sfc_error": "Stock-flow error",
    "token_error": "Token ledger error",
}


def title_of(metric: str) -> str:
    info = METRIC_INFO.get(metric)
    return info.title if info else EXTRA_TITLES.get(metric, metric.replace("_", " "))


def _percent(metric: str) -> bool:
    return GROUP_OF[metric].key == "rates"


def _scaled(metric: str, values: Sequence[float | None]) -> list[float | None]:
    if not _percent(metric):
        return list(values)
    return [None if v is None else v * 100 for v in values]


def picked(query: Mapping[str, str], default: Sequence[str]) -> list[str]:
    """Metrics named in `metrics=a,b` or ticked (`m.<metric>` boxes), in the groups'
    order; unknown names are left out; none named: `default`."""
    named = {m.strip() for m in query.get("metrics", "").split(",") if m.strip()}
    named |= {k[2:] for k, v in query.items() if k.startswith("m.") and v}
    chosen = [m for g in GROUPS for m in g.metrics if m in named]
    return chosen or list(default)


def run_chart(months: Sequence[TickMetrics], metrics: Sequence[str]) -> ChartData:
    return chart_data(
        [m.tick for m in months],
        "Month",
        [
            series(
                title_of(metric),
                _scaled(metric, [getattr(m, metric) for m in months]),
                "%" if _percent(metric) else "",
            )
            for metric in metrics
        ],
    )


def _charts(sim_id: str, metrics: Sequence[str]) -> list[dict[str, str]]:
    """One chart per group of the picked metrics, each fed by the run's chart JSON."""
    out = []
    for group in GROUPS:
        mine = [m for m in group.metrics if m in metrics]
        if mine:
            out.append(
                {
                    "id": f"chart-{group.key}",
                    "src": f"/simulations/{sim_id}/chart.json?metrics={','.join(mine)}",
                    "caption": f"{group.title} ({group.unit}), month by month: "
                    + ", ".join(title_of(m) for m in mine)
                    + ".",
                }
            )
    return out


# ---- pages -----------------------------------------------------------------------------


def simulations(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, "/simulations", "your simulations")
    try:  # a page of runs, as GET /v1/simulations pages them (its cursor)
        query = SimulationListQuery.model_validate(
            {"limit": PAGE_SIZE, "cursor": req.query.get("cursor") or None}
        )
    except ValidationError:
        return not_found(req, "That page of your simulations does not exist.")
    found = req.features.simulations.owned_by(req.principal.user_id, PAGE_SIZE + 1, query.start())
    runs = found[:PAGE_SIZE]
    last = runs[-1] if len(found) > PAGE_SIZE else None
    html = render_page(
        "simulations.html.j2",
        title="Simulations",
        runs=[_row(r) for r in runs],
        older=None if last is None else encode_cursor((last.created_at, last.simulation_id)),
        max_runs=MAX_RUNS,
        wide=True,
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html)


def _row(r: SimulationRecord) -> dict[str, Any]:
    return {
        "id": r.simulation_id,
        "short": r.simulation_id[:8],
        "status": r.status,
        "tick": r.tick,
        "horizon": r.horizon,
        "households": r.params.households,
        "created": r.created_at,
        "model": r.model_version,
        "failure_reason": r.failure_reason if r.status == "failed" else None,
    }


def new_simulation(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, "/simulations/new", "the simulation form")
    if req.method == "GET":
        key = req.query.get("preset", "baseline")
        if key not in PRESETS:
            key = "baseline"
        return _form(req, key, preset_values(key), {})
    values = {k: v.strip() for k, v in req.form.items() if k != "csrf_token"}
    key = values.get("preset", "baseline")
    errors, parsed = parse_form(values)
    if parsed is None:
        return _form(req, key, values, errors, status=400)
    params, ticks = parsed
    features = req.features
    try:
        started = start_run(
            features.platform,
            features.simulations,
            features.outbox,
            req.principal.user_id,
            params,
            ticks,
        )
    except PaymentRequired as exc:
        return _form(req, key, values, {"": exc.detail}, status=402)
    except TooMany as exc:
        return _form(req, key, values, {"": exc.detail}, status=429)
    return PageReply(redirect=f"/simulations/{started.simulation_id}")


def parse_form(
    values: Mapping[str, str],
) -> tuple[dict[str, str], tuple[SimulationParams, int] | None]:
    """The run the form describes, validated by the API's own models; else the errors by
    field name ("" for the form as a whole)."""
    errors: dict[str, str] = {}
    whole: dict[str, int] = {}
    for f in RUN_FIELDS:
        text = values.get(f.name, "")
        if not re.fullmatch(r"[0-9]{1,19}", text):
            errors[f.name] = "Enter a whole number in digits."
        else:
            whole[f.name] = int(text)
    lever_errors, sections, rows = parse_levers(values)
    errors.update(lever_errors)
    if errors:
        return errors, None
    try:
        body = CreateSimulation.model_validate({**whole, "policy": sections})
        params = SimulationParams(households=body.households, seed=body.seed, policy=body.policy)
    except ValidationError as exc:
        for error in exc.errors():
            name = _field_of(error["loc"], rows)
            errors.setdefault(name, str(error["msg"]).removeprefix("Value error, "))
        return errors, None
    return {}, (params, body.ticks)


def parse_levers(
    values: Mapping[str, str],
) -> tuple[dict[str, str], dict[str, dict[str, Any]], list[int]]:
    """The form's levers and tax brackets as policy sections (not yet validated by the
    models), the errors by field name, and the form row of each bracket given."""
    errors: dict[str, str] = {}
    sections: dict[str, dict[str, Any]] = {s: {} for s in SECTIONS}
    for lever in LEVERS:
        number = _number(values.get(lever.field, ""))
        if number is None:
            errors[lever.field] = "Enter a number, such as 0.25."
        else:
            sections[lever.section][lever.name] = number
    rows: list[int] = []
    brackets = []
    for i in range(BRACKET_ROWS):
        threshold, rate = (
            values.get(f"bracket-{i}-threshold", ""),
            values.get(f"bracket-{i}-rate", ""),
        )
        if not threshold and not rate:
            continue
        t, r = _number(threshold), _number(rate)
        for name, given in ((f"bracket-{i}-threshold", t), (f"bracket-{i}-rate", r)):
            if given is None:
                errors[name] = "Enter a number, or leave both of this row's fields empty."
        if t is not None and r is not None:
            rows.append(i)
            brackets.append({"threshold": t, "rate": r})
    if not brackets and not any(k.startswith("bracket") for k in errors):
        errors["tax_brackets"] = "Give at least one bracket, starting at 0."
    sections["fiscal"]["tax_brackets"] = brackets
    return errors, sections, rows


REASON_MOST = 500  # characters, as PolicyChange takes


def parse_policy_change(
    values: Mapping[str, str], policy: Policy
) -> tuple[dict[str, str], dict[str, dict[str, Any]] | None]:
    """The change the run page's policy form asks for: only the levers (and brackets)
    that differ from `policy`, validated as the run's policy with them; else the errors
    by field name ("" for the form as a whole)."""
    errors, sections, rows = parse_levers(values)
    if len(values.get("reason", "")) > REASON_MOST:
        errors["reason"] = f"At most {REASON_MOST} characters."
    if errors:
        return errors, None
    current = policy.model_dump(mode="json")  # lists, as the form's brackets are
    changes: dict[str, dict[str, Any]] = {}
    for section, fields in sections.items():
        for name, value in fields.items():
            if value != current[section][name]:
                changes.setdefault(section, {})[name] = value
    if not changes:
        return {"": "Nothing changed: set a lever to a new value first."}, None
    try:
        policy.with_changes(changes)
    except ValidationError as exc:
        for error in exc.errors():
            name = _field_of(("policy", *error["loc"]), rows)
            errors.setdefault(name, str(error["msg"]).removeprefix("Value error, "))
        return errors, None
    return {}, changes


def _field_of(loc: tuple[int | str, ...], rows: Sequence[int]) -> str:
    """The form field a validation error's location names."""
    if loc and loc[0] == "policy":
        rest = loc[1:]
        if len(rest) >= 2 and rest[1] == "tax_brackets":
            if len(rest) >= 4 and isinstance(rest[2], int):
                return f"bracket-{rows[rest[2]]}-{rest[3]}"
            return "tax_brackets"
        if len(rest) >= 2:
            return f"{rest[0]}-{rest[1]}"
    if loc and loc[0] in {f.name for f in RUN_FIELDS}:
        return str(loc[0])
    return "households"  # the model's own checks (enough firms) are about its size


def _number(text: str) -> float | None:
    if not re.fullmatch(r"-?[0-9]*\.?[0-9]+(e-?[0-9]+)?", text.strip(), re.IGNORECASE):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _form(
    req: PageRequest,
    preset: str,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    status: int = 200,
) -> PageReply:
    assert req.principal is not None
    html = render_page(
        "simulation_new.html.j2",
        title="Start a simulation",
        presets=PRESETS,
        preset=preset if preset in PRESETS else "baseline",
        run_fields=RUN_FIELDS,
        **_lever_form(),
        values=values,
        errors=errors,
        price=_price(req, values),
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html, status=status)


def _price(req: PageRequest, values: Mapping[str, str]) -> dict[str, Any] | None:
    """The quote for the form's size (None while households or months are not valid)."""
    assert req.principal is not None
    size = {}
    for f in RUN_FIELDS[:2]:
        text, b = values.get(f.name, ""), f.bounds
        if not re.fullmatch(r"[0-9]{1,9}", text):
            return None
        number = int(text)
        if (b.low is not None and number < b.low) or (b.high is not None and number > b.high):
            return None
        size[f.name] = number
    features, user = req.features, req.principal.user_id
    quote = quote_run(
        features.platform, features.simulations, user, size["households"], size["ticks"]
    )
    held = features.ledger.store.balances(user_owner(user)).get(Token.AIA, 0)
    price = quote.price
    return {
        "households": size["households"],
        "ticks": size["ticks"],
        "household_months": price.household_months,
        "price": in_tokens(price.amount, Token.AIA),
        "rate": in_tokens(price.per_million_household_months, Token.AIA),
        "minimum": in_tokens(price.minimum, Token.AIA),
        "held": in_tokens(held, Token.AIA),
        "enough": held >= price.amount,
        "running": quote.usage.running,
        "max_concurrent": quote.limits.max_concurrent,
        "started_today": quote.usage.started_today,
        "daily": quote.limits.daily_household_months,
    }


def price_fragment(req: PageRequest) -> PageReply:
    """The price of the form's size: htmx swaps it in as households or months change."""
    if req.principal is None:
        return PageReply("", status=401)
    html = render_page("simulation_price.html.j2", price=_price(req, req.query))
    return PageReply(html)


def simulation(req: PageRequest) -> PageReply:
    sim_id = req.path_params["simulation_id"]
    if req.principal is None:
        return sign_in_first(req, f"/simulations/{sim_id}", "this simulation")
    run = req.features.simulations.owned(sim_id, req.principal.user_id)
    if run is None:  # another user's run reads as one that never was
        return not_found(req, f"There is no simulation {sim_id[:64]}.")
    sent = "Your policy change is on its way: it applies from the next month."
    return _run_page(req, run, {}, {}, notice=sent if req.query.get("changed") else None)


def change_policy(req: PageRequest) -> PageReply:
    """`POST /v1/simulations/{id}/policy` as the run page's form: the levers that differ
    from the run's policy, from its next month on."""
    sim_id = req.path_params["simulation_id"]
    if req.principal is None:
        return sign_in_first(req, f"/simulations/{sim_id}", "this simulation")
    run = req.features.simulations.owned(sim_id, req.principal.user_id)
    if run is None:
        return not_found(req, f"There is no simulation {sim_id[:64]}.")
    if req.method == "GET":
        return PageReply(redirect=f"/simulations/{sim_id}")
    values = {k: v.strip() for k, v in req.form.items() if k != "csrf_token"}
    errors, changes = parse_policy_change(values, run.params.policy)
    if changes is None:
        return _run_page(req, run, values, errors, status=400)
    try:
        change_run_policy(req.features.platform, run, changes, values.get("reason", ""))
    except Conflict as exc:
        return _run_page(req, run, values, {"": f"Too late: {exc.detail}."}, status=409)
    except ValidationError as exc:  # the rules moved under the form: say so, change nothing
        detail = "; ".join(str(e["msg"]) for e in exc.errors())
        return _run_page(req, run, values, {"": detail}, status=400)
    return PageReply(redirect=f"/simulations/{sim_id}?changed=1")


def _run_page(
    req: PageRequest,
    run: SimulationRecord,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    status: int = 200,
    notice: str | None = None,
) -> PageReply:
    sim_id = run.simulation_id
    metrics = picked(req.query, DEFAULT_METRICS)
    policy = run.params.policy
    live = run.status in ("queued", "running")
    html = render_page(
        "simulation.html.j2",
        title=f"Simulation {run.simulation_id[:8]}",
        run=_row(run),
        live=live,
        refresh=f"/simulations/{sim_id}?metrics={','.join(metrics)}",
        latest=[(title_of(k), v, _percent(k)) for k, v in run.latest.items() if k in GROUP_OF],
        charts=True,
        figures=_charts(sim_id, metrics) if run.tick > 0 else [],
        groups=[(g, [(m, title_of(m), m in metrics) for m in g.metrics]) for g in GROUPS],
        policy=_policy_rows(policy),
        brackets=policy.fiscal.tax_brackets,
        changes=[change_row(c) for c in req.features.simulations.policy_changes(sim_id)],
        can_change=live or bool(errors),
        notice=notice,
        values={**policy_values(policy), **values},
        errors=errors,
        reason_most=REASON_MOST,
        **_lever_form(),
        wide=True,
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html, status=status)


def _lever_form() -> dict[str, Any]:
    """What the templates' lever fieldsets need (/simulations/new and a run's page)."""
    return {
        "sections": [
            (key, title, [lever for lever in LEVERS if lever.section == key])
            for key, (title, _) in SECTIONS.items()
        ],
        "bracket_rows": range(BRACKET_ROWS),
        "bracket_bounds": {
            "threshold": bounds(TaxBracket, "threshold"),
            "rate": bounds(TaxBracket, "rate"),
        },
    }


def _policy_rows(policy: Policy) -> list[tuple[str, list[tuple[str, str, Any]]]]:
    out = []
    for key, (title, model) in SECTIONS.items():
        section = getattr(policy, key)
        rows = [
            (name.replace("_", " ").capitalize(), info.description or "", getattr(section, name))
            for name, info in model.model_fields.items()
            if name != "tax_brackets"
        ]
        out.append((title, rows))
    return out


def chart_json(req: PageRequest) -> PageReply:
    """A run's chosen metrics as a chart's data (charts.js fetches it)."""
    sim_id = req.path_params["simulation_id"]
    run = (
        None
        if req.principal is None
        else req.features.simulations.owned(sim_id, req.principal.user_id)
    )
    if run is None:
        return _json({"error": "no such simulation"}, 404)
    names = [m.strip() for m in req.query.get("metrics", "").split(",") if m.strip()]
    unknown = [m for m in names if m not in GROUP_OF]
    if not names or unknown or len(names) > len(GROUP_OF):
        return _json({"error": f"unknown metrics: {', '.join(unknown)[:200]}"}, 400)
    return _json(run_chart(req.features.simulations.metrics(sim_id), names))


def _json(data: Any, status: int = 200) -> PageReply:
    return PageReply(
        body=json.dumps(data, separators=(",", ":")).encode(),
        content_type="application/json",
        status=status,
    )


def download(req: PageRequest) -> PageReply:
    """The run's months as the API's `GET /v1/simulations/{id}/metrics` gives them."""
    sim_id, kind = req.path_params["simulation_id"], req.path_params["kind"]
    if req.principal is None:
        return sign_in_first(req, f"/simulations/{sim_id}", "this simulation")
    run = req.features.simulations.owned(sim_id, req.principal.user_id)
    if run is None or kind not in ("csv", "json"):
        return not_found(req, f"There is no simulation {sim_id[:64]}.")
    records = [m.as_dict() for m in req.features.simulations.metrics(sim_id)]
    model = run.model_version
    if kind == "csv":
        body, content_type = metrics_csv(records).encode(), "text/csv; charset=utf-8"
    else:
        page = {"simulation_id": sim_id, "model_version": model, "records": records}
        body, content_type = json.dumps(page).encode(), "application/json"
    return PageReply(
        body=body,
        content_type=content_type,
        download=f"{sim_id}.{kind}",
        headers={MODEL_HEADER: str(model)},
    )


def compare_runs(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, "/simulations", "your simulations")
    ids = [i.strip() for i in req.query.get("ids", "").split(",") if i.strip()]
    ids += [k[4:] for k, v in req.query.items() if k.startswith("run.") and v and k[4:] not in ids]
    metrics = picked(req.query, COMPARE_DEFAULT)
    if any(k.startswith(("run.", "m.")) for k in req.query):  # ticked boxes: a plain address
        chosen = quote(",".join(ids), safe=",")
        return PageReply(redirect=f"/simulations/compare?ids={chosen}&metrics={','.join(metrics)}")
    try:
        query = CompareQuery.model_validate({"ids": ",".join(ids), "metrics": ",".join(metrics)})
    except ValidationError as exc:
        detail = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        html = render_page(
            "message.html.j2",
            title="Compare simulations",
            message=f"Pick 2 to {MAX_RUNS} of your runs to compare ({detail}).",
            user=req.principal,
            csrf_token=req.csrf_token,
        )
        return PageReply(html, status=400)
    store, owner = req.features.simulations, req.principal.user_id
    runs = []
    for sim_id in query.ids:
        record = store.owned(sim_id, owner)
        if record is None:
            return not_found(req, f"There is no simulation {sim_id[:64]}.")
        params = record.params
        runs.append(
            Run(
                sim_id,
                params.households,
                params.seed,
                [m.as_dict() for m in store.metrics(sim_id)],
                record.model_version,
            )
        )
    result = compare(runs, query.metrics)
    labels = {run.id: f"Run {i + 1}" for i, run in enumerate(runs)}
    about = [
        f"Run {i + 1}: {run.id[:8]}, {run.households:,} households, seed {run.seed}, "
        f"model {run.model_version}"
        for i, run in enumerate(runs)
    ]
    figures = []
    for metric in query.metrics:
        data = chart_data(
            result["ticks"],
            "Month",
            [
                series(
                    labels[run.id],
                    _scaled(metric, result["series"][metric][run.id]),
                    "%" if _percent(metric) else "",
                )
                for run in runs
            ],
        )
        unit = (
            "per cent"
            if _percent(metric)
            else (METRIC_INFO[metric].unit if metric in METRIC_INFO else GROUP_OF[metric].unit)
        )
        figures.append(
            (f"compare-{metric}", data, f"{title_of(metric)} ({unit}) of each run, month by month")
        )
    summary = [
        (
            title_of(metric),
            _percent(metric),
            [r["last"][metric] for r in result["runs"]],
            [d["last"][metric] for d in result["differences"]],
        )
        for metric in query.metrics
    ]
    html = render_page(
        "simulation_compare.html.j2",
        title="Compare simulations",
        labels=about,
        note=result["note"],
        ids=",".join(query.ids),
        months=len(result["ticks"]),
        figures=figures,
        summary=summary,
        groups=[(g, [(m, title_of(m), m in query.metrics) for m in g.metrics]) for g in GROUPS],
        charts=True,
        wide=True,
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html)


PAGES = [
    Page("/simulations", simulations),
    Page("/simulations/new", new_simulation, ("GET", "POST")),
    Page("/simulations/new/price", price_fragment),
    Page("/simulations/compare", compare_runs),
    Page("/simulations/{simulation_id}", simulation),
    Page("/simulations/{simulation_id}/policy", change_policy, ("GET", "POST")),
    Page("/simulations/{simulation_id}/chart.json", chart_json),
    Page("/simulations/{simulation_id}/metrics.{kind}", download),
]
