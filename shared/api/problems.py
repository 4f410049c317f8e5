"""The one "Validation Failed" problem: a 400 whose `errors` name each field at fault,
whether pydantic or a rule of the domain found them."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from shared.api.spec import ApiError, FieldError


def field_errors(
    exc: ValidationError, location: str = "body", prefix: str = ""
) -> list[FieldError]:
    """Each error pydantic found, named by its dotted path under `prefix` (e.g. `context.`
    for a model validated inside a body field); an error of the whole value is named
    by the prefix, or else by the location."""
    errors = []
    for err in exc.errors(include_url=False):
        path = ".".join(str(p) for p in err["loc"])
        name = prefix + path if path else (prefix.rstrip(".") or location)
        errors.append(FieldError(name, err["msg"], location, err["type"]))
    return errors


def validation_failed(
    errors: Sequence[FieldError], detail: str | None = None, *, what: str = "body"
) -> ApiError:
    """400 Validation Failed; the detail names the fields unless a better one is given."""
    return ApiError(
        400,
        detail or f"invalid {what}: " + ", ".join(e.field for e in errors),
        title="Validation Failed",
        problem="validation-error",
        errors=list(errors),
    )
