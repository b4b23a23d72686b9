"""``defaults:`` by field (every type that has it) and by type (``conv: {batchnorm: true}``, over the field's), and
``network --explain`` listing the fields each layer took from them."""

from __future__ import annotations

import pytest
from conftest import Run

from dsc_cost.spec import SpecError, cost_specs, load_text

SPEC = """\
input: [3, 32, 32]
defaults: {batchnorm: true, padding: same, linear: {batchnorm: false, bias: true}}
layers:
  - {type: conv, out: 8, kernel: 3}
  - {type: separable, out: 16, kernel: 3, padding: 0}
  - {type: pool, global: true}
  - {type: linear, out: 10}
"""


def test_a_types_defaults_win_over_the_fields() -> None:
    [spec] = load_text(SPEC, "net.yaml")
    [result] = cost_specs([spec])
    # conv 3 → 8, 3×3, batch-norm: 216 + 16 = 232; separable 8 → 16 (72 + 128) with batch-norm on both steps
    # (16 + 32): 248; linear 16 → 10 with a bias and no batch-norm (its type's defaults): 160 + 10 = 170
    assert [layer.cost.params for layer in result.layers] == [232, 248, 0, 170]
    assert [node.defaults for node in spec.network.nodes] == [
        ("batchnorm", "padding"),
        ("batchnorm",),
        ("padding",),
        ("batchnorm", "bias"),
    ]


def test_bad_typed_defaults_are_located() -> None:
    text = SPEC.replace("linear: {batchnorm: false, bias: true}", "conv: {bias: tru, kernl: 3}, add: {inputs: [a]}")
    with pytest.raises(SpecError) as info:
        load_text(text, "net.yaml")
    assert [str(p) for p in info.value.problems] == [
        "net.yaml:2:57: defaults.conv.bias: expected true or false, found 'tru'",
        "net.yaml:2:62: defaults.conv.kernl: unknown field: conv layers take defaults of out, kernel, stride, padding,"
        " dilation, groups, bias, batchnorm; did you mean 'kernel'?",
        "net.yaml:2:79: defaults.add.inputs: unknown field: add layers take none",
    ]


def test_a_shape_problem_of_a_typed_default_is_located_there() -> None:
    text = "input: [4, 4, 4]\ndefaults: {conv: {groups: 4}}\nlayers:\n  - {type: conv, out: 6, kernel: 1}\n"
    with pytest.raises(SpecError) as info:
        cost_specs(load_text(text, "net.yaml"))
    assert [str(p) for p in info.value.problems] == [
        "net.yaml:2:27: layers[0] (conv1): groups: groups 4 must divide both in channels 4 and out 6"
    ]


def test_explain_lists_the_fields_from_defaults(tmp_path, run: Run) -> None:  # type: ignore[no-untyped-def]
    spec = tmp_path / "net.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    code, out, err = run("network", str(spec), "--explain", "--format", "json")
    assert (code, err) == (0, "")
    import json

    explain = json.loads(out)["networks"][0]["explain"]
    assert explain[
        explain.index("fields from defaults: (the spec's defaults:, where the layer does not write them)") :
    ] == [
        "fields from defaults: (the spec's defaults:, where the layer does not write them)",
        "  conv1: batchnorm, padding",
        "  separable1: batchnorm",
        "  pool1: padding",
        "  linear1: batchnorm, bias",
    ]
