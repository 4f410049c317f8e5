"""The stored form of a `State`: one raw binary blob, no pickle.

    offset 0   8 bytes   magic b"AIASIM\\x00" + format version (1 byte)
    offset 8   4 bytes   header length H, little-endian uint32
    offset 12  H bytes   header: UTF-8 JSON {"tick", "households", "firm_slots",
                         "model", "macro": [field names], "arrays": [{"name",
                         "dtype", "shape", "offset"}]}
    then       buffers   each array's raw little-endian bytes, in header order,
                         every buffer starting at a multiple of 64 bytes

The macro scalars are one float64 buffer (exact: no decimal round trip), so a run
resumed from a blob is bit-identical to one that never stopped. The format version
(byte 7) is the byte layout's; `model` is the economy model's version that produced the
state (`shared.simulation.model_version`; a header without it is model 1): a state of
another model, or one whose arrays are not this model's, raises `StateFromOtherModel`.
Loading is zero-copy: arrays are read-only views of the blob (`advance` never writes to
its input). About 54 bytes per household (household arrays 49 B, firm arrays ~5 B at 20
households per firm).
"""

from __future__ import annotations

import json
import struct
from typing import Any

import numpy as np
from numpy.typing import NDArray

from shared.simulation.model_version import FIRST_MODEL_VERSION, MODEL_VERSION, other_model_reason
from shared.simulation.state import Firms, Households, Macro, State

MAGIC = b"AIASIM\x00"
VERSION = 1
ALIGN = 64
_HEADER = struct.Struct("<8sI")
_DTYPES = {"<u1", "|u1", "<u2", "<i4", "<f4", "<f8"}
HOUSEHOLD_FIELDS = (
    "age",
    "health",
    "skill",
    "employer",
    "deposits",
    "aia",
    "gov",
    "flags",
    "suppliers",
)
FIRM_FIELDS = (
    "sector",
    "productivity",
    "price",
    "wage",
    "markup",
    "price_age",
    "inventory",
    "expected_sales",
    "share",
    "deposits",
    "profit",
    "capital",
    "loans",
)


# What a stored state weighs: per household (age u2, health f4, skill f4, employer i4,
# deposits, AIA and AIA_GOV f8, flags u1, five supplier links u2 or, past 65,536 firm
# slots, i4), per firm slot (sector u1 and twelve f8) and, at most, the header, macro
# scalars, history and alignment padding.
HOUSEHOLD_BYTES = 49
WIDE_LINK_BYTES = 10  # more per household when links need int32
FIRM_SLOT_BYTES = 97
FIXED_BYTES = 4096


def stored_size(households: int, firms: int) -> int:
    """An upper bound on `len(dump_state(state))` for a state of this size (its firm
    slots are `firms + 1`), without building one."""
    per_household = HOUSEHOLD_BYTES + (WIDE_LINK_BYTES if firms + 1 > 1 << 16 else 0)
    return households * per_household + (firms + 1) * FIRM_SLOT_BYTES + FIXED_BYTES


class CorruptState(ValueError):
    """The bytes are not a stored simulation state this code can read."""


class StateFromOtherModel(ValueError):
    """A well-formed state of another economy model than this code's: its header names
    another model version (none: version 1), or its arrays or macro scalars are not the
    ones this model keeps. It cannot be advanced here; what it recorded stays readable."""

    def __init__(self, produced_by: int, differences: str = "") -> None:
        self.produced_by = produced_by
        self.differences = differences
        detail = other_model_reason(produced_by)
        super().__init__(f"{detail} ({differences})" if differences else detail)


def expected_arrays() -> frozenset[str]:
    """The arrays this model reads back from a state, whatever fields the model keeps."""
    return frozenset(
        {
            *(f"households.{name}" for name in HOUSEHOLD_FIELDS),
            *(f"firms.{name}" for name in FIRM_FIELDS),
            "macro",
            "history",
        }
    )


def dump_state(state: State) -> bytearray:
    arrays: list[tuple[str, NDArray[Any]]] = [
        *((f"households.{name}", getattr(state.households, name)) for name in HOUSEHOLD_FIELDS),
        *((f"firms.{name}", getattr(state.firms, name)) for name in FIRM_FIELDS),
        ("macro", np.array([getattr(state.macro, name) for name in Macro.names()])),
        ("history", state.history),
    ]
    entries: list[dict[str, Any]] = []
    offset = 0
    for name, array in arrays:
        little = array.astype(array.dtype.newbyteorder("<"), copy=False)
        entries.append({"name": name, "dtype": little.dtype.str, "shape": list(little.shape)})
        offset = _aligned(offset)
        entries[-1]["offset"] = offset
        offset += little.nbytes
    header = json.dumps(
        {
            "tick": state.tick,
            "households": state.size,
            "firm_slots": int(state.firms.price.size),
            "model": MODEL_VERSION,
            "macro": list(Macro.names()),
            "arrays": entries,
        },
        separators=(",", ":"),
    ).encode()
    start = _aligned(_HEADER.size + len(header))
    blob = bytearray(start + offset)
    _HEADER.pack_into(blob, 0, MAGIC + bytes([VERSION]), len(header))
    blob[_HEADER.size : _HEADER.size + len(header)] = header
    for entry, (_, array) in zip(entries, arrays, strict=True):
        dtype = np.dtype(str(entry["dtype"]))
        target = np.frombuffer(
            blob, dtype=dtype, count=array.size, offset=start + int(entry["offset"])
        )
        target[...] = array.reshape(-1)  # one copy, straight into the blob
    return blob


def load_state(blob: bytes | bytearray | memoryview) -> State:
    view = memoryview(blob)
    if len(view) < _HEADER.size:
        raise CorruptState("too short for a state header")
    magic, length = _HEADER.unpack_from(view, 0)
    if magic[:7] != MAGIC:
        raise CorruptState("not a simulation state (bad magic)")
    if magic[7] != VERSION:
        raise CorruptState(f"state format {magic[7]} is not supported (expected {VERSION})")
    try:
        header = json.loads(bytes(view[_HEADER.size : _HEADER.size + length]))
    except ValueError as exc:
        raise CorruptState(f"unreadable state header: {exc}") from None
    _check_model(header)
    start = _aligned(_HEADER.size + length)
    arrays: dict[str, NDArray[Any]] = {}
    for entry in header["arrays"]:
        dtype = str(entry["dtype"])
        if dtype not in _DTYPES:
            raise CorruptState(f"unexpected dtype {dtype} for {entry['name']}")
        shape = tuple(int(d) for d in entry["shape"])
        count = int(np.prod(shape)) if shape else 1
        begin = start + int(entry["offset"])
        if begin + count * np.dtype(dtype).itemsize > len(view):
            raise CorruptState(f"array {entry['name']} runs past the end of the state")
        arrays[entry["name"]] = np.frombuffer(view, dtype=dtype, count=count, offset=begin).reshape(
            shape
        )
    n, slots = int(header["households"]), int(header["firm_slots"])
    try:
        households = Households(**{k: arrays[f"households.{k}"] for k in HOUSEHOLD_FIELDS})
        firms = Firms(**{k: arrays[f"firms.{k}"] for k in FIRM_FIELDS})
        values = arrays["macro"]
        names = list(header["macro"])  # this model's: checked above
        macro = Macro(**{name: float(values[i]) for i, name in enumerate(names)})
        history = arrays["history"]
    except KeyError as exc:  # an array this code reads that the blob lacks
        raise StateFromOtherModel(_model(header), f"arrays: missing {exc}") from None
    if any(getattr(households, k).shape[-1:] != (n,) for k in HOUSEHOLD_FIELDS) or any(
        getattr(firms, k).shape != (slots,) for k in FIRM_FIELDS
    ):
        raise CorruptState("array lengths disagree with the header")
    return State(
        tick=int(header["tick"]), households=households, firms=firms, macro=macro, history=history
    )


def model_of(blob: bytes | bytearray | memoryview) -> int:
    """The model version that produced a stored state (its header only; 1 when the header
    names none). CorruptState if the bytes are no state."""
    view = memoryview(blob)
    if len(view) < _HEADER.size or bytes(view[:7]) != MAGIC:
        raise CorruptState("not a simulation state")
    (_, length) = _HEADER.unpack_from(view, 0)
    try:
        header = json.loads(bytes(view[_HEADER.size : _HEADER.size + length]))
    except ValueError as exc:
        raise CorruptState(f"unreadable state header: {exc}") from None
    return _model(header)


def _model(header: dict[str, Any]) -> int:
    model = header.get("model", FIRST_MODEL_VERSION)
    if not isinstance(model, int) or isinstance(model, bool):
        raise CorruptState(f"model version {model!r} is not a whole number")
    return model


def _check_model(header: dict[str, Any]) -> None:
    """Before any array is read: the state is this model's, by its version and by the
    names this model reads (a model change that forgot to raise MODEL_VERSION is caught
    here too). Arrays the blob has beyond those are left alone: whatever else a later
    change stores, its own reading of them fails as a missing array, never a KeyError."""
    model = _model(header)
    if model != MODEL_VERSION:
        raise StateFromOtherModel(model)
    try:
        names = {str(entry["name"]) for entry in header["arrays"]}
        macro = [str(name) for name in header["macro"]]
    except (KeyError, TypeError) as exc:
        raise CorruptState(f"state header lacks {exc}") from None
    missing = sorted(expected_arrays() - names)
    if missing:
        raise StateFromOtherModel(model, f"arrays: missing {', '.join(missing)}")
    if macro != list(Macro.names()):
        gone = sorted(set(Macro.names()) - set(macro))
        raise StateFromOtherModel(
            model, "macro scalars differ" + (f": missing {', '.join(gone)}" if gone else "")
        )


def _aligned(offset: int) -> int:
    return (offset + ALIGN - 1) // ALIGN * ALIGN
