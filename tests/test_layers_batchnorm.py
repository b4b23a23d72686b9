"""The batchnorm layer: batch-norm on its own, counted as the batchnorm flag counts it."""

from __future__ import annotations

from dsc_cost.conventions import CONVENTIONS, report
from dsc_cost.formulas import Cost, Shape
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import other_ops
from dsc_cost.layers.batchnorm import BatchNormLayer
from dsc_cost.layers.conv import ConvLayer
from dsc_cost.network import what_ifs
from dsc_cost.spec import cost_specs, load_text

X = Shape(64, 56, 56)  # a DenseNet-like map: 64·56·56 = 200,704 elements


def test_registered() -> None:
    assert REGISTRY["batchnorm"].layer is BatchNormLayer and REGISTRY["batchnorm"].fields == ()


def test_batchnorm() -> None:
    result = BatchNormLayer().evaluate((X,))
    standard, separable = what_ifs(BatchNormLayer(), (X,))
    # γ and β per channel: 2·64 = 128 learnable params (and 128 running statistics), no mults
    assert (result.output, result.cost, result.bn_params) == (X, Cost(128, 0), 128)
    assert standard == separable == Cost(128, 0)
    assert result.parts == (("other", 128, 0),)
    assert other_ops(BatchNormLayer().elements((X,), X)) == 200_704  # one per element normalized


def test_counted_as_the_flag_counts_it() -> None:
    # a 1×1 conv 64 → 64 with batchnorm: true, against the same conv followed by a batchnorm layer
    conv = ConvLayer(64, (1, 1))
    flagged = ConvLayer(64, (1, 1), batchnorm=True)
    assert BatchNormLayer().elements((X,), X) == flagged.elements((X,), X)
    assert conv.evaluate((X,)).cost + BatchNormLayer().evaluate((X,)).cost == flagged.evaluate((X,)).cost
    elements = BatchNormLayer().elements((X,), X)
    found = {tool: report(CONVENTIONS[tool], 128, 0, 128, elements, 1) for tool in CONVENTIONS}
    assert found["torchinfo"].ops == 128  # its params, once per sample
    assert found["ptflops"].ops == found["fvcore"].ops == 2 * 200_704  # 2 per element (affine)
    assert found["thop"].ops == 4 * 200_704
    assert found["keras"].params == 256  # moving mean and variance included
    assert found["flops"].ops == 0


def test_before_a_conv_in_a_spec() -> None:
    text = (
        "input: [64, 56, 56]\n"
        "layers: [{type: batchnorm}, {type: activation, fn: relu}, {type: conv, out: 32, kernel: 1}]\n"
    )
    [result] = cost_specs(load_text(text, "n.yaml"))
    # 128 + 64·32 = 2,176 params; mults 56·56·64·32 = 6,422,528; 128 running statistics
    assert result.total == Cost(2_176, 6_422_528)
    assert result.bn_params == 128
