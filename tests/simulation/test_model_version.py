"""A stored state says which model produced it; a state of another model, or one whose
arrays are not this model's, is refused with `StateFromOtherModel` before any array is
read, never with a KeyError or a crash on a missing field."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from shared.cli import main
from shared.simulation import layout
from shared.simulation.layout import (
    CorruptState,
    StateFromOtherModel,
    dump_state,
    load_state,
    model_of,
)
from shared.simulation.model_version import MODEL_VERSION, mixed_models_note
from shared.simulation.params import SimulationParams
from shared.simulation.state import initial_state

_HEAD = struct.Struct("<8sI")


def _blob() -> bytes:
    return bytes(dump_state(initial_state(SimulationParams(households=300, seed=3))))


def _header(blob: bytes) -> dict[str, object]:
    _, length = _HEAD.unpack_from(blob, 0)
    return dict(json.loads(blob[12 : 12 + length]))


def _with_header(blob: bytes, header: dict[str, object]) -> bytes:
    """The blob with another header of the same length (padded with JSON whitespace), so
    every array stays where the header's offsets say."""
    _, length = _HEAD.unpack_from(blob, 0)
    text = json.dumps(header, separators=(",", ":")).encode()
    assert len(text) <= length, "the new header must not be longer"
    return blob[:12] + text.ljust(length) + blob[12 + length :]


def test_a_state_records_the_model_that_produced_it() -> None:
    blob = _blob()
    assert _header(blob)["model"] == MODEL_VERSION == model_of(blob) == 2
    assert load_state(blob).tick == 0


def test_a_state_stored_before_versions_is_model_1_and_refused() -> None:
    blob = _blob()
    header = _header(blob)
    del header["model"]  # what every state stored before release 2 looks like
    old = _with_header(blob, header)
    assert model_of(old) == 1
    with pytest.raises(StateFromOtherModel) as refused:
        load_state(old)
    assert refused.value.produced_by == 1
    assert str(refused.value) == "produced by model 1; this release runs model 2"


def test_a_state_of_a_newer_model_is_refused_too() -> None:
    blob = _blob()
    newer = _with_header(blob, {**_header(blob), "model": MODEL_VERSION + 1})
    with pytest.raises(StateFromOtherModel, match="produced by model 3"):
        load_state(newer)


def test_arrays_not_this_models_are_refused_by_name_whatever_fields_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As if the model gained household and firm arrays without raising MODEL_VERSION:
    the blob's names are checked against the fields this code reads."""
    blob = _blob()
    monkeypatch.setattr(layout, "HOUSEHOLD_FIELDS", (*layout.HOUSEHOLD_FIELDS, "loans"))
    monkeypatch.setattr(layout, "FIRM_FIELDS", (*layout.FIRM_FIELDS, "order_book"))
    with pytest.raises(StateFromOtherModel) as refused:
        load_state(blob)
    assert str(refused.value).endswith("(arrays: missing firms.order_book, households.loans)")


def test_an_array_read_outside_the_field_lists_is_refused_as_missing_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A later model may store an array under a name of its own (not a household or firm
    field) and read it in `load_state`: an older blob without it is refused by name."""
    blob = _blob()
    header = _header(blob)
    header["arrays"] = [a for a in header["arrays"] if a["name"] != "history"]  # type: ignore[attr-defined]
    monkeypatch.setattr(layout, "expected_arrays", lambda: frozenset())  # not listed there
    with pytest.raises(StateFromOtherModel, match="arrays: missing 'history'"):
        load_state(_with_header(blob, header))


def test_macro_scalars_not_this_models_are_refused() -> None:
    blob = _blob()
    header = _header(blob)
    macro = list(header["macro"])  # type: ignore[call-overload]
    header["macro"] = macro[:-1]  # a scalar this model keeps is missing
    with pytest.raises(StateFromOtherModel, match=f"missing {macro[-1]}"):
        load_state(_with_header(blob, header))


def test_a_model_version_that_is_no_number_is_corrupt() -> None:
    blob = _blob()
    header = {**_header(blob), "model": "2"}
    del header["tick"]  # room for the quotes
    with pytest.raises(CorruptState, match="not a whole number"):
        load_state(_with_header(blob, header))
    with pytest.raises(CorruptState):
        model_of(b"not a state at all")


def test_comparing_runs_of_different_models_is_a_note() -> None:
    assert mixed_models_note([2, 2]) is None
    note = mixed_models_note([1, 2, 2])
    assert note is not None and "different model versions (1 and 2)" in note


def test_aia_simulate_records_its_model_and_aia_compare_notes_mixed_models(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for out in (old, new):
        run = ["simulate", "--households", "200", "--ticks", "3", "--out", str(out)]
        assert main(run) == 0
    summary = json.loads((new / "summary.json").read_text())
    assert summary["model_version"] == MODEL_VERSION
    # an output directory written before model versions were kept: model 1
    del summary["model_version"]
    (old / "summary.json").write_text(json.dumps(summary))
    capsys.readouterr()
    assert main(["compare", str(old), str(new), "--out", str(tmp_path / "cmp")]) == 0
    table = capsys.readouterr().out.splitlines()
    assert "different model versions (1 and 2)" in table[1]
    written = json.loads((tmp_path / "cmp" / "comparison.json").read_text())
    assert [r["model_version"] for r in written["runs"]] == [1, 2]
    assert main(["compare", str(new), str(new)]) == 0  # one model: no note
    assert "model versions" not in capsys.readouterr().out


def test_parameters_stored_by_model_1_still_load_without_its_retired_behaviour() -> None:
    """Model 1's runs stored the four market-share and Calvo fields ADR 0039 removed;
    their parameters must still read (to show the run), while any other unknown field
    stays an error."""
    from pydantic import ValidationError

    from shared.simulation.params import RETIRED_BEHAVIOUR, SimulationParams

    stored = SimulationParams(households=1000).model_dump()
    stored["behaviour"].update(dict.fromkeys(RETIRED_BEHAVIOUR, 0.25))
    assert SimulationParams.model_validate(stored) == SimulationParams(households=1000)
    stored["behaviour"]["not_a_field"] = 1.0
    with pytest.raises(ValidationError, match="not_a_field"):
        SimulationParams.model_validate(stored)
