"""1-D and 3-D inputs: shapes, the formula engine in any number of spatial dimensions, every layer type's
shape rule on 1-D and 3-D maps, and the errors of sizes that do not fit the input's dimensions.
Every expected number is derived by hand in the comment beside it."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import pytest
import yaml
from conftest import Run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_spec_property import TARGETS, VALID, values

from dsc_cost.conventions import CONVENTIONS, differences, extra_ops
from dsc_cost.errors import DscCostError
from dsc_cost.formulas import Cost, Shape, ShapeError, conv_forms_nd, output_size
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.activation import ActivationLayer
from dsc_cost.layers.add import AddLayer
from dsc_cost.layers.base import other_ops
from dsc_cost.layers.batchnorm import BatchNormLayer
from dsc_cost.layers.concat import ConcatLayer
from dsc_cost.layers.conv import ConvLayer
from dsc_cost.layers.convtranspose import ConvTransposeLayer
from dsc_cost.layers.depthwise import DepthwiseLayer
from dsc_cost.layers.groupnorm import GroupNormLayer
from dsc_cost.layers.layernorm import LayerNormLayer
from dsc_cost.layers.linear import LinearLayer
from dsc_cost.layers.mean import MeanLayer
from dsc_cost.layers.mul import MulLayer
from dsc_cost.layers.pointwise import PointwiseLayer
from dsc_cost.layers.pool import PoolLayer
from dsc_cost.layers.scale import ScaleLayer
from dsc_cost.layers.separable import SeparableLayer
from dsc_cost.layers.shuffle import ShuffleLayer
from dsc_cost.layers.upsample import UpsampleLayer
from dsc_cost.network import cost_network
from dsc_cost.spec import SpecError, cost_specs, load_files, load_text

KWS = "configs/kws_ds_cnn_1d.yaml"

# ---------------------------------------------------------------- shapes


def test_shape_of_any_dimensions() -> None:
    line, image, video = Shape.of(40, (98,)), Shape(3, 224, 224), Shape.of(3, (16, 112, 112))
    assert [str(s) for s in (line, image, video)] == ["40×98", "3×224×224", "3×16×112×112"]
    assert [s.numel for s in (line, image, video)] == [40 * 98, 3 * 224 * 224, 3 * 16 * 112 * 112]
    assert [s.dims for s in (line, image, video)] == [1, 2, 3]
    assert [s.spatial for s in (line, image, video)] == [(98,), (224, 224), (16, 112, 112)]
    assert [s.channels for s in (line, image, video)] == [40, 3, 3]
    # height and width: the last two spatial sizes; a 1-D map reads as 1 × L
    assert [(s.height, s.width) for s in (line, image, video)] == [(1, 98), (224, 224), (112, 112)]
    assert Shape.of(3, (224, 224)) == image and repr(image) == "Shape(channels=3, height=224, width=224)"
    assert repr(video) == "Shape.of(3, (16, 112, 112))"
    assert line != Shape(40, 1, 98)  # a 1-D map is not a 1 × L image
    assert [pickle.loads(pickle.dumps(s)) for s in (line, image, video)] == [line, image, video]
    assert video._replace(channels=8) == Shape.of(8, (16, 112, 112))
    assert line._replace(channels=2, width=5) == Shape.of(2, (5,))


def test_output_size_in_1d_and_3d() -> None:
    # floor((98 + 2·4 − 10) / 2) + 1 = 49
    assert output_size((98,), (10,), (2,), (4,)) == (49,)
    # depth: floor((16 + 2 − 3) / 1) + 1 = 16; height and width: floor((112 + 6 − 7) / 2) + 1 = 56
    assert output_size((16, 112, 112), (3, 7, 7), (1, 2, 2), (1, 3, 3)) == (16, 56, 56)
    assert output_size((15,), (3,), (2,), "same") == (8,)  # ceil(15 / 2)
    assert output_size((5, 9, 9), (3, 3, 3), (1, 1, 1), "valid", (1, 2, 2)) == (3, 5, 5)  # 9 − 2·2 = 5
    with pytest.raises(ShapeError, match=r"kernel 7 \(dilation 1\) does not fit the input depth 4 with padding 0"):
        output_size((4, 8, 8), (7, 3, 3), (1, 1, 1))
    with pytest.raises(ShapeError, match="does not fit the input length 2"):
        output_size((2,), (3,), (1,))


def test_conv_forms_in_3d() -> None:
    # 32 → 64 channels, kernel 3×3×3 (27), padding 1: output 8×8×8 = 512 positions
    forms = conv_forms_nd((8, 8, 8), (32, 64, (3, 3, 3), (1, 1, 1), (1, 1, 1), (1, 1, 1), 1, 1, False))
    assert forms.output_hw == (8, 8, 8)
    assert forms.standard == (64 * 32 * 27, 512 * 64 * 32 * 27)  # 55,296 and 28,311,552
    assert forms.depthwise == (32 * 27, 512 * 32 * 27)  # 864 and 442,368
    assert forms.pointwise == (32 * 64, 512 * 32 * 64)  # 2,048 and 1,048,576


# ---------------------------------------------------------------- the documented examples


def test_kws_1d_depthwise_separable_network() -> None:
    """A DS-CNN keyword-spotting network in 1-D: 40 MFCC features × 98 frames (1 s at a 10 ms hop)."""
    (result,) = cost_specs(load_files([KWS]))
    rows = [(x.name, str(x.output), x.cost.params, x.cost.mults) for x in result.layers]
    # conv: 40 → 64, kernel 10, stride 2, padding 4: floor((98 + 8 − 10) / 2) + 1 = 49 frames;
    # params 64·40·10 = 25,600 + batch-norm 2·64 = 128; mults 49·25,600 = 1,254,400
    # each separable, 64 → 64, kernel 3, padding 1 (49 frames): depthwise 64·3 = 192, pointwise 64·64 = 4,096,
    # batch-norm after each step 2·(64 + 64) = 256: 4,544 params; mults 49·(192 + 4,096) = 210,112
    # linear on the pooled 64 to 12 keywords, bias: 64·12 + 12 = 780 params, 768 mults
    assert rows == [
        ("conv", "64×49", 25_728, 1_254_400),
        ("relu", "64×49", 0, 0),
        *[(f"ds{i}", "64×49", 4_544, 210_112) for i in (1, 2, 3, 4)],
        ("pool", "64×1", 0, 0),
        ("fc", "12×1", 780, 768),
    ]
    assert result.total == Cost(25_728 + 4 * 4_544 + 780, 1_254_400 + 4 * 210_112 + 768)  # 44,684 and 2,095,616
    # as standard, each separable is a full 64 → 64 conv of kernel 3: 12,288 weights + 128 batch-norm,
    # 49·12,288 = 602,112 mults
    assert result.standard == Cost(25_728 + 4 * 12_416 + 780, 1_254_400 + 4 * 602_112 + 768)


def test_kws_1d_json_and_csv(run: Run) -> None:
    code, out, _ = run("network", KWS, "--format", "json")
    network = json.loads(out)["networks"][0]
    assert code == 0 and (network["input"], network["output"]) == ([40, 98], [12, 1])
    assert network["layers"][0]["output"] == [64, 49]
    code, out, _ = run("network", KWS, "--format", "csv")
    assert out.splitlines()[1].startswith("kws-ds-cnn-1d,conv,conv,40x98,64x49,25728,1254400,")


VIDEO = "tests/data/video_3d.yaml"


def test_video_3d_depthwise_separable_network() -> None:
    (result,) = cost_specs(load_files([VIDEO]))
    rows = [(x.name, str(x.output), x.cost.params, x.cost.mults) for x in result.layers]
    # stem: 3 → 32, kernel 3×7×7 = 147, stride 1×2×2, padding 1×3×3: 16×56×56 = 50,176 positions;
    # params 32·3·147 = 14,112; mults 50,176·14,112 = 708,083,712
    # dw 3×3×3 (27), padding 1: 32·27 = 864 params, 50,176·864 = 43,352,064 mults
    # pw 32 → 64: 2,048 params, 50,176·2,048 = 102,760,448 mults
    # sep 64 → 64: depthwise 64·27 = 1,728, pointwise 64·64 = 4,096: 5,824 params, 50,176·5,824 = 292,225,024
    # fc: 64·10 + 10 = 650 params, 640 mults
    assert rows == [
        ("stem", "32×16×56×56", 14_112, 708_083_712),
        ("dw", "32×16×56×56", 864, 43_352_064),
        ("pw", "64×16×56×56", 2_048, 102_760_448),
        ("sep", "64×16×56×56", 5_824, 292_225_024),
        ("pool", "64×1×1×1", 0, 0),
        ("fc", "10×1×1×1", 650, 640),
    ]
    # sep as standard: a full 3×3×3 conv 64 → 64: 110,592 weights, 50,176·110,592 = 5,549,064,192 mults
    sep = result.layers[3]
    assert (sep.standard.params, sep.standard.mults) == (110_592, 5_549_064_192)
    # stem as separable: depthwise 3·147 = 441 then pointwise 3·32 = 96: 537 params, 50,176·537 mults
    assert (result.layers[0].separable.params, result.layers[0].separable.mults) == (537, 26_944_512)


def test_video_3d_conventions() -> None:
    (result,) = cost_specs(load_files([VIDEO]))
    pooled = result.layers[4]
    elements = PoolLayer("avg", global_=True).elements((Shape.of(64, (16, 56, 56)),), pooled.output)
    inputs = 64 * 16 * 56 * 56  # 3,211,264
    # fvcore has no handle for aten::adaptive_avg_pool3d: nothing; thop (kernel + 1) per output element: the
    # inputs plus 64 outputs; ptflops its module hook and the patched functional: 2 per input element
    assert [extra_ops(CONVENTIONS[t], elements) for t in ("fvcore", "thop", "ptflops", "torchinfo")] == [
        0, inputs + 64, 2 * inputs, 0,
    ]  # fmt: skip
    assert differences(CONVENTIONS["fvcore"], elements, 0, 1) == []  # no term left: fvcore counts as dsc-cost
    assert differences(CONVENTIONS["ptflops"], elements, 0, 1) == ["+2 per global-pool input element (+6,422,528)"]
    up = UpsampleLayer((1, 2, 2)).elements((Shape.of(4, (2, 4, 4)),), Shape.of(4, (2, 8, 8)))
    # 4·2·8·8 = 512 outputs: fvcore has no handle for upsample_nearest3d; thop 1, ptflops 2 per output
    assert [extra_ops(CONVENTIONS[t], up) for t in ("fvcore", "thop", "ptflops")] == [0, 512, 1024]


# ---------------------------------------------------------------- shape rules of every layer type

L = Shape.of(8, (16,))  # 1-D: 8 channels × 16
V = Shape.of(8, (4, 8, 8))  # 3-D: 8 channels × 4 × 8 × 8 (256 positions)


@pytest.mark.parametrize(
    ("layer", "x", "output", "cost"),
    [
        # 1-D conv 8 → 4, kernel 3, no padding: 14 positions; 4·8·3 = 96 weights; 14·96 = 1,344 mults
        (ConvLayer(4, (3,), (1,), (0,), (1,)), L, Shape.of(4, (14,)), Cost(96, 1_344)),
        # grouped 3-D conv 8 → 8, groups 2, kernel 1×3×3, padding 0×1×1: 256 positions; 8·4·9 = 288 weights
        (ConvLayer(8, (1, 3, 3), (1, 1, 1), (0, 1, 1), (1, 1, 1), 2), V, V, Cost(288, 256 * 288)),
        # 1-D separable, stride 2, same: ceil(16 / 2) = 8; depthwise 8·5 = 40, pointwise 8·16 = 128
        (SeparableLayer(16, (5,), (2,), "same", (1,)), L, Shape.of(16, (8,)), Cost(168, 8 * 168)),
        # 3-D depthwise, multiplier 2, dilation 2, padding 2: 4 + 2·2 − 2·(3 − 1) = 4 (and 8 → 8)
        (
            DepthwiseLayer((3, 3, 3), (1, 1, 1), (2, 2, 2), (2, 2, 2), 2),
            V,
            Shape.of(16, (4, 8, 8)),
            Cost(16 * 27, 256 * 16 * 27),
        ),
        # 3-D pointwise, stride 2: 2×4×4 = 32 positions; 8·6 = 48 weights
        (PointwiseLayer(6, (2, 2, 2)), V, Shape.of(6, (2, 4, 4)), Cost(48, 32 * 48)),
        # 1-D transposed conv 8 → 6, kernel 4, stride 2, padding 1: (16 − 1)·2 − 2 + 3 + 1 = 32;
        # weights 8·6·4 = 192 (+6 bias), per input position: 16·192 = 3,072 mults
        (ConvTransposeLayer(6, (4,), (2,), (1,), (0,), (1,), 1, True), L, Shape.of(6, (32,)), Cost(198, 3_072)),
        # 3-D transposed conv, kernel 2, stride 2: 8×16×16; weights 8·3·8 = 192; 256·192 = 49,152
        (
            ConvTransposeLayer(3, (2, 2, 2), (2, 2, 2), (0, 0, 0), (0, 0, 0), (1, 1, 1)),
            V,
            Shape.of(3, (8, 16, 16)),
            Cost(192, 49_152),
        ),
        # pools: 1-D max kernel 2 → 8; 3-D avg kernel 2 → 2×4×4; ceil_mode 1-D kernel 3 stride 2 on 16: ceil(13 / 2) + 1
        (PoolLayer(kernel=(2,)), L, Shape.of(8, (8,)), Cost(0, 0)),
        (PoolLayer("avg", (2, 2, 2)), V, Shape.of(8, (2, 4, 4)), Cost(0, 0)),
        (PoolLayer(kernel=(3,), stride=(2,), ceil_mode=True), L, Shape.of(8, (8,)), Cost(0, 0)),
        (PoolLayer(global_=True), L, Shape.of(8, (1,)), Cost(0, 0)),
        (PoolLayer("avg", output=(2, 1, 1)), V, Shape.of(8, (2, 1, 1)), Cost(0, 0)),
        (MeanLayer(), V, Shape.of(8, (1, 1, 1)), Cost(0, 0)),
        (UpsampleLayer((2,)), L, Shape.of(8, (32,)), Cost(0, 0)),
        (UpsampleLayer(size=(4, 16, 16)), V, Shape.of(8, (4, 16, 16)), Cost(0, 0)),
        # linear flattens: 8·16 = 128 features → 5 (+5 bias): out × 1
        (LinearLayer(5, True), L, Shape.of(5, (1,)), Cost(645, 640)),
        # per position: 8 → 5 at each of 256 positions: 40 weights, 256·40 = 10,240 mults
        (LinearLayer(5, per_position=True), V, Shape.of(5, (4, 8, 8)), Cost(40, 10_240)),
        (ActivationLayer("relu"), V, V, Cost(0, 0)),
        (BatchNormLayer(), L, L, Cost(16, 0)),
        (LayerNormLayer(), V, V, Cost(16, 0)),
        (GroupNormLayer(4), L, L, Cost(16, 0)),
        (ScaleLayer(), V, V, Cost(8, 0)),
        (ShuffleLayer(2), L, L, Cost(0, 0)),
    ],
)
def test_layer_in_1d_and_3d(layer: object, x: Shape, output: Shape, cost: Cost) -> None:
    result = layer.evaluate((x,))  # type: ignore[attr-defined]
    assert (result.output, result.cost) == (output, cost)


def test_multi_input_layers_in_1d_and_3d() -> None:
    gate = Shape.of(8, (1,))
    assert AddLayer().evaluate((L, L)).output == L
    assert MulLayer().evaluate((L, gate)).output == L  # C×1 broadcast over C×L
    assert MulLayer().evaluate((Shape.of(8, (1, 1, 1)), V)).output == V
    assert ConcatLayer().evaluate((L, Shape.of(4, (16,)))).output == Shape.of(12, (16,))
    with pytest.raises(ShapeError, match=r"mul broadcasts C×1 over C×L of the same C, found 8×16 and 4×1"):
        MulLayer().evaluate((L, Shape.of(4, (1,))))
    with pytest.raises(ShapeError, match=r"add needs equal shapes, found 8×16 and 8×4×8×8"):
        AddLayer().evaluate((L, V))
    with pytest.raises(ShapeError, match=r"concat needs equal spatial sizes, found 8×16 and 8×15"):
        ConcatLayer().evaluate((L, Shape.of(8, (15,))))


def test_separable_what_ifs_in_1d() -> None:
    layer = SeparableLayer(16, (5,), (1,), (2,), (1,))
    (standard,) = layer.as_standard((L,))
    assert standard == ConvLayer(16, (5,), (1,), (2,), (1,))
    depthwise, pointwise = layer.steps()
    assert pointwise == PointwiseLayer(16, (1,))
    both = depthwise.evaluate((L,)).cost + pointwise.evaluate((depthwise.evaluate((L,)).output,)).cost
    assert both == layer.evaluate((L,)).cost == Cost(8 * 5 + 8 * 16, 16 * (8 * 5 + 8 * 16))
    conv = ConvLayer(16, (5,), (1,), (2,), (1,))
    assert conv.as_separable() == (DepthwiseLayer((5,), (1,), (2,), (1,)), PointwiseLayer(16, (1,)))


def test_other_ops_in_1d() -> None:
    # global pool of 8×16: 128 window reads; nearest upsampling to 8×32: 256 copies
    assert other_ops(PoolLayer(global_=True).elements((L,), Shape.of(8, (1,)))) == 128
    assert other_ops(UpsampleLayer((2,)).elements((L,), Shape.of(8, (32,)))) == 256


def test_layer_built_in_code_with_sizes_of_another_dimension() -> None:
    with pytest.raises(
        ShapeError, match=r"kernel: expected 1 value \[length\] for the 1-D input 8×16, found 2: \[3, 3\]"
    ):
        ConvLayer(4, (3, 3)).evaluate((L,))
    with pytest.raises(ShapeError, match=r"stride: expected 3 values \[depth, height, width\] for the 3-D input"):
        DepthwiseLayer((3, 3, 3), (2, 2)).evaluate((V,))
    # fields left at their defaults take one value per dimension: stride 1, padding 0, dilation 1
    assert DepthwiseLayer((3, 3, 3)).evaluate((V,)).output == Shape.of(8, (2, 6, 6))
    assert PoolLayer(kernel=(2,)).evaluate((L,)).output == Shape.of(8, (8,))
    with pytest.raises(ShapeError, match=r"bilinear needs a 2-D input \(C×H×W\), found 8×16"):
        UpsampleLayer((2,), mode="bilinear").evaluate((L,))


# ---------------------------------------------------------------- specs


def test_spec_sizes_take_one_value_or_one_per_dimension() -> None:
    text = (
        "input: [2, 8, 8, 8]\nlayers:\n"
        "  - {type: conv, out: 4, kernel: [1, 3, 3], padding: [0, 1, 1]}\n"
        "  - {type: pool, kernel: 2}\n"
    )
    (spec,) = load_text(text, "net.yaml")
    conv, pool = (node.layer for node in spec.network.nodes)
    assert conv == ConvLayer(4, (1, 3, 3), (1, 1, 1), (0, 1, 1), (1, 1, 1))
    assert pool == PoolLayer(kernel=(2, 2, 2), padding=(0, 0, 0))
    assert cost_network(spec.network).output == Shape.of(4, (4, 4, 4))
    (spec,) = load_text("input: {channels: 3, length: 50}\nlayers: [{type: pointwise, out: 2}]\n", "net.yaml")
    assert spec.network.input == Shape.of(3, (50,))
    (spec,) = load_text("input: {channels: 3, depth: 2, height: 5, width: 6}\nlayers: [{type: mean}]\n", "n.yaml")
    assert spec.network.input == Shape.of(3, (2, 5, 6))


def errors(text: str) -> list[str]:
    with pytest.raises(SpecError) as info:
        cost_specs(load_text(text, "net.yaml"))
    return [str(p) for p in info.value.problems]


def test_located_errors_of_sizes_for_the_input_dimensions() -> None:
    text = (
        "input: [40, 98]\n"
        "layers:\n"
        "  - {type: conv, out: 8, kernel: [3, 3]}\n"
        "  - {type: separable, out: 8, kernel: 3, padding: [1, 1]}\n"
        "  - {type: pool, kernel: 2, output: [1, 1]}\n"
        "  - {type: upsample, scale: 2, mode: bilinear}\n"  # a shape problem: found once the fields are right
    )
    assert errors(text) == [
        "net.yaml:3:34: layers[0]: kernel: expected a positive integer or [length] of them (a 1-D input), found [3, 3]",
        "net.yaml:4:51: layers[1]: padding: expected a non-negative integer, [length], 'same' or "
        "'valid' (a 1-D input), found [1, 1]",
        "net.yaml:5:37: layers[2]: output: expected a positive integer or [length] of them (a 1-D input), found [1, 1]",
    ]
    text = "input: [3, 4, 8, 8]\nlayers:\n  - {type: conv, out: 8, kernel: [3, 3], stride: [1, 2, 2, 2]}\n"
    assert errors(text) == [
        "net.yaml:3:34: layers[0]: kernel: expected a positive integer or [depth, height, width] of them "
        "(a 3-D input), found [3, 3]",
        "net.yaml:3:50: layers[0]: stride: expected a positive integer or [depth, height, width] of them "
        "(a 3-D input), found [1, 2, 2, 2]",
    ]
    assert errors("input: [4, 16]\nlayers:\n  - {type: upsample, scale: 2, mode: bilinear}\n") == [
        "net.yaml:3:38: layers[0] (upsample1): mode: bilinear needs a 2-D input (C×H×W), found 4×16; nearest works "
        "in 1-D and 3-D"
    ]
    assert errors("input: [4, 3]\nlayers:\n  - {type: conv, out: 2, kernel: 5}\n") == [
        "net.yaml:3:34: layers[0] (conv1): kernel: kernel 5 (dilation 1) does not fit the input length 3 with "
        "padding 0: output length would be -1"
    ]


def test_located_errors_of_the_input() -> None:
    expected = (
        "expected [channels, height, width] or {channels, height, width} of positive integers "
        "(1-D: [channels, length], 3-D: [channels, depth, height, width])"
    )
    assert errors("input: [3]\nlayers: [{type: mean}]\n") == [f"net.yaml:1:8: input: {expected}, found [3]"]
    assert errors("input: [3, 2, 0, 4, 4]\nlayers: [{type: mean}]\n") == [
        f"net.yaml:1:8: input: {expected}, found a list of 5 items"
    ]
    assert errors("input: [3, 0]\nlayers: [{type: mean}]\n") == [
        "net.yaml:1:12: input.length: expected a positive integer, found 0"
    ]
    assert errors("input: {channels: 3, length: 5, height: 4}\nlayers: [{type: mean}]\n") == [
        f"net.yaml:1:33: input.height: unknown key: {expected}"
    ]


def test_a_2d_spec_after_a_1d_one_reads_pairs_again() -> None:
    text = "input: [4, 16]\nlayers: [{type: conv, out: 2, kernel: 3}]\n---\ninput: [4, 16, 16]\nlayers: [{type: conv, out: 2, kernel: 3}]\n"
    one, two = load_text(text, "net.yaml")
    assert one.network.nodes[0].layer.kernel == (3,)  # type: ignore[attr-defined]
    assert two.network.nodes[0].layer.kernel == (3, 3)  # type: ignore[attr-defined]


def test_sweep_resolution_is_a_1d_input_length() -> None:
    from fractions import Fraction

    from dsc_cost.variants import sweep

    [spec] = load_files([KWS])
    [variant] = sweep(spec.network, [Fraction(1)], [49])
    # 49 frames: the conv gives floor((49 + 8 − 10) / 2) + 1 = 24; mults 24·25,600 = 614,400 (conv),
    # 4·24·4,288 = 411,648 (separable), 768 (classifier)
    assert variant.total.mults == 614_400 + 411_648 + 768


def every_type(dims: int) -> dict[str, Any]:
    """test_spec_property's spec of every type with every field, on a 1-D or 3-D input: its [h, w] lists
    of one value per dimension, its bilinear upsampling nearest."""

    def per_dimension(value: Any) -> Any:
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
            return [value[0]] * dims
        return "nearest" if value == "bilinear" else value

    spec = copy.deepcopy(VALID)
    spec["input"] = [4, *[16] * dims]
    # a split's sizes are channels, not one value per dimension
    spec["layers"] = [
        {k: v if k == "sizes" else per_dimension(v) for k, v in layer.items()} for layer in spec["layers"]
    ]
    return spec


@pytest.mark.parametrize("dims", [1, 3])
def test_every_type_with_every_field_in_1d_and_3d(dims: int) -> None:
    [result] = cost_specs(load_text(yaml.safe_dump(every_type(dims)), "net.yaml"))
    assert len(result.layers) == len(REGISTRY)
    assert all(len(x.output) == dims + 1 for x in result.layers)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dims=st.sampled_from([1, 3]), target=st.sampled_from(TARGETS), value=values, flow=st.booleans())
def test_any_value_in_any_field_of_a_1d_or_3d_spec_is_a_result_or_located_problems(
    dims: int, target: tuple[Any, ...], value: Any, flow: bool
) -> None:
    spec = every_type(dims)
    *parents, last = target
    holder: Any = spec
    for key in parents:
        holder = holder[key]
    holder[last] = value
    try:
        cost_specs(load_text(yaml.safe_dump(spec, default_flow_style=flow, allow_unicode=True), "net.yaml"))
    except SpecError as error:
        assert error.problems
    except DscCostError:
        pass


def test_blocks_in_1d_read_in_h_as_1_and_in_w_as_the_length() -> None:
    text = """\
input: [16, 40]
blocks:
  ds:
    params: {out: null, kernel: 3}
    layers:
      - {name: dw, type: depthwise, kernel: kernel, padding: "kernel // 2", batchnorm: true}
      - {name: pw, type: pointwise, out: out, batchnorm: true}
      - {name: pool, type: pool, mode: avg, kernel: "in_w // 10", if: "in_h == 1"}
layers:
  - {name: a, type: ds, out: 32, kernel: 5}
"""
    (result,) = cost_specs(load_text(text, "net.yaml"))
    # depthwise 16·5 = 80 (+32 batch-norm) on 40 positions; pointwise 16·32 = 512 (+64); pool kernel 40 // 10 = 4
    assert [(x.name, str(x.output), x.cost) for x in result.layers] == [
        ("a.dw", "16×40", Cost(112, 40 * 80)),
        ("a.pw", "32×40", Cost(576, 40 * 512)),
        ("a.pool", "32×10", Cost(0, 0)),
    ]
