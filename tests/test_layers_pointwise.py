"""The pointwise (1×1) layer."""

from __future__ import annotations

from dsc_cost.formulas import Cost, Shape
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import Elements
from dsc_cost.layers.pointwise import PointwiseLayer
from dsc_cost.spec import load_text


def test_registered() -> None:
    pointwise = REGISTRY["pointwise"]
    assert pointwise.layer is PointwiseLayer
    assert [f.name for f in pointwise.fields] == ["out", "stride", "bias", "batchnorm"]
    assert "padding" not in pointwise.allowed and "kernel" not in pointwise.allowed


def test_from_a_spec_padding_default_does_not_reach_it() -> None:
    text = "input: [3, 8, 8]\ndefaults: {padding: 1}\nlayers: [{type: pointwise, out: 5, stride: 2}]\n"
    [spec] = load_text(text, "net.yaml")
    assert spec.network.nodes[0].layer == PointwiseLayer(5, (2, 2))


def test_stride() -> None:
    # pointwise stride 2 on 8×8: floor((8 − 1)/2) + 1 = 4; params 3·5 = 15; mults 15·16
    result = PointwiseLayer(5, (2, 2)).evaluate((Shape(3, 8, 8),))
    assert (result.output, result.cost) == (Shape(5, 4, 4), Cost(15, 240))


def test_elements() -> None:
    assert PointwiseLayer(5, bias=True).elements((Shape(3, 4, 4),), Shape(5, 4, 4)) == Elements(80)
