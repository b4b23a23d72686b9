"""The linear layer."""

from __future__ import annotations

from dsc_cost.formulas import Cost, Shape
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import Elements
from dsc_cost.layers.linear import LinearLayer
from dsc_cost.spec import load_text


def test_registered() -> None:
    linear = REGISTRY["linear"]
    assert linear.layer is LinearLayer
    assert [f.name for f in linear.fields] == ["out", "bias", "batchnorm"]


def test_from_a_spec() -> None:
    [spec] = load_text("input: [16, 2, 2]\nlayers: [{type: linear, out: 10, bias: true}]\n", "net.yaml")
    assert spec.network.nodes[0].layer == LinearLayer(10, bias=True)


def test_linear_flattens() -> None:
    # 16×2×2 = 64 features → 10: 640 weights + 10 biases
    result = LinearLayer(10, bias=True).evaluate((Shape(16, 2, 2),))
    assert (result.output, result.cost) == (Shape(10, 1, 1), Cost(650, 640))


def test_batchnorm() -> None:
    # γ and β for each of the 10 outputs
    result = LinearLayer(10, batchnorm=True).evaluate((Shape(16, 2, 2),))
    assert result.cost == Cost(640 + 20, 640)
    assert LinearLayer(10, batchnorm=True).elements((Shape(16, 2, 2),), Shape(10, 1, 1)) == Elements(0, 10, 10)
