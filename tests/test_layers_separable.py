"""The separable layer: depthwise then pointwise, the as-standard what-if, bias on either step, elements."""

from __future__ import annotations

import pytest

from dsc_cost.formulas import Cost, Shape
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import Elements
from dsc_cost.layers.separable import SeparableLayer
from dsc_cost.network import what_ifs
from dsc_cost.spec import SpecError, load_text


def test_registered() -> None:
    separable = REGISTRY["separable"]
    assert separable.layer is SeparableLayer and not separable.multi_input
    assert [f.name for f in separable.fields] == [
        "out", "kernel", "stride", "padding", "dilation", "multiplier", "bias", "batchnorm",
    ]  # fmt: skip
    assert separable.by_name["bias"].expected == "true, false or 'both'"


def test_bias_both_only_here() -> None:
    [spec] = load_text("input: [3, 8, 8]\nlayers: [{type: separable, out: 4, kernel: 3, bias: both}]\n", "net.yaml")
    assert spec.network.nodes[0].layer == SeparableLayer(4, (3, 3), bias="both")
    with pytest.raises(SpecError) as info:
        load_text("input: [3, 8, 8]\nlayers: [{type: conv, out: 4, kernel: 3, bias: both}]\n", "net.yaml")
    assert str(info.value) == "net.yaml:2:48: layers[0]: bias: expected true or false, found 'both'"


def test_separable_as_standard() -> None:
    # the third seed: 16 → 32, 3×3, padding 1, 128×128; as a full conv 32·16·9 = 4,608 weights
    result = SeparableLayer(32, (3, 3), padding=(1, 1)).evaluate((Shape(16, 128, 128),))
    standard, separable = what_ifs(SeparableLayer(32, (3, 3), padding=(1, 1)), (Shape(16, 128, 128),))
    assert result.cost == separable == Cost(656, 10_747_904)
    assert standard == Cost(4_608, 4_608 * 128 * 128)
    assert result.parts == (("depthwise", 144, 2_359_296), ("pointwise", 512, 8_388_608))


def test_separable_bias_true_and_both() -> None:
    x = Shape(16, 128, 128)
    assert SeparableLayer(32, (3, 3), padding=(1, 1), bias=True).evaluate((x,)).cost.params == 656 + 32
    both = SeparableLayer(32, (3, 3), padding=(1, 1), bias="both").evaluate((x,))
    both_standard, _ = what_ifs(SeparableLayer(32, (3, 3), padding=(1, 1), bias="both"), (x,))
    assert both.cost.params == 656 + 32 + 16  # 704, as two biased PyTorch convs
    assert both_standard.params == 4_608 + 32


def test_elements() -> None:
    # M = 2 on 3×8×8, 3×3 same: the depthwise output is 6×8×8 = 384 elements, the pointwise 4×8×8 = 256
    layer = SeparableLayer(4, (3, 3), padding="same", multiplier=2, bias="both", batchnorm=True)
    x, output = Shape(3, 8, 8), Shape(4, 8, 8)
    assert layer.evaluate((x,)).output == output
    assert layer.elements((x,), output) == Elements(384 + 256, 384 + 256, 6 + 4)


def test_steps_and_as_standard_cost_what_evaluate_says() -> None:
    layer = SeparableLayer(8, (3, 5), (2, 1), "same", (1, 2), multiplier=2, bias="both", batchnorm=True)
    x = Shape(3, 9, 9)
    result = layer.evaluate((x,))
    standard_cost, _ = what_ifs(layer, (x,))
    [standard] = layer.as_standard((x,))
    assert (standard.evaluate((x,)).output, standard.evaluate((x,)).cost) == (result.output, standard_cost)
    depthwise, pointwise = layer.steps()
    first = depthwise.evaluate((x,))
    second = pointwise.evaluate((first.output,))
    assert second.output == result.output
    assert first.cost + second.cost == result.cost
    # the steps' mults are the depthwise and pointwise parts (their params also hold each step's batch-norm)
    assert (result.parts[0][2], result.parts[1][2]) == (first.cost.mults, second.cost.mults)
