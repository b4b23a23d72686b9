"""The concat layer."""

from __future__ import annotations

import pytest

from dsc_cost.formulas import Cost, Shape, ShapeError
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import Elements
from dsc_cost.layers.concat import ConcatLayer
from dsc_cost.spec import load_text

X = Shape(3, 7, 7)


def test_registered() -> None:
    concat = REGISTRY["concat"]
    assert concat.layer is ConcatLayer and concat.multi_input and concat.required == ("inputs",)


def test_from_a_spec() -> None:
    text = "input: [3, 7, 7]\nlayers:\n  - {name: p, type: pointwise, out: 5}\n  - {type: concat, inputs: [input, p]}\n"
    [spec] = load_text(text, "net.yaml")
    assert spec.network.nodes[1].inputs == ("input", "p")


def test_concat() -> None:
    # channels add up: 3 + 5 = 8
    result = ConcatLayer().evaluate((X, Shape(5, 7, 7)))
    assert (result.output, result.cost) == (Shape(8, 7, 7), Cost(0, 0))
    assert ConcatLayer().elements((X, X), Shape(6, 7, 7)) == Elements()
    with pytest.raises(ShapeError, match=r"concat needs equal height and width, found 3×7×7 and 3×6×7"):
        ConcatLayer().evaluate((X, Shape(3, 6, 7)))
