"""The add layer."""

from __future__ import annotations

import pytest

from dsc_cost.formulas import Cost, Shape, ShapeError
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.add import AddLayer
from dsc_cost.layers.base import Elements, other_ops
from dsc_cost.spec import load_text

X = Shape(3, 7, 7)


def test_registered() -> None:
    add = REGISTRY["add"]
    assert add.layer is AddLayer and add.multi_input and add.required == ("inputs",)
    assert "from" not in add.allowed


def test_from_a_spec() -> None:
    [spec] = load_text("input: [3, 7, 7]\nlayers: [{type: add, inputs: [input, input, input]}]\n", "net.yaml")
    assert spec.network.nodes[0].inputs == ("input", "input", "input")


def test_add() -> None:
    result = AddLayer().evaluate((X, X))
    assert (result.output, result.cost) == (X, Cost(0, 0))
    # one addition per output element: 3·7·7 = 147; three inputs: two per element, 294
    assert AddLayer().elements((X, X), X) == Elements(add_ops=147)
    assert other_ops(AddLayer().elements((X, X, X), X)) == 294
    with pytest.raises(ShapeError, match=r"add needs equal shapes, found 3×7×7 and 5×7×7"):
        AddLayer().evaluate((X, Shape(5, 7, 7)))


def test_add_broadcasts_a_gate() -> None:
    # C×1×1 + C×H×W, in either order: C×H×W
    gate = Shape(3, 1, 1)
    assert AddLayer().evaluate((gate, X)).output == X
    assert AddLayer().evaluate((X, gate, X)).output == X
    assert AddLayer().evaluate((gate, gate)).output == gate
    with pytest.raises(ShapeError, match=r"add broadcasts C×1×1 over C×H×W of the same C, found 5×1×1 and 3×7×7"):
        AddLayer().evaluate((Shape(5, 1, 1), X))
    with pytest.raises(ShapeError, match=r"add needs equal shapes, found 3×7×7 and 3×7×8"):
        AddLayer().evaluate((gate, X, Shape(3, 7, 8)))
