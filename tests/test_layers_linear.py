"""The linear layer."""

from __future__ import annotations

import pytest

from dsc_cost.conventions import CONVENTIONS, differences, network_subject, report
from dsc_cost.formulas import Cost, Shape
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import Elements
from dsc_cost.layers.linear import LinearLayer
from dsc_cost.network import what_ifs
from dsc_cost.spec import SpecError, cost_specs, load_text


def test_registered() -> None:
    linear = REGISTRY["linear"]
    assert linear.layer is LinearLayer
    assert [f.name for f in linear.fields] == ["out", "bias", "batchnorm", "per_position"]


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


X = Shape(96, 56, 56)  # ConvNeXt-Tiny's first stage
MLP = LinearLayer(384, bias=True, per_position=True)  # its first channel MLP layer, 96 → 384


def test_per_position() -> None:
    result = MLP.evaluate((X,))
    standard, separable = what_ifs(MLP, (X,))
    # 96·384 = 36,864 weights + 384 biases; each weight once per position: 56·56·36,864 = 115,605,504
    assert (result.output, result.cost) == (Shape(384, 56, 56), Cost(37_248, 115_605_504))
    assert standard == separable == result.cost  # costed as a pointwise conv, which keeps its cost
    assert result.parts == (("linear", 37_248, 115_605_504),)  # but a linear layer in the by-kind table
    with_bn = LinearLayer(384, batchnorm=True, per_position=True).evaluate((X,))
    assert (with_bn.cost, with_bn.bn_params) == (Cost(36_864 + 768, 115_605_504), 768)


def test_per_position_for_counters() -> None:
    output = Shape(384, 56, 56)
    elements = MLP.elements((X,), output)
    # a bias on each of the 384·3,136 = 1,204,224 output elements; params 37,248 counted once, not 3,136 times
    assert elements == Elements(biased_outputs=1_204_224, linear_surplus=37_248 * (1 - 3_136))
    found = {tool: report(CONVENTIONS[tool], 37_248, 115_605_504, 0, elements, 1).ops for tool in CONVENTIONS}
    assert found == {
        "torchinfo": 37_248,  # params × batch (layer_info.py calculate_macs: a Linear is no "Conv")
        "ptflops": 115_605_504 + 1_204_224,  # (96·384 + 384) × 1·56·56 (linear_flops_counter_hook)
        "fvcore": 115_605_504,  # input elements × 384 (linear_flop_jit)
        "thop": 115_605_504,  # in features × output elements (count_linear)
        "keras": None,
        "flops": 2 * 115_605_504,
    }
    assert differences(CONVENTIONS["torchinfo"], elements, 0, 1) == [
        "+1 per output element per bias (+1,204,224)",
        "per-position linear params once per sample, not per position (-116,772,480)",  # 37,248 · −3,135
    ]
    # on the flattened input nothing changes: 96·56·56·384 weights, each used once anyway
    assert LinearLayer(384, bias=True).elements((X,), Shape(384, 1, 1)) == Elements(biased_outputs=384)


def test_per_position_from_a_spec() -> None:
    [spec] = load_text(
        "input: [96, 56, 56]\nlayers: [{type: linear, out: 384, bias: true, per_position: true}]\n", "net.yaml"
    )
    assert spec.network.nodes[0].layer == MLP
    with pytest.raises(SpecError, match=r"per_position: expected true or false, found 'yes'"):
        load_text("input: [96, 56, 56]\nlayers: [{type: linear, out: 4, per_position: 'yes'}]\n", "net.yaml")


def convnext_tiny() -> str:
    """torchvision's convnext_tiny as a spec: stem, four stages of CNBlocks (depths 3, 3, 9, 3; widths 96 to
    768) with a layer-norm and a 2×2 stride-2 conv between stages, and the classifier."""
    layers = ["{name: stem, type: conv, out: 96, kernel: 4, stride: 4, bias: true}", "{name: stem_ln, type: layernorm}"]
    previous = "stem_ln"
    for stage, (width, depth) in enumerate([(96, 3), (192, 3), (384, 9), (768, 3)]):
        if stage:
            layers.append("{type: layernorm}")
            layers.append(f"{{name: down{stage}, type: conv, out: {width}, kernel: 2, stride: 2, bias: true}}")
            previous = f"down{stage}"
        for block in range(depth):
            name = f"s{stage}_{block}"
            layers += [
                f"{{type: depthwise, kernel: 7, padding: 3, bias: true, from: {previous}}}",
                "{type: layernorm}",
                f"{{type: linear, out: {4 * width}, bias: true, per_position: true}}",
                "{type: activation, fn: gelu}",
                f"{{type: linear, out: {width}, bias: true, per_position: true}}",
                f"{{name: {name}_scale, type: scale}}",
                f"{{name: {name}, type: add, inputs: [{previous}, {name}_scale]}}",
            ]
            previous = name
    layers += ["{type: pool, mode: avg, global: true}", "{type: layernorm}", "{type: linear, out: 1000, bias: true}"]
    return "name: convnext_tiny\ninput: [3, 224, 224]\nlayers:\n" + "".join(f"  - {layer}\n" for layer in layers)


def test_convnext_tiny_and_what_torchinfo_reports() -> None:
    [result] = cost_specs(load_text(convnext_tiny(), "convnext_tiny.yaml"))
    # params: stem 96·3·16 + 96 = 4,704 and its norm 192; a block of width d: depthwise 49·d + d, norm 2·d,
    # MLP 8·d² + 5·d, layer scale d; between stages a norm 2·(d/2) and a conv 2·(d/2)·d + d; head 2·768 and
    # 768·1000 + 1000
    params = 4_704 + 192 + 2 * 768 + 769_000
    for stage, (d, depth) in enumerate([(96, 3), (192, 3), (384, 9), (768, 3)]):
        params += depth * (50 * d + 2 * d + 8 * d * d + 5 * d + d) + (d + 2 * d * d + d if stage else 0)
    assert params == 28_589_128  # torchvision's count
    # the issue's figures: fvcore's conv + linear count (4,455,531,264) as mults, and torchinfo 1.8's
    # 322,371,592 Mult-Adds, which counts each per-position Linear's params once per sample
    assert result.total == Cost(28_589_128, 4_455_531_264)
    subject = network_subject(result)
    torchinfo = report(
        CONVENTIONS["torchinfo"], subject.params, subject.mults, subject.bn_params, subject.elements, subject.batch
    )
    assert torchinfo.ops == 322_371_592
    # by hand: stem 4,704·56·56 + 192; a block 50·d·s² + 2·d + 8·d² + 5·d at s×s; between stages
    # 2·(d/2) + (4·(d/2)·d + d)·(s)²; head 2·768 + 769,000
    by_hand = 4_704 * 3_136 + 192 + 2 * 768 + 769_000
    for stage, (d, s, depth) in enumerate([(96, 56, 3), (192, 28, 3), (384, 14, 9), (768, 7, 3)]):
        by_hand += depth * (50 * d * s * s + 2 * d + 8 * d * d + 5 * d)
        by_hand += d + (2 * d * d + d) * s * s if stage else 0
    assert by_hand == 322_371_592
