"""The formula engine: hand-worked cases, the seeds' worked examples, and invariants."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dsc_cost import (
    Conv,
    Cost,
    Shape,
    ShapeError,
    compare,
    conv2d_cost,
    depthwise_cost,
    linear_cost,
    output_hw,
    output_length,
    pointwise_cost,
    reduction_factor,
)

# ---------------------------------------------------------------- the seeds' worked examples


def test_seed_7x7x3_to_128_filters() -> None:
    # Seed 000: input 7×7×3, 128 filters 3×3×3, output 5×5×128.
    # standard  = 128 × 3 × 3 × 3 × 5 × 5 = 86,400
    # depthwise = 3 × 3 × 3 × 5 × 5 = 675; pointwise = 128 × 3 × 5 × 5 = 9,600
    # The seed writes the separable sum as 9,600; the true sum is 675 + 9,600 = 10,275.
    c = compare(Conv(3, 128, (3, 3)), 7, 7)
    assert c.output == Shape(128, 5, 5)
    assert c.standard.mults == 86_400
    assert (c.depthwise.mults, c.pointwise.mults) == (675, 9_600)
    assert c.separable.mults == 10_275


def test_seed_6x6x3_to_4_filters() -> None:
    # Seed 003: 6×6×3 input, 4 filters 3×3, stride 1, padding 0 → 4×4×4.
    # standard 27 × 16 × 4 = 1,728; depthwise 3 × 144 = 432; pointwise 48 × 4 = 192; total 624.
    c = compare(Conv(3, 4, (3, 3)), 6, 6)
    assert c.output == Shape(4, 4, 4)
    assert c.standard.mults == 1_728
    assert (c.depthwise.mults, c.pointwise.mults, c.separable.mults) == (432, 192, 624)


def test_seed_16_to_32_channels_128x128() -> None:
    # Seed 002: m = 16, n = 32, dk = 3, padding 1, h = w = 128 (torchinfo printed both numbers).
    # params m·dk·dk + m·n = 144 + 512 = 656; mults m·dk·dk·h·w + m·h·w·n = 10,747,904.
    c = compare(Conv(16, 32, (3, 3), padding=(1, 1)), 128, 128)
    assert (c.depthwise.params, c.pointwise.params) == (144, 512)
    assert c.separable.params == 656
    assert c.separable.mults == 10_747_904


def test_seed_factor_73_vs_576() -> None:
    # Seed 001: K = 3, O = 64: (O + K·K) = 73 per input position versus O·K·K = 576.
    assert reduction_factor(64, (3, 3)) == Fraction(73, 576)
    c = compare(Conv(1, 64, (3, 3)), 3, 3)  # one input channel, one output position
    assert (c.separable.mults, c.standard.mults) == (73, 576)


# ---------------------------------------------------------------- output size


@pytest.mark.parametrize(
    ("size", "kernel", "stride", "padding", "dilation", "expected"),
    [
        (7, 3, 1, 0, 1, 5),  # (7 + 0 − 2 − 1)/1 + 1
        (128, 3, 1, 1, 1, 128),  # (128 + 2 − 2 − 1)/1 + 1
        (224, 3, 2, 1, 1, 112),  # floor((224 + 2 − 2 − 1)/2) + 1 = 111 + 1
        (10, 3, 1, 0, 2, 6),  # floor((10 − 2·2 − 1)/1) + 1 = 5 + 1
        (17, 7, 1, 3, 1, 17),  # (17 + 6 − 6 − 1) + 1
        (16, 3, 2, 1, 1, 8),  # floor((16 + 2 − 2 − 1)/2) + 1 = 7 + 1
        (7, 3, 2, "valid", 1, 3),  # floor((7 − 2 − 1)/2) + 1 = 2 + 1
        (7, 3, 2, "same", 1, 4),  # ceil(7/2)
        (224, 3, 2, "same", 1, 112),  # ceil(224/2)
        (9, 3, 1, "same", 4, 9),  # ceil(9/1): dilation does not matter for same
        (5, 5, 1, 0, 1, 1),  # the kernel covers the input exactly
        (4, 5, 1, 0, 1, 0),  # does not fit: reported by output_hw
    ],
)
def test_output_length(size: int, kernel: int, stride: int, padding: int | str, dilation: int, expected: int) -> None:
    assert output_length(size, kernel, stride, padding, dilation) == expected  # type: ignore[arg-type]


@given(
    size=st.integers(1, 60),
    kernel=st.integers(1, 9),
    stride=st.integers(1, 5),
    padding=st.integers(0, 5),
    dilation=st.integers(1, 4),
)
def test_output_length_counts_window_positions(
    size: int, kernel: int, stride: int, padding: int, dilation: int
) -> None:
    # Independent check: count the window positions by walking them.
    span = dilation * (kernel - 1) + 1
    positions = len(range(0, size + 2 * padding - span + 1, stride)) if size + 2 * padding >= span else 0
    assert max(output_length(size, kernel, stride, padding, dilation), 0) == positions


def test_output_hw_non_square() -> None:
    # height: floor((32 + 2 − 2 − 1)/2) + 1 = 16; width: kernel 5, padding 0: floor((16 − 4 − 1)/2) + 1 = 6
    assert output_hw(32, 16, (3, 5), (2, 2), (1, 0)) == (16, 6)


def test_error_kernel_does_not_fit() -> None:
    with pytest.raises(ShapeError, match=r"^kernel: kernel 5 \(dilation 1\) does not fit the input height 4") as info:
        output_hw(4, 4, (5, 5))
    assert info.value.field == "kernel"


# ---------------------------------------------------------------- layer formulas


def test_conv2d_cost_hand_worked() -> None:
    # C = 32, O = 64, 3×3, output 112×112: params 64·32·9 = 18,432; mults 18,432 · 12,544 = 231,211,008
    assert conv2d_cost(32, 64, (3, 3), (112, 112)) == Cost(18_432, 231_211_008)
    # with bias: + O params, no mults
    assert conv2d_cost(32, 64, (3, 3), (112, 112), bias=True) == Cost(18_496, 231_211_008)
    # groups 4: 64 · (32/4) · 9 = 4,608 weights
    assert conv2d_cost(32, 64, (3, 3), (10, 10), groups=4) == Cost(4_608, 460_800)


def test_depthwise_and_pointwise_hand_worked() -> None:
    # depthwise C = 8, M = 2, 3×5 kernel, output 4×6: params 8·2·15 = 240, mults 240·24 = 5,760
    assert depthwise_cost(8, (3, 5), (4, 6), multiplier=2) == Cost(240, 5_760)
    assert depthwise_cost(8, (3, 5), (4, 6), multiplier=2, bias=True) == Cost(256, 5_760)
    # pointwise 16 → 10, output 4×6: params 160 (+10), mults 160·24 = 3,840
    assert pointwise_cost(16, 10, (4, 6), bias=True) == Cost(170, 3_840)


def test_linear_cost() -> None:
    # 1024 → 1000 with bias: 1,024,000 weights + 1,000 biases; one mult per weight
    assert linear_cost(1024, 1000, bias=True) == Cost(1_025_000, 1_024_000)


@pytest.mark.parametrize(
    ("conv", "hw", "batch", "standard", "depthwise", "pointwise"),
    [
        # stride 2, padding same, 224 → 112: std 64·32·9 = 18,432 · 12,544; dw 32·9 = 288 · 12,544; pw 32·64 = 2,048
        (
            Conv(32, 64, (3, 3), (2, 2), "same"),
            (224, 224),
            1,
            Cost(18_432, 231_211_008),
            Cost(288, 3_612_672),
            Cost(2_048, 25_690_112),
        ),
        # dilation 2 on 10×10, padding 0 → 6×6: std 4·2·9 = 72 · 36; dw 2·9 = 18 · 36; pw 2·4 = 8 · 36
        (Conv(2, 4, (3, 3), dilation=(2, 2)), (10, 10), 1, Cost(72, 2_592), Cost(18, 648), Cost(8, 288)),
        # non-square kernel 1×7, padding 0×3 on 17×17 → 17×17 (289 positions): std 8·4·7 = 224; dw 4·7 = 28; pw 32
        (Conv(4, 8, (1, 7), padding=(0, 3)), (17, 17), 1, Cost(224, 64_736), Cost(28, 8_092), Cost(32, 9_248)),
        # non-square input 32×16, stride 2, padding 1 → 16×8 (128): std 6·3·9 = 162; dw 27; pw 18
        (Conv(3, 6, (3, 3), (2, 2), (1, 1)), (32, 16), 1, Cost(162, 20_736), Cost(27, 3_456), Cost(18, 2_304)),
        # valid = padding 0: 6×6 → 4×4 as in the seed
        (Conv(3, 4, (3, 3), padding="valid"), (6, 6), 1, Cost(108, 1_728), Cost(27, 432), Cost(12, 192)),
        # multiplier 2: dw 3·2·9 = 54 params; pw from 6 channels: 6·4 = 24; 16 positions
        (Conv(3, 4, (3, 3), multiplier=2), (6, 6), 1, Cost(108, 1_728), Cost(54, 864), Cost(24, 384)),
        # bias: standard + 4, pointwise + 4, depthwise unbiased
        (Conv(3, 4, (3, 3), bias=True), (6, 6), 1, Cost(112, 1_728), Cost(27, 432), Cost(16, 192)),
        # bias both: depthwise + 3 too
        (Conv(3, 4, (3, 3), bias="both"), (6, 6), 1, Cost(112, 1_728), Cost(30, 432), Cost(16, 192)),
        # groups 2 on the standard conv: 8·(4/2)·9 = 144; dw 4·9 = 36; pw 4·8 = 32; 16 positions
        (Conv(4, 8, (3, 3), groups=2), (6, 6), 1, Cost(144, 2_304), Cost(36, 576), Cost(32, 512)),
        # batch 4 multiplies mults only: 1,728·4, 432·4, 192·4
        (Conv(3, 4, (3, 3)), (6, 6), 4, Cost(108, 6_912), Cost(27, 1_728), Cost(12, 768)),
    ],
)
def test_compare_hand_worked(
    conv: Conv, hw: tuple[int, int], batch: int, standard: Cost, depthwise: Cost, pointwise: Cost
) -> None:
    c = compare(conv, *hw, batch=batch)
    assert (c.standard, c.depthwise, c.pointwise) == (standard, depthwise, pointwise)
    assert c.separable == depthwise + pointwise


def test_flops_are_twice_mults() -> None:
    assert Cost(5, 10_747_904).flops == 21_495_808


# ---------------------------------------------------------------- invariants


@given(
    c=st.integers(1, 512),
    o=st.integers(1, 512),
    kh=st.integers(1, 7),
    kw=st.integers(1, 7),
    h=st.integers(7, 64),
    w=st.integers(7, 64),
)
def test_ratio_is_one_over_o_plus_one_over_k2(c: int, o: int, kh: int, kw: int, h: int, w: int) -> None:
    result = compare(Conv(c, o, (kh, kw)), h, w)
    expected = Fraction(1, o) + Fraction(1, kh * kw)
    assert result.params_ratio == expected
    assert result.mults_ratio == expected
    assert isinstance(result.standard.mults, int) and isinstance(result.separable.params, int)


@given(c=st.integers(1, 64), o=st.integers(1, 64), m=st.integers(1, 4), batch=st.integers(1, 16))
def test_batch_scales_mults_not_params(c: int, o: int, m: int, batch: int) -> None:
    one = compare(Conv(c, o, (3, 3), multiplier=m), 9, 9)
    many = compare(Conv(c, o, (3, 3), multiplier=m), 9, 9, batch=batch)
    assert many.separable == Cost(one.separable.params, one.separable.mults * batch)
    assert many.standard == Cost(one.standard.params, one.standard.mults * batch)


def test_counts_stay_exact_beyond_float_precision() -> None:
    # 2**53 + 1 is not a float; a float anywhere in the path would lose the 1.
    c = compare(Conv(2**26, 2**27, (1, 1)), 1, 1)
    assert c.standard.mults == 2**53
    assert compare(Conv(2**26, 2**27 + 1, (1, 1)), 1, 1).standard.mults == 2**53 + 2**26


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"in_channels": 0}, "in_channels", "expected a positive integer, found 0"),
        ({"out_channels": -3}, "out_channels", "expected a positive integer, found -3"),
        ({"kernel": (0, 3)}, "kernel", "expected a positive integer, found 0"),
        ({"stride": (1, 0)}, "stride", "expected a positive integer, found 0"),
        ({"dilation": (True, 1)}, "dilation", "expected a positive integer, found True"),
        ({"padding": (-1, 0)}, "padding", "expected a non-negative integer, 'same' or 'valid', found -1"),
        ({"padding": "full"}, "padding", "expected a non-negative integer, 'same' or 'valid', found 'full'"),
        ({"groups": 3}, "groups", "groups 3 must divide both in_channels 4 and out_channels 8"),
        ({"multiplier": 0}, "multiplier", "expected a positive integer, found 0"),
    ],
)
def test_error_conv_fields(kwargs: dict[str, object], field: str, message: str) -> None:
    arguments: dict[str, object] = {"in_channels": 4, "out_channels": 8, "kernel": (3, 3), **kwargs}
    with pytest.raises(ShapeError) as info:
        Conv(**arguments)  # type: ignore[arg-type]
    assert (info.value.field, info.value.message) == (field, message)


def test_error_non_positive_input_size() -> None:
    with pytest.raises(ShapeError, match=r"^height: expected a positive integer, found 0$"):
        compare(Conv(3, 4, (3, 3)), 0, 6)
    with pytest.raises(ShapeError, match=r"^batch: expected a positive integer, found 0$"):
        compare(Conv(3, 4, (3, 3)), 6, 6, batch=0)
