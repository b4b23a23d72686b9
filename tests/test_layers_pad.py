"""The pad layer: values added before and after each spatial axis, channels unchanged, nothing counted."""

from __future__ import annotations

import pytest

from dsc_cost.conventions import CONVENTIONS, extra_ops
from dsc_cost.formulas import Cost, Shape, ShapeError
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import other_ops
from dsc_cost.layers.pad import PadLayer
from dsc_cost.network import what_ifs
from dsc_cost.spec import SpecError, cost_specs, load_text

X = Shape(8, 15, 15)


def test_registered() -> None:
    assert REGISTRY["pad"].layer is PadLayer and REGISTRY["pad"].required == ()
    assert not any(field.defaultable for field in REGISTRY["pad"].fields)


@pytest.mark.parametrize("mode", ["constant", "reflect", "edge", "wrap"])
def test_pad_grows_each_axis_and_costs_nothing_in_every_mode(mode: str) -> None:
    layer = PadLayer((0, 1), (1, 2), mode)
    result = layer.evaluate((X,))
    standard, separable = what_ifs(layer, (X,))
    # H: 15 + 0 + 1 = 16; W: 15 + 1 + 2 = 18
    assert result.output == Shape(8, 16, 18)
    assert (result.cost, standard, separable) == (Cost(0, 0), Cost(0, 0), Cost(0, 0))
    elements = layer.elements((X,), result.output)
    # every output value a copy (a zero, an input value, a mirrored or edge one): no other operation, no counter
    assert other_ops(elements) == 0
    assert all(extra_ops(convention, elements) == 0 for convention in CONVENTIONS.values())


def test_a_layer_built_in_code_fits_1d_and_3d_inputs() -> None:
    line, video = Shape.of(4, (10,)), Shape.of(4, (2, 3, 5))
    assert PadLayer().evaluate((line,)).output == line  # the 2-D defaults (0, 0) refit to one value per axis
    assert PadLayer(after=(0, 1, 2)).evaluate((video,)).output == Shape.of(4, (2, 4, 7))
    with pytest.raises(ShapeError, match=r"expected 1 value \[length\] for the 1-D input 4×10, found 2"):
        PadLayer((1, 2)).evaluate((line,))


def test_from_a_spec() -> None:
    text = (
        "input: [3, 15, 15]\nlayers:\n  - {type: pad, after: 1}\n"
        "  - {type: conv, out: 8, kernel: 3, stride: 2}\n  - {type: pad, before: [1, 2], mode: reflect}\n"
    )
    [result] = cost_specs(load_text(text, "n.yaml"))
    # 15×15 → 16×16 (one row and one column after), a 3×3 stride-2 conv: 7×7; then 8×7×7 → 8×8×9
    assert [layer.output for layer in result.layers] == [Shape(3, 16, 16), Shape(8, 7, 7), Shape(8, 8, 9)]
    assert result.total == Cost(216, 216 * 49)  # 8·3·9 weights at 7·7 positions
    assert result.network.nodes[2].layer == PadLayer((1, 2), (0, 0), "reflect")
    with pytest.raises(SpecError, match=r"before: expected a non-negative integer or \[height, width\] of them"):
        load_text("input: [8, 4, 4]\nlayers: [{type: pad, before: -1}]\n", "n.yaml")
    with pytest.raises(SpecError, match=r"mode: expected 'constant', 'reflect', 'edge' or 'wrap', found 'zero'"):
        load_text("input: [8, 4, 4]\nlayers: [{type: pad, mode: zero}]\n", "n.yaml")
    with pytest.raises(SpecError, match=r"unknown field"):
        load_text("input: [8, 4, 4]\ndefaults: {before: 1}\nlayers: [{type: pad, top: 1}]\n", "n.yaml")
