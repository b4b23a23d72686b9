"""Width and resolution variants: the MobileNet paper's Tables 6 and 7 from configs/mobilenet_v1.yaml."""

from __future__ import annotations

from fractions import Fraction

import pytest

from dsc_cost.formulas import Cost, Shape
from dsc_cost.network import ConvLayer, LinearLayer, Network, Node, PoolLayer, cost_network, network_totals
from dsc_cost.spec import load_files
from dsc_cost.variants import Variant, scale_channels, sweep, with_resolution, with_width

[MOBILENET] = load_files(["configs/mobilenet_v1.yaml"])
WIDTHS = [Fraction(1), Fraction("0.75"), Fraction("0.5"), Fraction("0.25")]


def test_table_6_width_multiplier() -> None:
    # MobileNet paper (Howard et al. 2017), Table 6, 224×224: width 1.0 / 0.75 / 0.5 / 0.25 →
    # 569M / 325M / 149M / 41M mult-adds and 4.2M / 2.6M / 1.3M / 0.5M params.
    # Keras' MobileNet(alpha=…) without batch-norm counts exactly 568,740,352 / 325,400,448 /
    # 149,497,088 / 41,030,272 mults (the figures the issue quotes).
    variants = sweep(MOBILENET.network, WIDTHS, [224])
    mults = [v.total.mults for v in variants]
    params = [v.total.params for v in variants]
    assert mults == [568_740_352, 325_400_448, 149_497_088, 41_030_272]
    assert [round(m / 1e6) for m in mults] == [569, 325, 149, 41]
    assert [round(p / 1e6, 1) for p in params] == [4.2, 2.6, 1.3, 0.5]


def test_table_7_resolution_multiplier() -> None:
    # MobileNet paper, Table 7, width 1.0: 224 / 192 / 160 / 128 → 569M / 418M / 290M / 186M mult-adds,
    # 4.2M params at every resolution.
    # Exact counts are the tool's, checked against the printed figures: the paper prints 290.68M as 290
    # (cut, while it rounds 568.74M up to 569), so each must lie within one unit of the printed million.
    variants = sweep(MOBILENET.network, [Fraction(1)], [224, 192, 160, 128])
    assert [v.total.mults for v in variants] == [568_740_352, 418_121_728, 290_675_200, 186_400_768]
    for variant, printed in zip(variants, [569, 418, 290, 186], strict=True):
        assert abs(variant.total.mults / 1e6 - printed) < 1
    assert {v.total.params for v in variants} == {4_210_088}


def test_sweep_agrees_with_costing_each_variant() -> None:
    for variant in sweep(MOBILENET.network, [Fraction("0.5")], [160], batch=2):
        network = with_resolution(with_width(MOBILENET.network, Fraction("0.5")), 160)
        full = cost_network(network, batch=2)
        assert (variant.total, variant.standard) == (full.total, full.standard)
        assert network_totals(network, 2).separable == full.separable


@pytest.mark.parametrize(
    ("channels", "width", "divisor", "expected"),
    [
        (32, "0.75", None, 24),  # int(24.0)
        (10, "0.33", None, 3),  # int(3.3)
        (3, "0.25", None, 1),  # int(0.75) = 0, kept at one channel
        (32, "0.35", 8, 16),  # 11.2: floor(11.2/8 + 0.5)·8 = 8, below 0.9·11.2 = 10.08, so 8 + 8
        (24, "0.35", 8, 8),  # 8.4 → 8, not below 7.56
        (96, "0.75", 8, 72),  # 72 exactly
        (1280, "1.4", 8, 1792),  # 1792 exactly
        (4, "0.5", 8, 8),  # never below the divisor
    ],
)
def test_scale_channels(channels: int, width: str, divisor: int | None, expected: int) -> None:
    assert scale_channels(channels, Fraction(width), divisor) == expected


def test_width_keeps_the_input_and_the_class_count() -> None:
    network = Network(
        "n",
        Shape(3, 8, 8),
        (
            Node("a", "conv", ConvLayer(16, (3, 3))),
            Node("fc1", "linear", LinearLayer(64)),
            Node("p", "pool", PoolLayer(global_=True)),
            Node("fc2", "linear", LinearLayer(10, bias=True)),
        ),
    )
    half = with_width(network, Fraction(1, 2))
    assert half.input == Shape(3, 8, 8)
    assert [getattr(node.layer, "out", None) for node in half.nodes] == [8, 32, None, 10]
    # conv 3 → 8, 3×3, 6×6 output: 216 params, 7,776 mults; fc1 8·6·6 = 288 → 32: 9,216;
    # fc2 32 → 10 with bias: 320 + 10
    assert network_totals(half).total == Cost(216 + 9_216 + 330, 7_776 + 9_216 + 320)


def test_resolution() -> None:
    assert with_resolution(MOBILENET.network, 192).input == Shape(3, 192, 192)
    assert with_resolution(MOBILENET.network, 192, 160).input == Shape(3, 192, 160)


def test_savings() -> None:
    # 1 − own mults / all-standard mults
    variant = Variant("n", Fraction(1), 224, Cost(1, 25), Cost(1, 100))
    assert variant.savings_vs_standard == Fraction(3, 4)
    assert Variant("n", Fraction(1), 224, Cost(0, 0), Cost(0, 0)).savings_vs_standard == 0
