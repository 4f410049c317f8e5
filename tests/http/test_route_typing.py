"""A handler's request type names the models its route validates, so `req.body` and
`req.query` are checked by mypy where they are read (ADR 0021, typed edges)."""

from __future__ import annotations

import types
import typing
from pathlib import Path

import pytest
from mypy import api as mypy_api

from shared.adapters.http.catalog import all_routes
from shared.api.spec import ApiRequest, Route

ROOT = Path(__file__).resolve().parents[2]


def _declared(route: Route) -> tuple[object, object]:
    """The (body, query) type arguments of the handler's request parameter."""
    hints = typing.get_type_hints(route.handler)
    (param,) = (name for name in hints if name != "return")
    request = hints[param]
    if request is ApiRequest:  # no arguments: the defaults
        return (types.NoneType, types.NoneType)
    assert typing.get_origin(request) is ApiRequest, (route.operation_id, request)
    body, query = (types.NoneType if a is None else a for a in typing.get_args(request))
    return (body, query)


@pytest.mark.parametrize("route", all_routes(), ids=lambda r: f"{r.method} {r.path}")
def test_each_handler_reads_the_models_its_route_validates(route: Route) -> None:
    body, query = _declared(route)
    assert body is (route.body or types.NoneType), route.operation_id
    assert query is (route.query or types.NoneType), route.operation_id


PRELUDE = """
from pydantic import BaseModel
from shared.api.spec import ApiRequest, route

class Transfer(BaseModel):
    amount: int

class Stake(BaseModel):
    amount: int

class Page(BaseModel):
    limit: int = 50

def transfer(req: ApiRequest[Transfer]) -> int:
    return req.body.amount

def listing(req: ApiRequest[None, Page]) -> int:
    return req.query.limit
"""

# Each case is a module of its own; one mypy run checks them all (a run costs seconds).
CASES = {
    "matching": """
ROUTES = [
    route("POST", "/t", transfer, "t", "t", body=Transfer),
    route("GET", "/t", listing, "l", "t", query=Page),
]
""",
    "another_body": 'ROUTES = [route("POST", "/t", transfer, "t", "t", body=Stake)]',
    "body_never_validated": 'ROUTES = [route("POST", "/t", transfer, "t", "t")]',
    "query_as_body": 'ROUTES = [route("GET", "/t", listing, "l", "t", body=Page)]',
    "reads_a_missing_body": """
def careless(req: ApiRequest) -> int:
    return req.body.amount
""",
}


@pytest.fixture(scope="module")
def mypy_errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """mypy's error lines for each case, by case name."""
    where = tmp_path_factory.mktemp("route_typing")
    for name, body in CASES.items():
        (where / f"case_{name}.py").write_text(PRELUDE + body)
    out, err, _ = mypy_api.run(
        [
            "--strict",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(where / ".mypy_cache"),
            *sorted(str(p) for p in where.glob("case_*.py")),
        ]
    )
    assert "error: " in out or not err, err  # mypy ran (a crash prints to stderr)
    errors: dict[str, str] = {name: "" for name in CASES}
    for line in out.splitlines():
        for name in CASES:
            if f"case_{name}.py:" in line:
                errors[name] += line + "\n"
    return errors


def test_routes_whose_models_match_their_handlers_type_check(
    mypy_errors: dict[str, str],
) -> None:
    assert mypy_errors["matching"] == ""


@pytest.mark.parametrize("case", ["another_body", "body_never_validated", "query_as_body"])
def test_a_route_whose_model_differs_from_its_handler_is_a_type_error(
    case: str, mypy_errors: dict[str, str]
) -> None:
    assert "error: " in mypy_errors[case]


def test_reading_a_body_the_route_does_not_have_is_a_type_error(
    mypy_errors: dict[str, str],
) -> None:
    assert '"None" has no attribute "amount"' in mypy_errors["reads_a_missing_body"]
