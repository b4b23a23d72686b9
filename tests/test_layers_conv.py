"""The conv layer: shapes, costs, the as-separable what-if, elements, and its spec fields."""

from __future__ import annotations

import pytest

from dsc_cost.formulas import Cost, Shape
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import Elements
from dsc_cost.layers.conv import ConvLayer
from dsc_cost.network import what_ifs
from dsc_cost.spec import load_text

X = Shape(3, 7, 7)


def test_registered() -> None:
    conv = REGISTRY["conv"]
    assert conv.layer is ConvLayer and not conv.multi_input
    assert [f.name for f in conv.fields] == [
        "out",
        "kernel",
        "stride",
        "padding",
        "dilation",
        "groups",
        "bias",
        "batchnorm",
    ]
    assert conv.required == ("out", "kernel")


def test_from_a_spec() -> None:
    text = "input: [3, 7, 7]\nlayers: [{type: conv, out: 128, kernel: 3, padding: [0, 1], groups: 1, bias: true}]\n"
    [spec] = load_text(text, "net.yaml")
    assert spec.network.nodes[0].layer == ConvLayer(128, (3, 3), padding=(0, 1), bias=True)


def test_conv_as_separable_is_the_seed() -> None:
    # 7×7×3 → 128 filters 3×3: standard 86,400 mults and 3·9·128 = 3,456 params;
    # as separable: depthwise 675 + pointwise 9,600 = 10,275 mults, 27 + 384 = 411 params.
    result = ConvLayer(128, (3, 3)).evaluate((X,))
    standard, separable = what_ifs(ConvLayer(128, (3, 3)), (X,))
    assert result.output == Shape(128, 5, 5)
    assert result.cost == standard == Cost(3_456, 86_400)
    assert separable == Cost(411, 10_275)
    assert result.parts == (("conv", 3_456, 86_400),)


def test_conv_bias_goes_on_the_pointwise_step() -> None:
    result = ConvLayer(128, (3, 3), bias=True).evaluate((X,))
    _, separable = what_ifs(ConvLayer(128, (3, 3), bias=True), (X,))
    assert result.cost == Cost(3_456 + 128, 86_400)
    assert separable == Cost(411 + 128, 10_275)  # no depthwise bias


def test_batchnorm_after_each_step_of_the_separable_form() -> None:
    # γ and β per channel: 2·128 on the conv; as separable 2·3 after the depthwise step as well
    result = ConvLayer(128, (3, 3), batchnorm=True).evaluate((X,))
    _, separable = what_ifs(ConvLayer(128, (3, 3), batchnorm=True), (X,))
    assert result.cost == Cost(3_456 + 256, 86_400)
    assert separable == Cost(411 + 6 + 256, 10_275)
    assert result.parts == (("conv", 3_456, 86_400), ("other", 256, 0))


@pytest.mark.parametrize(
    ("layer", "kind"),
    [
        (ConvLayer(8, (1, 1)), "pointwise"),  # 1×1: nothing to separate
        (ConvLayer(6, (3, 3), groups=2, padding=(1, 1)), "conv"),  # grouped: keeps its cost
    ],
)
def test_conv_that_does_not_convert(layer: ConvLayer, kind: str) -> None:
    result = layer.evaluate((Shape(4, 7, 7),))
    standard, separable = what_ifs(layer, (Shape(4, 7, 7),))
    assert separable == standard == result.cost
    assert result.parts[0][0] == kind


@pytest.mark.parametrize(
    ("layer", "kind", "cost", "standard"),
    [
        # groups = in = out: a depthwise conv, 3·9 = 27 weights on 5×5 outputs; as standard 3·3·9 = 81
        (ConvLayer(3, (3, 3), groups=3), "depthwise", Cost(27, 27 * 25), Cost(81, 81 * 25)),
        # groups = in, out = 2·in: a depthwise conv of multiplier 2, 6·9 = 54 weights; as standard 6·3·9 = 162
        (ConvLayer(6, (3, 3), groups=3), "conv", Cost(54, 54 * 25), Cost(162, 162 * 25)),
    ],
)
def test_a_depthwise_conv_written_as_conv_is_the_full_conv_as_standard(
    layer: ConvLayer, kind: str, cost: Cost, standard: Cost
) -> None:
    result = layer.evaluate((X,))
    assert (result.cost, *what_ifs(layer, (X,))[::-1]) == (cost, cost, standard)
    assert result.parts[0][0] == kind
    [full] = layer.as_standard((X,))
    assert full == layer._replace(groups=1) and full.evaluate((X,)).cost == standard


def test_non_square_kernel_converts() -> None:
    # a 1×7 conv, padding [0, 3], on 3×7×7 → 4×7×7 (49 positions): standard 4·3·7 = 84 weights;
    # separable 3·7 = 21 + 3·4 = 12 weights
    result = ConvLayer(4, (1, 7), padding=(0, 3)).evaluate((X,))
    _, separable = what_ifs(ConvLayer(4, (1, 7), padding=(0, 3)), (X,))
    assert result.cost == Cost(84, 84 * 49)
    assert separable == Cost(33, 33 * 49)


def test_elements() -> None:
    # bias and batch-norm act on the 128×5×5 = 3,200 output elements, batch-norm on 128 channels
    output = Shape(128, 5, 5)
    assert ConvLayer(128, (3, 3), bias=True, batchnorm=True).elements((X,), output) == Elements(3_200, 3_200, 128)
    assert ConvLayer(128, (3, 3)).elements((X,), output) == Elements()


@pytest.mark.parametrize(
    "layer",
    [
        ConvLayer(8, (3, 3), bias=True, batchnorm=True),
        ConvLayer(8, (1, 7), (2, 1), (0, 3), (1, 2)),
        ConvLayer(6, (3, 3), groups=3),  # grouped: stays itself
        ConvLayer(8, (1, 1)),  # 1×1: stays itself
    ],
)
def test_as_separable_layers_cost_what_evaluate_says(layer: ConvLayer) -> None:
    result = layer.evaluate((Shape(6, 9, 9),))
    _, separable = what_ifs(layer, (Shape(6, 9, 9),))
    shape, total = Shape(6, 9, 9), Cost(0, 0)
    for step in layer.as_separable():
        step_result = step.evaluate((shape,))
        shape, total = step_result.output, total + step_result.cost
    assert (shape, total) == (result.output, separable)
