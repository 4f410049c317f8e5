"""A run's monthly metrics as CSV: one writer for `aia simulate`'s metrics.csv and the
API's `GET /v1/simulations/{id}/metrics?format=csv`, so both have the same columns.

Every field is a plain number a spreadsheet or pandas reads as one: integers in digits,
floats in Python's shortest round-tripping form (numpy's repr would write
`np.float64(68003.17)`). A month without a value (`gdp_growth` in the first year) is an
empty field, which pandas reads as NaN and spreadsheets as a blank cell."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from shared.simulation.indicators import (
    ADDED_FIELDS,
    INTEGER_FIELDS,
    METRIC_FIELDS,
    OPTIONAL_FIELDS,
)

MEDIA_TYPE = "text/csv"


def write_metrics_csv(records: Iterable[Mapping[str, Any]], out: TextIO) -> None:
    """A header of METRIC_FIELDS, then one row per record (a month), in that order."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(METRIC_FIELDS)
    for record in records:
        writer.writerow([_field(name, record[name]) for name in METRIC_FIELDS])


def metrics_csv(records: Iterable[Mapping[str, Any]]) -> str:
    buffer = io.StringIO()
    write_metrics_csv(records, buffer)
    return buffer.getvalue()


def read_metrics_csv(source: TextIO) -> list[dict[str, Any]]:
    """The records of a file `write_metrics_csv` wrote (a month without a value reads as None);
    ValueError naming the row and column of a file in another shape."""
    reader = csv.reader(source)
    header = next(reader, None)
    columns = tuple(header or ())
    # a file of an earlier model lacks the columns added since (read as None); read by name
    later = tuple(name for name in METRIC_FIELDS if name not in columns)
    unknown = [name for name in columns if name not in METRIC_FIELDS]
    if not columns or unknown or len(set(columns)) != len(columns) or set(later) - ADDED_FIELDS:
        missing = [name for name in later if name not in ADDED_FIELDS]
        raise ValueError(
            "not a metrics file of `aia simulate`"
            + (f": no column {', '.join(missing[:3])}" if missing else "")
            + (f": unknown column {', '.join(unknown[:3])}" if unknown else "")
        )
    records = []
    for line, row in enumerate(reader, start=2):
        if len(row) != len(columns):
            raise ValueError(f"line {line} has {len(row)} fields, not {len(columns)}")
        record: dict[str, Any] = dict.fromkeys(later)
        for name, text in zip(columns, row, strict=True):
            try:
                record[name] = _parse(name, text)
            except ValueError:
                raise ValueError(f"line {line}, column {name}: {text!r} is not a number") from None
        records.append(record)
    return records


def _parse(name: str, text: str) -> int | float | None:
    if text == "" and (name in OPTIONAL_FIELDS or name in ADDED_FIELDS):
        return None
    return int(text) if name in INTEGER_FIELDS else float(text)


def _field(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name in INTEGER_FIELDS:
        return str(int(value))
    return repr(float(value))  # float(): numpy's own repr is not a number
