"""The mul layer: element-wise product, equal shapes or a C×1×1 gate over C×H×W (squeeze-and-excitation)."""

from __future__ import annotations

import pytest

from dsc_cost.conventions import CONVENTIONS, extra_ops
from dsc_cost.formulas import Cost, Shape, ShapeError
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import other_ops
from dsc_cost.layers.mul import MulLayer
from dsc_cost.spec import SpecError, cost_specs, load_text

X = Shape(32, 14, 14)
GATE = Shape(32, 1, 1)


def test_registered() -> None:
    mul = REGISTRY["mul"]
    assert mul.layer is MulLayer and mul.multi_input and mul.required == ("inputs",)


def test_gate_broadcasts_either_way() -> None:
    for inputs in ((X, GATE), (GATE, X), (X, X)):
        result = MulLayer().evaluate(inputs)
        assert (result.output, result.cost) == (X, Cost(0, 0))
    # one product per output element: 32·14·14 = 6,272; no counter sees `x * y`
    elements = MulLayer().elements((X, GATE), X)
    assert other_ops(elements) == 6_272
    assert all(extra_ops(convention, elements) == 0 for convention in CONVENTIONS.values())


def test_shapes_that_do_not_go_together() -> None:
    with pytest.raises(ShapeError, match=r"inputs: mul broadcasts C×1×1 over C×H×W of the same C, found 16×1×1 and"):
        MulLayer().evaluate((Shape(16, 1, 1), X))
    with pytest.raises(ShapeError, match=r"mul needs equal shapes, found 32×14×14 and 32×7×7"):
        MulLayer().evaluate((X, Shape(32, 7, 7)))


SE = """\
input: [32, 14, 14]
layers:
  - {name: squeeze, type: pool, mode: avg, global: true}
  - {name: reduce, type: pointwise, out: 8, bias: true}
  - {type: activation, fn: relu}
  - {name: expand, type: pointwise, out: 32, bias: true}
  - {name: gate, type: activation, fn: sigmoid}
  - {name: excite, type: mul, inputs: [input, gate]}
"""


def test_a_squeeze_and_excitation_block() -> None:
    [result] = cost_specs(load_text(SE, "se.yaml"))
    # reduce 32·8 + 8 = 264 params, 256 mults; expand 8·32 + 32 = 288 params, 256 mults
    assert (result.total.params, result.total.mults) == (264 + 288, 256 + 256)
    assert result.output == X
    # other operations: the pool reads 6,272; relu 8; sigmoid 32; the gate multiplies 6,272
    assert [layer.other_ops for layer in result.layers] == [6_272, 0, 8, 0, 32, 6_272]
    assert result.other_ops == 6_272 + 8 + 32 + 6_272


def test_exactly_two_inputs() -> None:
    with pytest.raises(
        SpecError, match=r"inputs: expected a list of two layer names, found \['input', 'input', 'input'\]"
    ):
        load_text("input: [4, 4, 4]\nlayers: [{type: mul, inputs: [input, input, input]}]\n", "n.yaml")
    with pytest.raises(SpecError, match=r"inputs: mul broadcasts C×1×1 over C×H×W of the same C, found 8×1×1 and"):
        cost_specs(
            load_text(
                "input: [4, 4, 4]\nlayers:\n  - {type: pool, global: true, from: input}\n"
                "  - {type: pointwise, out: 8}\n  - {type: mul, inputs: [pointwise1, input]}\n",
                "n.yaml",
            )
        )
