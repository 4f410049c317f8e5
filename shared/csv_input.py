"""Reading CSV that users upload. The csv module raises `csv.Error` on a carriage return
inside an unquoted field, on a field over its (process-wide) size limit and, strict, on
a stray or unterminated quote; a row may also hold more or fewer cells than the header.
`read_table` turns each of these into a `CsvProblem` naming the row (the header is row
1, as a spreadsheet shows it) and, where it is known, the column."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

MAX_CELL_CHARS = 10_000

_MESSAGES = {
    "new-line character seen in unquoted field": (
        "a carriage return inside an unquoted field: quote the field, or end lines with LF or CRLF"
    ),
    "unexpected end of data": "a quoted field is never closed",
}


@dataclass(frozen=True)
class CsvProblem:
    row: int
    column: str  # "" when the problem is the row as a whole
    message: str


class UnreadableCsv(ValueError):
    def __init__(self, problems: list[CsvProblem]) -> None:
        super().__init__("; ".join(f"row {p.row}: {p.message}" for p in problems[:5]))
        self.problems = problems


@dataclass(frozen=True)
class CsvTable:
    header: list[str]  # stripped
    rows: list[tuple[int, list[str]]]  # (row number, cells) of every row not blank


def read_table(text: str, *, max_cell_chars: int = MAX_CELL_CHARS) -> CsvTable:
    """The header and rows of `text`; `UnreadableCsv` lists what is wrong, by row. A row
    whose cells do not match the header's columns is a problem, not padded or cut."""
    # newline="\n" (no translation) keeps a bare CR in a field visible to the reader
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="\n"), strict=True)
    problems: list[CsvProblem] = []
    records: list[list[str]] = []
    while True:
        row = len(records) + 1
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            problems.append(CsvProblem(row, "", _message(exc)))
            break  # the reader cannot resynchronise after a broken record
        if cells is None:
            break
        records.append(cells)
    header = [h.strip() for h in records[0]] if records else []
    rows: list[tuple[int, list[str]]] = []
    for row, cells in enumerate(records[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                CsvProblem(row, "", f"{len(cells)} cells, but the header has {len(header)}")
            )
            continue
        long = [(h, c) for h, c in zip(header, cells, strict=True) if len(c) > max_cell_chars]
        for column, cell in long:
            problems.append(
                CsvProblem(row, column, f"{len(cell)} characters; at most {max_cell_chars}")
            )
        if not long:
            rows.append((row, cells))
    for column in header:
        if len(column) > max_cell_chars:
            problems.append(CsvProblem(1, "", f"a column name over {max_cell_chars} characters"))
            break
    if problems:
        raise UnreadableCsv(sorted(problems, key=lambda p: p.row))
    return CsvTable(header, rows)


def _message(error: csv.Error) -> str:
    text = str(error)
    for start, message in _MESSAGES.items():
        if text.startswith(start):
            return message
    if text.startswith("field larger than field limit"):
        return f"a field longer than {csv.field_size_limit()} characters"
    return text
