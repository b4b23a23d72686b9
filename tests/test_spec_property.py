"""Any YAML value in any field of a valid spec: loading and costing either succeed or raise a
DscCostError (located problems), never anything else; and the command line exits 0 or 2, with no
traceback and, on 2, nothing on stdout."""

from __future__ import annotations

import contextlib
import copy
import io
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsc_cost.cli import main
from dsc_cost.errors import DscCostError, SpecError
from dsc_cost.layers import REGISTRY
from dsc_cost.spec import cost_specs, load_text


def every_type() -> dict[str, Any]:
    """A valid spec with one layer of each registered type, each with every field (its example),
    each reading the input."""
    layers = []
    for index, layer_type in enumerate(REGISTRY.values()):
        layer = {"name": f"n{index}", **yaml.safe_load(layer_type.example), "repeat": 1}
        if not layer_type.multi_input:
            layer["from"] = "input"
        layers.append(layer)
    return {
        "name": "every type",
        "input": [4, 16, 16],
        "defaults": {"padding": "same", "bias": False},
        "layers": layers,
    }


VALID = every_type()
TARGETS: list[tuple[Any, ...]] = [("name",), ("input",), ("defaults",), ("layers",)]
TARGETS += [("defaults", f.name) for t in REGISTRY.values() for f in t.fields if f.defaultable]
for index, layer in enumerate(VALID["layers"]):
    TARGETS += [("layers", index, key) for key in ("type", *sorted(REGISTRY[layer["type"]].allowed))]
    TARGETS += [("layers", index, key) for key in ("train_only", "width")]  # keys the expansion reads
TARGETS = sorted(set(TARGETS), key=repr)

words = st.sampled_from(["same", "valid", "max", "avg", "both", "input", "c", "p", "conv", "", " ", "x\x1b[31m"])
leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**64, max_value=10**400)
    | st.floats()
    | st.text(max_size=8)
    | words
)
values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=12,
)


def test_the_valid_spec_is_valid_and_has_every_field() -> None:
    [result] = cost_specs(load_text(yaml.safe_dump(VALID), "net.yaml"))
    assert len(result.layers) == len(REGISTRY)
    for layer in VALID["layers"]:
        assert set(layer) - {"type"} == REGISTRY[layer["type"]].allowed, layer["type"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(TARGETS), value=values, flow=st.booleans())
def test_any_value_in_any_field_is_a_result_or_located_problems(
    target: tuple[Any, ...], value: Any, flow: bool
) -> None:
    text = spec_with(target, value, flow)
    try:
        cost_specs(load_text(text, "net.yaml"))
    except SpecError as error:
        assert error.problems
        for problem in error.problems:
            assert all(character.isprintable() for character in str(problem)), str(problem)
    except DscCostError:
        pass


def spec_with(target: tuple[Any, ...], value: Any, flow: bool) -> str:
    """The valid spec with ``value`` put at ``target``, as YAML text."""
    spec = copy.deepcopy(VALID)
    *parents, last = target
    holder: Any = spec
    for key in parents:
        holder = holder[key]
    holder[last] = value
    return yaml.safe_dump(spec, default_flow_style=flow, allow_unicode=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(TARGETS), value=values, flow=st.booleans(), fmt=st.sampled_from(["json", "table"]))
def test_any_value_in_any_field_exits_0_or_2_through_the_command_line(
    target: tuple[Any, ...], value: Any, flow: bool, fmt: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "net.yaml"
        path.write_text(spec_with(target, value, flow), encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["network", str(path), "--format", fmt])
    assert code in (0, 2), err.getvalue()
    assert "Traceback" not in err.getvalue()
    if code == 2:
        assert out.getvalue() == ""
        assert err.getvalue().startswith(str(path) + ":"), err.getvalue()
    else:
        assert err.getvalue() == ""


@pytest.mark.parametrize(
    ("out", "message"),
    [
        (
            "1" + "0" * 5000,
            "net.yaml:3:34: not valid YAML: an integer of more digits than can be read",
        ),
        (
            "[2024-13-45]",
            ("net.yaml:3:35: not valid YAML: '2024-13-45' is not a valid timestamp: month must be in 1..12"),
        ),
        (
            "-" + "9" * 30,
            "net.yaml:3:34: layers[0] (c): out: expected a positive integer, found a negative integer of 30 digits",
        ),
    ],
)
def test_integers_beyond_what_is_shown_or_converted(out: str, message: str) -> None:
    text = f"input: [3, 8, 8]\nlayers:\n  - {{name: c, type: linear, out: {out}}}\n"
    with pytest.raises(SpecError) as info:
        cost_specs(load_text(text, "net.yaml"))
    assert str(info.value) == message


def test_a_count_beyond_a_machine_word_is_still_exact() -> None:
    # 10³⁰ outputs of a linear layer on 3·8·8 = 192 features: 192·10³⁰ weights and mults
    [result] = cost_specs(load_text(f"input: [3, 8, 8]\nlayers: [{{type: linear, out: {10**30}}}]\n", "net.yaml"))
    assert result.total == (192 * 10**30, 192 * 10**30)
