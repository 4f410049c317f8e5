"""The simulation's HTTP API: create and inspect your simulations, read their metrics
and charts, change their policy; and the flagship economy's latest figures."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    create_model,
    field_validator,
)

from shared.api.pagination import (
    NEXT_CURSOR_DESCRIPTION,
    OffsetPageQuery,
    PageQuery,
    encode_cursor,
    slice_page,
)
from shared.api.params import INT32_MAX, Instant
from shared.api.problems import field_errors, validation_failed
from shared.api.spec import AnyRequest, ApiError, ApiRequest, FieldError, Reply, route
from shared.errors import Conflict, NotFound
from shared.money import to_decimal
from shared.simulation.comparison import COMPARABLE, DEFAULT_METRICS, MAX_RUNS, Run, compare
from shared.simulation.indicators import (
    ADDED_FIELDS,
    INTEGER_FIELDS,
    METRIC_FIELDS,
    METRIC_INFO,
    OPTIONAL_FIELDS,
)
from shared.simulation.live_model import EconomyModel, live_model
from shared.simulation.live_policy import EconomyPolicy, live_policy
from shared.simulation.metric_charts import metric_chart
from shared.simulation.metric_glossary import METRIC_DESCRIPTIONS
from shared.simulation.metrics_csv import MEDIA_TYPE as CSV
from shared.simulation.metrics_csv import metrics_csv
from shared.simulation.model_version import MODEL_VERSION
from shared.simulation.params import Policy, SimulationParams
from shared.simulation.runs import change_policy as change_run_policy
from shared.simulation.runs import quote_run, start_run
from shared.simulation.store import LIVE_ID, SimulationRecord, Status

TAG = "simulation"
# on a run's metrics, JSON or CSV: a CSV file has no other place to say it
MODEL_HEADER = "AIA-Model-Version"
MODEL_VERSION_NOTE = (
    f"The economy model version that produced the run: {MODEL_VERSION} for runs of this "
    "release's model, 1 for every run stored before model versions were kept (release 2). "
    "A run of an earlier model is kept and readable, but cannot run on: one still running "
    "when a release changes the model fails at its next month, refunded."
)
MAX_IN_FLIGHT = 1000  # an operator's list: the oldest this many

GROWTH_NOTE = (
    "gdp_growth is real GDP against the same month a year earlier: null in months 1-12, "
    "before a year of months exists (it is never annualised from one month)."
)


ADDED_NOTE = "Null in months stored by an earlier model, which did not have it."


def _metric_field(name: str) -> tuple[Any, Any]:
    described = METRIC_DESCRIPTIONS[name]
    if name in OPTIONAL_FIELDS:
        return (float | None, Field(description=f"{described} {GROWTH_NOTE}"))
    if name in ADDED_FIELDS:
        kind = int if name in INTEGER_FIELDS else float
        return (kind | None, Field(description=f"{described}. {ADDED_NOTE}"))
    return (int if name in INTEGER_FIELDS else float, Field(description=described))


MetricRecord: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "MetricRecord",
    __doc__="One simulated month. Money per month; rates are fractions (0.02 = 2 %); "
    "inflation, policy_rate and gdp_growth are annual. " + GROWTH_NOTE,
    **{name: _metric_field(name) for name in METRIC_FIELDS},
)


def _digits_only(value: object) -> object:
    """Query values arrive as text: only plain decimal digits are a whole number here
    (int() would also take "2.0", " 2" and "1_0")."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{1,19}", value):
        raise ValueError("must be a whole number written in digits")
    return value


QueryInt = Annotated[int, BeforeValidator(_digits_only)]
PRICING = (
    "A run costs `simulation_per_million_household_months` AIA per million households x "
    "months, and at least `simulation` AIA (settings `prices`); "
    "`GET /v1/simulations/quote` says how much before you pay."
)
LIMITS = (
    "Per user, at most `simulation_max_concurrent` runs not yet completed or failed and "
    "`simulation_daily_household_months` household-months started per UTC day: beyond "
    "either, 429 (with Retry-After, in seconds to midnight UTC, for the daily quota)."
)


class CreateSimulation(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "households": 1000,
                    "ticks": 24,
                    "seed": 7,
                    "policy": {"fiscal": {"basic_income": 0.05}},
                }
            ]
        },
    )

    # strict: JSON integers only (1e6 or 1000.0 is a float, "1000" a string: both 400)
    households: int = Field(
        default=1000, ge=200, le=1_000_000, strict=True, description="Simulated households"
    )
    ticks: int = Field(default=120, ge=1, le=2400, strict=True, description="Horizon in months.")
    seed: int = Field(
        default=0,
        ge=0,
        le=2**63 - 1,
        strict=True,
        description="Random seed: the same seed and parameters give the same run",
    )
    policy: Policy = Field(
        default_factory=Policy,
        description="Fiscal, monetary and token policy; fields left out keep their defaults. "
        "The run starts from an economy settled under the default policy, so this policy "
        "applies from its first month, as a change of policy would",
    )
    agent_id: str | None = Field(
        default=None,
        max_length=64,
        description="Run on behalf of one of your agents: the finished run is its task record",
    )


class SimulationAccepted(BaseModel):
    id: str = Field(description="The run's id, for GET /v1/simulations/{id}")
    status: Status = Field(
        description="queued, running, completed (reached its horizon) or failed (refunded)"
    )
    household_months: int = Field(description="Households x months: the work paid for.")
    charged_aia: str = Field(description="AIA charged for the run, exact decimal.")


class SimulationView(BaseModel):
    id: str = Field(description="The run's id")
    status: Status = Field(
        description="queued, running, completed (reached its horizon) or failed (refunded)"
    )
    current_tick: int = Field(description="Months simulated so far")
    ticks: int | None = Field(description="Horizon in months; null for the live economy.")
    households: int = Field(description="Simulated households at the start")
    seed: int = Field(description="The random seed")
    household_months: int | None = Field(description="Households x months; null when live.")
    charged_aia: str = Field(description="AIA charged for the run (refunded if it failed).")
    parameters: dict[str, Any] = Field(
        description="Every parameter of the run, policy included, as it started"
    )
    latest: dict[str, float] = Field(
        default_factory=dict,
        description="Headline figures of month `current_tick` (units as in the metrics); "
        "empty before the first month",
    )
    created_at: str = Field(description="When the run was created (ISO 8601, UTC)")
    updated_at: str = Field(description="When it last changed (ISO 8601, UTC)")
    model_version: int = Field(description=MODEL_VERSION_NOTE)
    failure_reason: str | None = Field(
        default=None,
        description="Why a failed run failed (e.g. `produced by model 1; this release runs "
        "model 2`); null unless `status` is failed (and for runs failed before reasons "
        "were kept)",
    )


class SimulationList(BaseModel):
    simulations: list[SimulationView] = Field(description="This page of runs, newest first")
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)


class SimulationInFlight(SimulationView):
    owner_id: str = Field(
        description="The user who started it (the platform's, for the live economy)"
    )


class SimulationsInFlight(BaseModel):
    simulations: list[SimulationInFlight] = Field(
        description=f"This page of runs queued or running, the oldest first (of the "
        f"{MAX_IN_FLIGHT} oldest)"
    )
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)


class InFlightQuery(OffsetPageQuery):
    limit: int = Field(default=50, ge=1, le=500, description="Simulations per page")


class SimulationListQuery(PageQuery):
    # (created_at, simulation_id) of the last run handed out
    positions = TypeAdapter(tuple[Instant, Annotated[str, Field(min_length=1, max_length=64)]])

    limit: int = Field(default=50, ge=1, le=100, description="Simulations per page")


class MetricsQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    from_tick: QueryInt = Field(
        default=0, ge=0, le=INT32_MAX, description="Records after this tick."
    )
    limit: QueryInt = Field(
        default=2400, ge=1, le=10_000, description="Most monthly records to return"
    )
    format: Literal["json", "csv"] | None = Field(
        default=None,
        description="csv: the same columns as `aia simulate`'s metrics.csv (also chosen by "
        "`Accept: text/csv`).",
    )


def _listed(value: object) -> object:
    """`a,b,c` -> ["a", "b", "c"]: query values arrive as one text."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",")]
    return value


class CompareQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=64)]], BeforeValidator(_listed)
    ] = Field(
        min_length=2,
        max_length=MAX_RUNS,
        description=f"2 to {MAX_RUNS} of your simulations' ids, comma-separated; the first "
        "is the baseline the others are compared with.",
    )
    metrics: Annotated[list[str], BeforeValidator(_listed)] = Field(
        default=list(DEFAULT_METRICS),
        min_length=1,
        max_length=len(COMPARABLE),
        description="Comma-separated metrics to align and summarise (default: the headline "
        "figures).",
    )

    @field_validator("ids")
    @classmethod
    def _distinct(cls, ids: list[str]) -> list[str]:
        if len(set(ids)) != len(ids):
            raise ValueError("each simulation may be named once")
        return ids

    @field_validator("metrics")
    @classmethod
    def _known(cls, metrics: list[str]) -> list[str]:
        unknown = [m for m in metrics if m not in COMPARABLE]
        if unknown:
            raise ValueError(f"no metric named {', '.join(unknown)[:200]}")
        if len(set(metrics)) != len(metrics):
            raise ValueError("each metric may be named once")
        return metrics


class ComparedRun(BaseModel):
    id: str = Field(description="The simulation's id")
    households: int = Field(description="Households the run simulates")
    seed: int = Field(description="The run's random seed")
    model_version: int = Field(description="The economy model version that produced the run")
    months: int = Field(description="Months the run has (it may be longer than compared).")
    last: dict[str, float | None] = Field(description="The figures of the last shared month.")
    mean: dict[str, float | None] = Field(
        description="Means over the shared months (of the months that have a value)."
    )


class RunDifference(BaseModel):
    id: str = Field(description="The simulation compared with the baseline")
    last: dict[str, float | None] = Field(description="This run's `last` minus the baseline's.")
    mean: dict[str, float | None] = Field(description="This run's `mean` minus the baseline's.")


class SimulationComparison(BaseModel):
    baseline: str = Field(description="The first id: differences are against it.")
    note: str | None = Field(
        description="Said when the runs come from different model versions (see each "
        "run's `model_version`): they compare, but their differences are partly the "
        "models'; null when every run is of one model"
    )
    ticks: list[int] = Field(description="The months every run has, in order.")
    series: dict[str, dict[str, list[float | None]]] = Field(
        description="metric -> simulation id -> its value in each of `ticks`."
    )
    runs: list[ComparedRun] = Field(description="Each run's summary, in the order of `ids`")
    differences: list[RunDifference] = Field(description="Every run but the baseline.")


class QuoteQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    households: QueryInt = Field(
        default=1000, ge=200, le=1_000_000, description="Simulated households"
    )
    ticks: QueryInt = Field(default=120, ge=1, le=2400, description="Horizon in months.")


class SimulationQuote(BaseModel):
    households: int = Field(description="The households asked about")
    ticks: int = Field(description="The months asked about")
    household_months: int = Field(description="households x ticks: the work to be paid for")
    price_aia: str = Field(description="What the run would cost now, exact decimal.")
    minimum_aia: str = Field(description="The least any run costs.")
    aia_per_million_household_months: str = Field(
        description="The rate: AIA per million household-months, exact decimal"
    )
    running: int = Field(description="Your runs not yet completed or failed.")
    max_concurrent: int = Field(description="The most runs you may have not yet finished")
    household_months_started_today: int = Field(description="Since midnight UTC.")
    daily_household_months: int = Field(
        description="The most household-months you may start per UTC day"
    )


class MetricsPage(BaseModel):
    simulation_id: str = Field(description="The run the records are from")
    model_version: int = Field(description=MODEL_VERSION_NOTE)
    records: list[MetricRecord] = Field(
        description="One record per month after `from_tick`, oldest first, up to `limit`"
    )


class EconomySnapshot(BaseModel):
    simulation_id: str = Field(description="The flagship economy's simulation id")
    households: int = Field(description="Households it started with")
    model: EconomyModel = Field(description="The model it runs, and since which month")
    record: MetricRecord = Field(description="Its latest month")


class PolicyChange(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "changes": {"fiscal": {"basic_income": 0.1}},
                    "reason": "Try a basic income from month 13",
                }
            ]
        },
    )

    changes: dict[str, dict[str, Any]] = Field(
        description='Policy fields to change, e.g. {"fiscal": {"basic_income": 0.1}}.'
    )
    reason: str = Field(
        default="", max_length=500, description="Why, kept with the change; may be empty"
    )


class PolicyAccepted(BaseModel):
    id: str = Field(
        description="The policy-change event's id; the change applies from the next month"
    )
    status: Literal["accepted"] = Field(description="Always `accepted`")


def create_simulation(req: ApiRequest[CreateSimulation]) -> Reply:
    principal = req.require_principal()
    body = req.body
    try:
        params = SimulationParams(households=body.households, seed=body.seed, policy=body.policy)
    except ValidationError as exc:
        raise _invalid(exc, "") from None
    started = start_run(
        req.platform,
        req.features.simulations,
        req.features.outbox,
        principal.user_id,
        params,
        body.ticks,
        body.agent_id,
    )
    return Reply(
        body=SimulationAccepted(
            id=started.simulation_id,
            status="queued",
            household_months=started.price.household_months,
            charged_aia=to_decimal(started.price.amount),
        ),
        status=202,
        headers={"Location": f"/v1/simulations/{started.simulation_id}"},
    )


def quote_simulation(req: ApiRequest[None, QuoteQuery]) -> SimulationQuote:
    principal = req.require_principal()
    query = req.query
    quote = quote_run(
        req.platform, req.features.simulations, principal.user_id, query.households, query.ticks
    )
    price, usage, limits = quote.price, quote.usage, quote.limits
    return SimulationQuote(
        households=query.households,
        ticks=query.ticks,
        household_months=price.household_months,
        price_aia=to_decimal(price.amount),
        minimum_aia=to_decimal(price.minimum),
        aia_per_million_household_months=to_decimal(price.per_million_household_months),
        running=usage.running,
        max_concurrent=limits.max_concurrent,
        household_months_started_today=usage.started_today,
        daily_household_months=limits.daily_household_months,
    )


def list_simulations(req: ApiRequest[None, SimulationListQuery]) -> SimulationList:
    owner = req.require_principal().user_id
    query = req.query
    found = req.features.simulations.owned_by(owner, query.limit + 1, query.start())
    page = found[: query.limit]
    last = page[-1] if len(found) > query.limit else None
    return SimulationList(
        simulations=[_view(simulation) for simulation in page],
        next_cursor=None if last is None else encode_cursor((last.created_at, last.simulation_id)),
    )


def simulations_in_flight(req: ApiRequest[None, InFlightQuery]) -> SimulationsInFlight:
    page, next_cursor = slice_page(req.features.simulations.unfinished(MAX_IN_FLIGHT), req.query)
    return SimulationsInFlight(
        simulations=[
            SimulationInFlight(**_view(s).model_dump(), owner_id=s.owner_id) for s in page
        ],
        next_cursor=next_cursor,
    )


def get_simulation(req: ApiRequest) -> SimulationView:
    return _view(_owned(req, req.path_params["id"]))


def get_metrics(req: ApiRequest[None, MetricsQuery]) -> MetricsPage | Reply:
    simulation_id = req.path_params["id"]
    model = _owned(req, simulation_id).model_version
    query = req.query
    months = req.features.simulations.metrics(simulation_id, query.from_tick, query.limit)
    records = [m.as_dict() for m in months]  # the rows a metrics.csv file holds
    wants_csv = query.format == "csv" or (
        query.format is None and CSV in req.headers.get("accept", "")
    )
    if wants_csv:
        return Reply(
            body=metrics_csv(records),
            media_type=f"{CSV}; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{simulation_id}.csv"',
                MODEL_HEADER: str(model),
            },
        )
    return Reply(
        body=MetricsPage(simulation_id=simulation_id, model_version=model, records=records),
        headers={MODEL_HEADER: str(model)},
    )


def compare_simulations(req: ApiRequest[None, CompareQuery]) -> SimulationComparison:
    query = req.query
    owner = req.require_principal().user_id
    store = req.features.simulations
    runs = []
    for simulation_id in query.ids:
        simulation = store.owned(simulation_id, owner)
        if simulation is None:  # another user's run reads exactly as one that never was
            detail = f"no simulation with id {simulation_id}"
            raise ApiError(404, detail, errors=[FieldError("ids", detail, "query", "not_found")])
        params = simulation.params
        runs.append(
            Run(
                simulation_id,
                params.households,
                params.seed,
                [m.as_dict() for m in store.metrics(simulation_id)],
                simulation.model_version,
            )
        )
    return SimulationComparison.model_validate(compare(runs, query.metrics))


def get_chart(req: ApiRequest) -> Reply:
    simulation_id, metric = req.path_params["id"], req.path_params["metric"]
    params = _owned(req, simulation_id).params
    info = METRIC_INFO.get(metric)
    if info is None:
        raise ApiError(
            404,
            f"no chart named {metric}; charts: {', '.join(sorted(METRIC_INFO))}",
        )
    records = [m.as_dict() for m in req.features.simulations.metrics(simulation_id)]
    svg = metric_chart(metric, records, params.households, params.seed)
    return Reply(body=svg, media_type="image/svg+xml")


def change_policy(req: ApiRequest[PolicyChange]) -> Reply:
    simulation = _owned(req, req.path_params["id"])
    body = req.body
    try:
        event_id = change_run_policy(req.platform, simulation, body.changes, body.reason)
    except Conflict as exc:
        raise ApiError(409, exc.detail) from None
    except ValidationError as exc:
        raise _invalid(exc, "changes.") from None
    return Reply(body=PolicyAccepted(id=event_id, status="accepted"), status=202)


def economy_policy(req: ApiRequest) -> EconomyPolicy:
    return live_policy(req.features.simulations)


def economy_metrics(req: ApiRequest) -> EconomySnapshot:
    store = req.features.simulations
    live = store.record(LIVE_ID)
    record = store.latest_metrics(LIVE_ID) if live else None
    if live is None or record is None:
        raise ApiError(404, "the live economy has not started yet; it starts on its schedule")
    return EconomySnapshot(
        simulation_id=LIVE_ID,
        households=live.params.households,
        model=live_model(store, live),
        record=record.as_dict(),
    )


def _owned(req: AnyRequest, simulation_id: str) -> SimulationRecord:
    """The caller's simulation; another user's is as missing as one that never was."""
    owner = req.require_principal().user_id
    simulation = req.features.simulations.owned(simulation_id, owner)
    if simulation is None:
        raise NotFound("simulation", simulation_id)
    return simulation


def _view(simulation: SimulationRecord) -> SimulationView:
    params, horizon = simulation.params, simulation.horizon
    return SimulationView(
        id=simulation.simulation_id,
        status=simulation.status,
        current_tick=simulation.tick,
        ticks=horizon,
        households=params.households,
        seed=params.seed,
        household_months=None if horizon is None else params.households * horizon,
        charged_aia=to_decimal(simulation.charged_minor),
        parameters=params.model_dump(mode="json"),
        latest=dict(simulation.latest),
        created_at=simulation.created_at.isoformat(),
        updated_at=simulation.updated_at.isoformat(),
        model_version=simulation.model_version,
        failure_reason=simulation.failure_reason if simulation.status == "failed" else None,
    )


def _invalid(exc: ValidationError, prefix: str) -> ApiError:
    return validation_failed(field_errors(exc, prefix=prefix))


ROUTES = [
    route(
        "GET",
        "/v1/admin/simulations/in-flight",
        simulations_in_flight,
        "Simulations in flight: every owner's runs queued or running",
        "admin",
        query=InFlightQuery,
        response=SimulationsInFlight,
        auth="admin",
        description="The live economy is listed too: it runs for as long as it is advanced.",
    ),
    route(
        "POST",
        "/v1/simulations",
        create_simulation,
        "Start a simulation; it runs to its horizon through events",
        TAG,
        body=CreateSimulation,
        response=SimulationAccepted,
        status=202,
        auth="user",
        errors=(402, 429),
        description=f"{PRICING} {LIMITS}",
    ),
    route(
        "GET",
        "/v1/simulations/quote",
        quote_simulation,
        "What a simulation of this size would cost, and your limits",
        TAG,
        query=QuoteQuery,
        response=SimulationQuote,
        auth="user",
        description=f"{PRICING} {LIMITS}",
    ),
    route(
        "GET",
        "/v1/simulations",
        list_simulations,
        "Your simulations, newest first",
        TAG,
        query=SimulationListQuery,
        response=SimulationList,
        auth="user",
    ),
    route(
        "GET",
        "/v1/simulations/{id}",
        get_simulation,
        "A simulation's status, current tick and parameters",
        TAG,
        response=SimulationView,
        auth="user",
        errors=(404,),
    ),
    route(
        "GET",
        "/v1/simulations/{id}/metrics",
        get_metrics,
        "A simulation's monthly metrics (JSON or CSV)",
        TAG,
        query=MetricsQuery,
        response=MetricsPage,
        other_media_types=(CSV,),  # ?format=csv or Accept: text/csv
        auth="user",
        errors=(404,),
        description="`?format=csv` or `Accept: text/csv` answers a CSV file with one row "
        "per month and the columns of `aia simulate`'s metrics.csv (a month without a "
        "value, gdp_growth in the first year, is an empty field). " + GROWTH_NOTE + " Both "
        f"say which model version produced the run: the `{MODEL_HEADER}` header (and "
        "`model_version` in JSON).",
    ),
    route(
        "GET",
        "/v1/simulations/compare",
        compare_simulations,
        "Compare your runs: aligned series and differences of their summary figures",
        TAG,
        query=CompareQuery,
        response=SimulationComparison,
        auth="user",
        errors=(404,),
        description="Months are aligned on those every run has; each run's summary is its "
        "last shared month and its means over the shared months, and `differences` give "
        "each run's summary minus the first run's. An id that is not one of your "
        "simulations answers 404 (naming `ids`), whether it exists or not. Runs of "
        "different model versions compare, with a `note` saying so. "
        "`aia compare DIR DIR` does the same for `aia simulate` output directories.",
    ),
    route(
        "GET",
        "/v1/simulations/{id}/charts/{metric}.svg",
        get_chart,
        "A line chart of one metric over simulated time",
        TAG,
        auth="user",
        media_type="image/svg+xml",
        errors=(404,),
    ),
    route(
        "POST",
        "/v1/simulations/{id}/policy",
        change_policy,
        "Change a running simulation's policy from its next tick on",
        TAG,
        body=PolicyChange,
        response=PolicyAccepted,
        status=202,
        auth="user",
        errors=(404, 409),
    ),
    route(
        "GET",
        "/v1/economy/metrics",
        economy_metrics,
        "The live economy's latest month",
        TAG,
        response=EconomySnapshot,
        errors=(404,),
    ),
    route(
        "GET",
        "/v1/economy/policy",
        economy_policy,
        "The live economy's current policy and the proposal that last changed it",
        TAG,
        response=EconomyPolicy,
        description="Governance steers the live economy: an executed proposal's change "
        "shows here once the simulation has applied it (in force from its next month), "
        "with the proposal in `changed_by_proposal` (null while no proposal has changed "
        "it).",
    ),
]
