"""The depthwise layer alone."""

from __future__ import annotations

from dsc_cost.formulas import Cost, Shape
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import Elements
from dsc_cost.layers.depthwise import DepthwiseLayer
from dsc_cost.network import what_ifs
from dsc_cost.spec import load_text

X = Shape(3, 7, 7)


def test_registered() -> None:
    depthwise = REGISTRY["depthwise"]
    assert depthwise.layer is DepthwiseLayer and depthwise.required == ("kernel",)
    assert "out" not in depthwise.allowed


def test_from_a_spec() -> None:
    [spec] = load_text("input: [3, 7, 7]\nlayers: [{type: depthwise, kernel: 3, multiplier: 2}]\n", "net.yaml")
    assert spec.network.nodes[0].layer == DepthwiseLayer((3, 3), multiplier=2)


def test_multiplier() -> None:
    # depthwise M = 2 on 3×7×7, 3×3, padding 1: out 6×7×7; params 3·2·9 = 54; mults 54·49
    result = DepthwiseLayer((3, 3), padding=(1, 1), multiplier=2).evaluate((X,))
    standard, separable = what_ifs(DepthwiseLayer((3, 3), padding=(1, 1), multiplier=2), (X,))
    assert (result.output, result.cost) == (Shape(6, 7, 7), Cost(54, 2_646))
    assert separable == result.cost
    # alone, as standard: the full conv 3 → 6 of the same window, 6·3·9 = 162 weights on 49 positions
    assert standard == Cost(162, 162 * 49)


def test_elements() -> None:
    output = Shape(6, 7, 7)  # 294 elements
    assert DepthwiseLayer((3, 3), bias=True, batchnorm=True).elements((X,), output) == Elements(294, 294, 6)
