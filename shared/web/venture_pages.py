"""The venture pages: a hub, market sizing, the competitive landscape, an MVP blueprint, a
resource plan, the user's reports (start one, watch it run) and datasets. Each form is
read into the same request model its API route takes (`/v1/venture/...`) and answered by
the same service, so the page charges, limits and refuses exactly as the API does."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from shared.errors import DomainError, NotFound
from shared.money import Token, in_tokens
from shared.venture import service
from shared.venture.blueprint import MvpBlueprintRequest, build_blueprint
from shared.venture.blueprint_answer import MvpBlueprint
from shared.venture.competition import (
    HHI_2010_HIGH,
    HHI_2010_LOW,
    HHI_2023_HIGH,
    CompetitiveLandscapeRequest,
    analyse_landscape,
)
from shared.venture.datasets import DatasetUpload
from shared.venture.landscape_answer import CompetitiveLandscape
from shared.venture.market import MarketAnalysisRequest, MarketInputError
from shared.venture.market_answer import MarketAnalysis
from shared.venture.report import PRICE_ITEM, VentureReportRequest
from shared.venture.resources import ResourcePlanRequest, plan_resources
from shared.venture.sectors import REGIONS, InvalidSectorData, builtin_catalog
from shared.web.account_pages import sign_in_first
from shared.web.charts import ChartData, chart_data, series
from shared.web.render import render_page
from shared.web.spec import Method, Page, PageReply, PageRequest

Model = TypeVar("Model", bound=BaseModel)
Errors = dict[str, str]
FORM = "form"  # the key of an error about the form as a whole (shown above it)

REGION_NAMES = {
    "global": "Global",
    "north_america": "North America",
    "europe": "Europe",
    "asia_pacific": "Asia Pacific",
    "latin_america": "Latin America",
    "middle_east_africa": "Middle East and Africa",
}
KINDS = {"web": "Web app", "mobile": "Mobile app", "api": "API", "data": "Data product"}
ROLE_NAMES = {
    "role:product-manager": "Product manager",
    "role:tech-lead": "Tech lead",
    "role:backend-developer": "Backend developer",
    "role:frontend-developer": "Frontend developer",
    "role:product-designer": "Product designer",
    "role:qa-engineer": "QA engineer",
    "role:devops-engineer": "DevOps engineer",
}
STATUS_WORDS = {
    "queued": "queued: waiting to start",
    "running": "running",
    "completed": "completed",
    "failed": "failed",
}

# What each form holds before a first try: the API's own examples, so it works as it is.
MARKET_DEFAULTS = {
    "sector": "saas",
    "region": "europe",
    "segment_share": "10",
    "reachable_share": "2",
    "customers": "40000",
    "price_per_year": "6000",
    "adoption": "4",
    "serviceable_share": "100",
    "years": "5",
}
COMPETITION_DEFAULTS = {
    "competitors": "Incumbent, 40, 9000, sso; api; reports\n"
    "Challenger, 20, 5000, sso; api\n"
    "Budget, 5, 1200, sso",
    "product_name": "Acme",
    "product_price": "6000",
    "product_features": "api; forecasting",
    "market_growth_percent": "",
}
PRODUCT_DEFAULTS = {
    "product_name": "Acme",
    "kind": "web",
    "team_region": "north_america",
    "features": "sign-up, 1000, 1, 1\nforecasting, 800, 3, 3\nexports, 200, 1, 1",
}
RESOURCE_DEFAULTS = {**PRODUCT_DEFAULTS, "funding_usd": "500000", "overhead_percent": "20"}
REPORT_DEFAULTS = {
    "title": "Acme forecasting",
    **{k: v for k, v in MARKET_DEFAULTS.items() if k not in ("serviceable_share", "years")},
    "competitors": COMPETITION_DEFAULTS["competitors"],
    **PRODUCT_DEFAULTS,
    "funding_usd": "2000000",
}
DATASET_DEFAULTS = {
    "name": "farms",
    "format": "csv",
    "content": "id,name,naics,market_size_usd,year,cagr,source_name,source_year,"
    "region_europe,region_north_america\n"
    "vertical-farming,Vertical farming,111419,6000000000,2023,0.2,Our supplier survey,2024,"
    "0.6,0.4\n",
}


# ---------------------------------------------------------------- reading a form


class FormProblem(ValueError):
    """A form field that cannot be read at all (before the request model sees it)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _number(text: str) -> str:
    """A number as typed: separators, spaces and units dropped (40,000 $ is 40000)."""
    return re.sub(r"[\s,_%$]", "", text)


def _numbers(form: Mapping[str, str], names: tuple[str, ...]) -> dict[str, str]:
    """The named fields that were filled in, as numbers; an empty field is left out (the
    model's default applies)."""
    return {n: _number(form.get(n, "")) for n in names if form.get(n, "").strip()}


def _lines(text: str) -> list[tuple[int, list[str]]]:
    """Non-blank lines with their number (from 1), each split at commas."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            rows.append((number, [part.strip() for part in line.split(",")]))
    return rows


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(";") if name.strip()]


def _features(field: str, text: str) -> tuple[list[dict[str, Any]], list[int]]:
    """`name, reach, impact, effort` a line: the features and each one's line number."""
    features, numbers = [], []
    for number, parts in _lines(text):
        if len(parts) != 4:
            raise FormProblem(
                field,
                f"line {number}: give name, reach, impact, effort (4 values, got {len(parts)})",
            )
        name, reach, impact, effort = parts
        features.append(
            {
                "name": name,
                "reach": _number(reach),
                "impact": _number(impact),
                "effort": _number(effort),
            }
        )
        numbers.append(number)
    return features, numbers


def _competitors(field: str, text: str) -> tuple[list[dict[str, Any]], list[int]]:
    """`name, share %, price, feature; feature` a line."""
    rows, numbers = [], []
    for number, parts in _lines(text):
        if len(parts) not in (3, 4):
            raise FormProblem(
                field,
                f"line {number}: give name, market share, price and optionally "
                "features separated by ;",
            )
        rows.append(
            {
                "name": parts[0],
                "market_share": _number(parts[1]),
                "price": _number(parts[2]),
                "features": _names(parts[3]) if len(parts) == 4 else [],
            }
        )
        numbers.append(number)
    return rows, numbers


def _message(error: Mapping[str, Any]) -> str:
    text = str(error["msg"])
    return text.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _errors(
    exc: ValidationError,
    fields: Mapping[tuple[str, ...], str],
    lines: Mapping[str, list[int]] | None = None,
) -> Errors:
    """The model's complaints beside the form's fields: `fields` maps a location in the
    model (its longest matching prefix wins) to the form field; an item of a list read
    from a text area is named by its line."""
    found: Errors = {}
    for error in exc.errors():
        loc = tuple(error["loc"])
        target, rest = FORM, loc
        for prefix in sorted(fields, key=len, reverse=True):
            if loc[: len(prefix)] == prefix:
                target, rest = fields[prefix], loc[len(prefix) :]
                break
        where = ""
        if rest and isinstance(rest[0], int):
            numbers = (lines or {}).get(target, [])
            index = rest[0]
            where = f"line {numbers[index] if index < len(numbers) else index + 1}: "
            rest = rest[1:]
        named = " ".join(str(part).replace("_", " ") for part in rest if isinstance(part, str))
        text = f"{where}{named + ': ' if named and target != FORM else ''}{_message(error)}"
        found.setdefault(target, text)
    return found


def _validate(
    model: type[Model],
    data: dict[str, Any],
    fields: Mapping[tuple[str, ...], str],
    lines: Mapping[str, list[int]] | None = None,
) -> tuple[Model | None, Errors]:
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        return None, _errors(exc, fields, lines)


def _form(req: PageRequest, defaults: Mapping[str, str]) -> dict[str, str]:
    """What the form shows: the defaults on a first visit, else what was sent."""
    if req.method == "GET":
        return dict(defaults)
    return {key: req.form.get(key, "") for key in defaults}


# ------------------------------------------------------------------ the forms as models

MARKET_FIELDS: dict[tuple[str, ...], str] = {
    ("sector",): "sector",
    ("dataset",): "sector",
    ("region",): "region",
    ("segment_share",): "segment_share",
    ("reachable_share",): "reachable_share",
    ("customers",): "customers",
    ("price_per_year",): "price_per_year",
    ("adoption",): "adoption",
    ("serviceable_share",): "serviceable_share",
    ("years",): "years",
}
MARKET_NUMBERS = (
    "segment_share",
    "reachable_share",
    "customers",
    "price_per_year",
    "adoption",
    "serviceable_share",
    "years",
)


def _market_data(form: Mapping[str, str]) -> dict[str, Any]:
    """A sector of the user's own is chosen as `<dataset id>/<sector id>`."""
    dataset, _, sector = form.get("sector", "").strip().rpartition("/")
    data: dict[str, Any] = {
        "sector": sector or None,
        "region": form.get("region", "").strip() or "global",
        **_numbers(form, MARKET_NUMBERS),
    }
    if dataset:
        data["dataset"] = dataset
    return data


def _product_data(form: Mapping[str, str]) -> tuple[dict[str, Any], list[int]]:
    features, numbers = _features("features", form.get("features", ""))
    product = {
        "name": form.get("product_name", "").strip(),
        "kind": form.get("kind", "web"),
        "realtime": form.get("realtime") == "on",
        "ai": form.get("ai") == "on",
        "handles_personal_data": form.get("personal_data") == "on",
    }
    data = {"product": product, "features": features, "region": form.get("team_region", "")}
    return data, numbers


PRODUCT_FIELDS: dict[tuple[str, ...], str] = {
    ("product", "name"): "product_name",
    ("product", "kind"): "kind",
    ("product",): "product_name",
    ("features",): "features",
    ("region",): "team_region",
    ("scope",): "features",
}


# ------------------------------------------------------------------------- pages


def venture(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, "/venture", "your venture tools")
    reports = service.my_reports(req.features.venture, req.principal.user_id)
    return _page(req, "venture.html.j2", "Venture", reports=reports[:10])


def market(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, "/venture/market", "market sizing")
    form = _form(req, MARKET_DEFAULTS)
    values: dict[str, Any] = {"form": form, "errors": {}, "result": None}
    if req.method == "POST":
        body, errors = _validate(MarketAnalysisRequest, _market_data(form), MARKET_FIELDS)
        if body is not None:
            try:
                values["result"] = service.size_market(
                    req.features.venture, req.principal.user_id, body
                )
            except MarketInputError as exc:
                errors = {exc.field: exc.message}
            except NotFound:
                errors = {"sector": "no dataset of yours holds this sector"}
        values["errors"] = errors
        if values["result"] is not None:
            values["levels_chart"] = _market_chart(values["result"])
    return _page(
        req,
        "venture_market.html.j2",
        "Size a market",
        status=400 if values["errors"] else 200,
        charts=values["result"] is not None,
        wide=values["result"] is not None,
        **values,
        **_choices(req),
    )


def _market_chart(result: MarketAnalysis) -> ChartData:
    """The three levels used (reconciled), one bar each; the table beside it holds both
    methods' figures."""
    levels = [result.tam, result.sam, result.som]
    return chart_data(["TAM", "SAM", "SOM"], "Level", [series("Market size", levels, "USD")])


def competition(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, "/venture/competition", "the competitive landscape")
    form = _form(req, COMPETITION_DEFAULTS)
    values: dict[str, Any] = {"form": form, "errors": {}, "result": None}
    if req.method == "POST":
        try:
            data, lines = _competition_data(form)
        except FormProblem as exc:
            values["errors"] = {exc.field: exc.message}
        else:
            body, values["errors"] = _validate(
                CompetitiveLandscapeRequest, data, COMPETITION_FIELDS, {"competitors": lines}
            )
            if body is not None:
                result = analyse_landscape(body)
                values.update(
                    result=result,
                    bands=_hhi_bands(result),
                    shares={c.name: f"{c.market_share:g}" for c in body.competitors},
                    quadrants={p.name: p.quadrant for p in result.positioning},
                )
    return _page(
        req,
        "venture_competition.html.j2",
        "Competitive landscape",
        status=400 if values["errors"] else 200,
        wide=values["result"] is not None,
        **values,
    )


COMPETITION_FIELDS: dict[tuple[str, ...], str] = {
    ("competitors",): "competitors",
    ("product", "name"): "product_name",
    ("product", "price"): "product_price",
    ("product", "features"): "product_features",
    ("product",): "product_name",
    ("market_growth_percent",): "market_growth_percent",
}


def _competition_data(form: Mapping[str, str]) -> tuple[dict[str, Any], list[int]]:
    competitors, lines = _competitors("competitors", form.get("competitors", ""))
    if not competitors:
        raise FormProblem("competitors", "list at least one competitor, one a line")
    data: dict[str, Any] = {"competitors": competitors}
    if form.get("product_name", "").strip() or form.get("product_price", "").strip():
        data["product"] = {
            "name": form.get("product_name", "").strip() or "our product",
            "price": _number(form.get("product_price", "")) or None,
            "features": _names(form.get("product_features", "")),
        }
    data.update(_numbers(form, ("market_growth_percent",)))
    return data, lines


def _hhi_bands(result: CompetitiveLandscape) -> list[str]:
    """The HHI's band in words, under each guideline's thresholds."""
    index = f"{result.hhi:,.0f}"
    return [
        f"An HHI of {index} is {result.concentration} under the 2023 US Merger Guidelines, "
        f"which call a market highly concentrated above {HHI_2023_HIGH:,}.",
        f"Under the 2010 Guidelines it is {result.concentration_2010}: below "
        f"{HHI_2010_LOW:,} unconcentrated, {HHI_2010_LOW:,} to {HHI_2010_HIGH:,} moderately "
        f"concentrated, above {HHI_2010_HIGH:,} highly concentrated.",
        f"The firms listed hold {result.share_listed_percent:g} % of the market; counted as "
        f"one firm, the rest would raise the HHI to at most {result.hhi_upper_bound:,.0f}.",
    ]


def blueprint(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, "/venture/blueprint", "the MVP blueprint")
    form = _form(req, {**PRODUCT_DEFAULTS, "realtime": "", "ai": "", "personal_data": ""})
    values: dict[str, Any] = {"form": form, "errors": {}, "result": None}
    if req.method == "POST":
        try:
            data, lines = _product_data(form)
        except FormProblem as exc:
            values["errors"] = {exc.field: exc.message}
        else:
            body, values["errors"] = _validate(
                MvpBlueprintRequest, data, PRODUCT_FIELDS, {"features": lines}
            )
            if body is not None:
                try:
                    values["result"] = build_blueprint(body, req.features.stack_advisor)
                    values["team"] = _team(values["result"])
                except DomainError as exc:
                    values["errors"] = {_product_field(exc.field): exc.detail}
    return _page(
        req,
        "venture_blueprint.html.j2",
        "MVP blueprint",
        status=400 if values["errors"] else 200,
        wide=values["result"] is not None,
        **values,
    )


def _team(result: MvpBlueprint) -> list[dict[str, Any]]:
    """Each staffed role's effort over the four phases, its rate and its cost."""
    rows = []
    for role, cost in result.cost.by_role_usd.items():
        effort = sum(p.effort_by_role.get(role, 0.0) for p in result.phases)
        rate = result.cost.monthly_rates[role].monthly_usd
        rows.append(
            {"name": ROLE_NAMES.get(role, role), "effort": effort, "rate": rate, "cost": cost}
        )
    return rows


def _product_field(field: str | None) -> str:
    return PRODUCT_FIELDS.get((field,), FORM) if field else FORM


def resources(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, "/venture/resources", "the resource plan")
    form = _form(req, {**RESOURCE_DEFAULTS, "realtime": "", "ai": "", "personal_data": ""})
    values: dict[str, Any] = {"form": form, "errors": {}, "result": None}
    if req.method == "POST":
        try:
            data, lines = _product_data(form)
        except FormProblem as exc:
            values["errors"] = {exc.field: exc.message}
        else:
            data.update(_numbers(form, ("funding_usd", "overhead_percent")))
            fields = {
                **PRODUCT_FIELDS,
                ("funding_usd",): "funding_usd",
                ("overhead_percent",): "overhead_percent",
            }
            body, values["errors"] = _validate(
                ResourcePlanRequest, data, fields, {"features": lines}
            )
            if body is not None:
                try:
                    today = req.features.venture.clock.now().date()
                    values["result"] = plan_resources(body, today)
                except DomainError as exc:
                    values["errors"] = {_product_field(exc.field): exc.detail}
    return _page(
        req,
        "venture_resources.html.j2",
        "Resource plan",
        status=400 if values["errors"] else 200,
        wide=values["result"] is not None,
        **values,
    )


def reports(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, "/venture/reports", "your venture reports")
    rows = service.my_reports(req.features.venture, req.principal.user_id)
    started = req.query.get("started", "")
    return _page(
        req,
        "venture_reports.html.j2",
        "Your venture reports",
        reports=rows,
        started=next((r for r in rows if r.id == started), None),
    )


REQUEST_KEY = re.compile(r"[0-9a-f]{32}")
STATUS_OF_KIND = {"payment_required": 402, "conflict": 409, "too_many": 429, "unavailable": 503}
REPORT_FIELDS: dict[tuple[str, ...], str] = {
    ("title",): "title",
    **{("market", *key): name for key, name in MARKET_FIELDS.items()},
    ("market",): "sector",
    ("competition", "competitors"): "competitors",
    ("competition",): "competitors",
    **{("blueprint", *key): name for key, name in PRODUCT_FIELDS.items()},
    ("funding_usd",): "funding_usd",
}


def new_report(req: PageRequest) -> PageReply:
    """Start a report: charged as `POST /v1/venture/reports` charges (the same service),
    then the list, where it runs to completion."""
    if req.principal is None:
        return sign_in_first(req, "/venture/reports/new", "a new venture report")
    form = _form(req, {**REPORT_DEFAULTS, "realtime": "", "ai": "", "personal_data": ""})
    # the form's own key: sent twice (a double click, back and resend), it starts and
    # charges one report, as an Idempotency-Key does for the API
    key = req.form.get("request_key", "")
    form["request_key"] = key if REQUEST_KEY.fullmatch(key) else uuid.uuid4().hex
    venture_ = req.features.venture
    price = req.features.paid_work.price(PRICE_ITEM)
    values: dict[str, Any] = {"form": form, "errors": {}, "price": in_tokens(price, Token.AIA)}
    if req.method == "POST":
        errors: Errors = {}
        data: dict[str, Any] = {"title": form["title"].strip(), "market": _market_data(form)}
        lines: dict[str, list[int]] = {}
        try:
            competitors, lines["competitors"] = _competitors("competitors", form["competitors"])
            if competitors:
                data["competition"] = {"competitors": competitors}
            data["blueprint"], lines["features"] = _product_data(form)
        except FormProblem as exc:
            errors = {exc.field: exc.message}
        data.update(_numbers(form, ("funding_usd",)))
        if not errors:
            body, errors = _validate(VentureReportRequest, data, REPORT_FIELDS, lines)
            if body is not None:
                try:
                    report_id = service.start_report(
                        venture_,
                        req.features.paid_work,
                        req.principal.user_id,
                        body,
                        f"web-form:{form['request_key']}",
                    )
                    return PageReply(redirect=f"/venture/reports?started={report_id}")
                except MarketInputError as exc:
                    errors = {exc.field: exc.message}
                except NotFound:
                    errors = {"sector": "no dataset of yours holds this sector"}
                except DomainError as exc:
                    if exc.kind == "conflict":  # this form was sent before, then changed
                        form["request_key"] = uuid.uuid4().hex
                        detail = (
                            "this form already started a report with other inputs; "
                            "send it again to start another"
                        )
                    else:
                        detail = exc.detail
                    values["errors"] = {FORM: detail}
                    return _report_form(req, values, STATUS_OF_KIND.get(exc.kind, 400))
        values["errors"] = errors
        return _report_form(req, values, 400)
    return _report_form(req, values, 200)


def _report_form(req: PageRequest, values: dict[str, Any], status: int) -> PageReply:
    return _page(
        req,
        "venture_report_new.html.j2",
        "Start a venture report",
        status=status,
        **values,
        **_choices(req),
    )


def datasets(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, "/venture/datasets", "your sector datasets")
    form = _form(req, DATASET_DEFAULTS)
    errors: Errors = {}
    if req.method == "POST":
        upload, errors = _validate(
            DatasetUpload,
            {k: v.strip() if k != "content" else v for k, v in form.items()},
            {("name",): "name", ("format",): "format", ("content",): "content"},
        )
        if upload is not None:
            try:
                saved = service.add_dataset(req.features.venture, req.principal.user_id, upload)
                # saved: the list (a reload never uploads it again)
                return PageReply(redirect=f"/venture/datasets?added={saved.id}")
            except InvalidSectorData as exc:
                shown = "; ".join(f"{loc}: {msg}" for loc, msg in exc.errors[:10])
                more = len(exc.errors) - 10
                errors = {"content": shown + (f"; and {more} more" if more > 0 else "")}
    rows = service.my_datasets(req.features.venture, req.principal.user_id)
    added = next((d for d in rows if d.id == req.query.get("added")), None)
    return _page(
        req,
        "venture_datasets.html.j2",
        "Your sector datasets",
        status=400 if errors else 200,
        form=form,
        errors=errors,
        added=added,
        datasets=rows,
    )


# ----------------------------------------------------------------------- helpers


def _choices(req: PageRequest) -> dict[str, Any]:
    """The sectors a market form offers: the shipped ones, then the user's own."""
    assert req.principal is not None
    mine = service.my_datasets(req.features.venture, req.principal.user_id)
    return {
        "sectors": [(s.id, s.name) for s in builtin_catalog()]
        + [(f"{d.id}/{s}", f"{s} (your dataset {d.name})") for d in mine for s in d.sectors]
    }


def usd(amount: float) -> str:
    """US dollars for a person: 1.2 billion, 340 million, 45,000."""
    size = abs(amount)
    if size >= 1e12:
        return f"{amount / 1e12:,.2f} trillion"
    if size >= 1e9:
        return f"{amount / 1e9:,.2f} billion"
    if size >= 1e6:
        return f"{amount / 1e6:,.2f} million"
    return f"{amount:,.0f}"


def _assumed(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_assumed(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_assumed(v) for v in value)
    if isinstance(value, int | float) and abs(value) >= 1e6:
        return usd(value)
    if isinstance(value, float):
        return f"{value:,.4g}"
    return str(value)


def _page(
    req: PageRequest, template: str, title: str, status: int = 200, **values: Any
) -> PageReply:
    html = render_page(
        template,
        title=title,
        user=req.principal,
        csrf_token=req.csrf_token,
        regions=REGION_NAMES,
        kinds=KINDS,
        roles=ROLE_NAMES,
        status_words=STATUS_WORDS,
        usd=usd,
        assumed=_assumed,
        **values,
    )
    return PageReply(html, status=status)


FORMS: tuple[Method, ...] = ("GET", "POST")
PAGES = [
    Page("/venture", venture),
    Page("/venture/market", market, FORMS),
    Page("/venture/competition", competition, FORMS),
    Page("/venture/blueprint", blueprint, FORMS),
    Page("/venture/resources", resources, FORMS),
    Page("/venture/reports", reports),
    Page("/venture/reports/new", new_report, FORMS),
    Page("/venture/datasets", datasets, FORMS),
]
__all__ = ["PAGES", "REGIONS", "usd"]
