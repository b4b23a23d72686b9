"""The convtranspose layer: PyTorch's output size, params O·(C/g)·k·k, mults per input position."""

from __future__ import annotations

import pytest

from dsc_cost.conventions import CONVENTIONS, report
from dsc_cost.formulas import Cost, Shape, ShapeError
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.convtranspose import ConvTransposeLayer
from dsc_cost.network import what_ifs
from dsc_cost.spec import SpecError, load_text

X = Shape(64, 16, 16)
UP = ConvTransposeLayer(32, (4, 4), (2, 2), (1, 1), bias=True)  # a 2× learned upsampling


def test_registered() -> None:
    layer_type = REGISTRY["convtranspose"]
    assert layer_type.layer is ConvTransposeLayer and layer_type.required == ("out", "kernel")
    assert [f.name for f in layer_type.fields] == [
        "out", "kernel", "stride", "padding", "output_padding", "dilation", "groups", "bias", "batchnorm",
    ]  # fmt: skip


def test_output_size_params_and_mults() -> None:
    result = UP.evaluate((X,))
    standard, separable = what_ifs(UP, (X,))
    # (16 − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 32
    assert result.output == Shape(32, 32, 32)
    # weights 64·32·4·4 = 32,768, + 32 biases; every one of the 16·16 input positions meets every weight once
    assert result.cost == Cost(32_800, 16 * 16 * 32_768)  # 8,388,608
    assert standard == separable == result.cost  # not a conv of the what-ifs
    assert result.parts == (("other", 32_800, 8_388_608),)


def test_what_counters_report() -> None:
    elements = UP.evaluate((X,))
    found = {
        tool: report(CONVENTIONS[tool], 32_800, 8_388_608, 0, UP.elements((X,), elements.output), 1).ops
        for tool in ("torchinfo", "ptflops", "thop", "fvcore", "flops")
    }
    assert found == {
        "torchinfo": 32_800 * 32 * 32,  # every parameter × output positions: 33,587,200
        "ptflops": 8_388_608 + 32 * 32 * 32,  # per input position (0.7.5's transpose=True) + a bias per output element
        "thop": 32 * 32 * 32 * 64 * 4 * 4,  # output elements × C/g × k·k: 33,554,432
        "fvcore": 8_388_608,  # per input position, bias ignored
        "flops": 2 * 8_388_608,
    }


def test_groups_dilation_output_padding() -> None:
    # 4 → 6 channels in 2 groups: 6·(4/2)·3·3 = 108 weights; batch-norm 2·6
    layer = ConvTransposeLayer(6, (3, 3), (2, 2), (1, 1), (1, 1), (1, 1), 2, batchnorm=True)
    result = layer.evaluate((Shape(4, 5, 5),))
    # (5 − 1)·2 − 2 + 1·2 + 1 + 1 = 10
    assert result.output == Shape(6, 10, 10)
    assert (result.cost, result.bn_params) == (Cost(108 + 12, 25 * 108), 12)
    # dilation 2, kernel 3, stride 1, no padding: (5 − 1) + 2·2 + 1 = 9
    assert ConvTransposeLayer(4, (3, 3), dilation=(2, 2)).evaluate((Shape(4, 5, 5),)).output == Shape(4, 9, 9)


def test_shape_problems() -> None:
    with pytest.raises(ShapeError, match=r"output_padding: expected below the stride 2 or the dilation 1, found 2"):
        ConvTransposeLayer(8, (3, 3), (2, 2), output_padding=(2, 2)).evaluate((X,))
    with pytest.raises(ShapeError, match=r"groups: groups 3 must divide both in channels 64 and out 32"):
        ConvTransposeLayer(32, (3, 3), groups=3).evaluate((X,))
    # (2 − 1)·1 − 2·2 + 1·0 + 0 + 1 = −2
    with pytest.raises(ShapeError, match=r"padding: padding 2 leaves no output height"):
        ConvTransposeLayer(8, (1, 1), padding=(2, 2)).evaluate((Shape(4, 2, 2),))


def test_from_a_spec() -> None:
    [spec] = load_text(
        "input: [64, 16, 16]\nlayers: [{type: convtranspose, out: 32, kernel: 4, stride: 2, padding: 1, bias: true}]\n",
        "n.yaml",
    )
    assert spec.network.nodes[0].layer == UP
    with pytest.raises(
        SpecError, match=r"padding: expected a non-negative integer or \[height, width\] of them, found 'same'"
    ):
        load_text("input: [4, 4, 4]\nlayers: [{type: convtranspose, out: 4, kernel: 2, padding: same}]\n", "n.yaml")
