"""The add layer."""

from __future__ import annotations

import pytest

from dsc_cost.formulas import Cost, Shape, ShapeError
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.add import AddLayer
from dsc_cost.layers.base import Elements
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
    assert AddLayer().elements((X, X), X) == Elements()
    with pytest.raises(ShapeError, match=r"add needs equal shapes, found 3×7×7 and 5×7×7"):
        AddLayer().evaluate((X, Shape(5, 7, 7)))
