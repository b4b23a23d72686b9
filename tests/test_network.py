"""Networks: each layer type on hand-worked shapes, the two what-ifs, references, totals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dsc_cost.formulas import Cost, Shape, ShapeError
from dsc_cost.network import (
    AddLayer,
    ConcatLayer,
    ConvLayer,
    DepthwiseLayer,
    LayerError,
    LinearLayer,
    Network,
    Node,
    PointwiseLayer,
    PoolLayer,
    SeparableLayer,
    cost_network,
)

X = Shape(3, 7, 7)


def test_conv_as_separable_is_the_seed() -> None:
    # 7×7×3 → 128 filters 3×3: standard 86,400 mults and 3·9·128 = 3,456 params;
    # as separable: depthwise 675 + pointwise 9,600 = 10,275 mults, 27 + 384 = 411 params.
    result = ConvLayer(128, (3, 3)).evaluate((X,))
    assert result.output == Shape(128, 5, 5)
    assert result.cost == result.standard == Cost(3_456, 86_400)
    assert result.separable == Cost(411, 10_275)
    assert result.parts == (("conv", 3_456, 86_400),)


def test_conv_bias_goes_on_the_pointwise_step() -> None:
    result = ConvLayer(128, (3, 3), bias=True).evaluate((X,))
    assert result.cost == Cost(3_456 + 128, 86_400)
    assert result.separable == Cost(411 + 128, 10_275)  # no depthwise bias


@pytest.mark.parametrize(
    ("layer", "kind"),
    [
        (ConvLayer(8, (1, 1)), "pointwise"),  # 1×1: nothing to separate
        (ConvLayer(6, (3, 3), groups=3), "conv"),  # grouped: keeps its cost
        (ConvLayer(3, (3, 3), groups=3), "depthwise"),  # groups = in = out is a depthwise conv
    ],
)
def test_conv_that_does_not_convert(layer: ConvLayer, kind: str) -> None:
    result = layer.evaluate((X,))
    assert result.separable == result.standard == result.cost
    assert result.parts[0][0] == kind


def test_non_square_kernel_converts() -> None:
    # a 1×7 conv, padding [0, 3], on 3×7×7 → 4×7×7 (49 positions): standard 4·3·7 = 84 weights;
    # separable 3·7 = 21 + 3·4 = 12 weights
    result = ConvLayer(4, (1, 7), padding=(0, 3)).evaluate((X,))
    assert result.cost == Cost(84, 84 * 49)
    assert result.separable == Cost(33, 33 * 49)


def test_separable_as_standard() -> None:
    # the third seed: 16 → 32, 3×3, padding 1, 128×128; as a full conv 32·16·9 = 4,608 weights
    result = SeparableLayer(32, (3, 3), padding=(1, 1)).evaluate((Shape(16, 128, 128),))
    assert result.cost == result.separable == Cost(656, 10_747_904)
    assert result.standard == Cost(4_608, 4_608 * 128 * 128)
    assert result.parts == (("depthwise", 144, 2_359_296), ("pointwise", 512, 8_388_608))


def test_separable_bias_true_and_both() -> None:
    x = Shape(16, 128, 128)
    assert SeparableLayer(32, (3, 3), padding=(1, 1), bias=True).evaluate((x,)).cost.params == 656 + 32
    both = SeparableLayer(32, (3, 3), padding=(1, 1), bias="both").evaluate((x,))
    assert both.cost.params == 656 + 32 + 16  # 704, as two biased PyTorch convs
    assert both.standard.params == 4_608 + 32


def test_depthwise_multiplier_and_pointwise_stride() -> None:
    # depthwise M = 2 on 3×7×7, 3×3, padding 1: out 6×7×7; params 3·2·9 = 54; mults 54·49
    assert DepthwiseLayer((3, 3), padding=(1, 1), multiplier=2).evaluate((X,)).cost == Cost(54, 2_646)
    # pointwise stride 2 on 8×8: floor((8 − 1)/2) + 1 = 4; params 3·5 = 15; mults 15·16
    result = PointwiseLayer(5, (2, 2)).evaluate((Shape(3, 8, 8),))
    assert (result.output, result.cost) == (Shape(5, 4, 4), Cost(15, 240))


def test_linear_flattens() -> None:
    # 16×2×2 = 64 features → 10: 640 weights + 10 biases
    result = LinearLayer(10, bias=True).evaluate((Shape(16, 2, 2),))
    assert (result.output, result.cost) == (Shape(10, 1, 1), Cost(650, 640))


@pytest.mark.parametrize(
    ("layer", "output"),
    [
        (PoolLayer("avg", global_=True), Shape(3, 1, 1)),
        (PoolLayer("max", (2, 2)), Shape(3, 3, 3)),  # stride defaults to the kernel: floor((7 − 2)/2) + 1
        (PoolLayer("max", (3, 3), (2, 2), "same"), Shape(3, 4, 4)),  # ceil(7/2)
        (PoolLayer("max", (3, 3), (2, 2), (1, 1)), Shape(3, 4, 4)),  # floor((7 + 2 − 3)/2) + 1
    ],
)
def test_pool(layer: PoolLayer, output: Shape) -> None:
    result = layer.evaluate((X,))
    assert (result.output, result.cost) == (output, Cost(0, 0))


def test_add_and_concat() -> None:
    assert AddLayer().evaluate((X, X)).output == X
    assert ConcatLayer().evaluate((X, Shape(5, 7, 7))).output == Shape(8, 7, 7)
    with pytest.raises(ShapeError, match=r"add needs equal shapes, found 3×7×7 and 5×7×7"):
        AddLayer().evaluate((X, Shape(5, 7, 7)))
    with pytest.raises(ShapeError, match=r"concat needs equal height and width, found 3×7×7 and 3×6×7"):
        ConcatLayer().evaluate((X, Shape(3, 6, 7)))


def residual() -> Network:
    return Network(
        "residual",
        Shape(8, 16, 16),
        (
            Node("a", "conv", ConvLayer(8, (3, 3), padding=(1, 1))),
            Node("b", "conv", ConvLayer(8, (3, 3), padding=(1, 1))),
            Node("sum", "add", AddLayer(), ("a", "input")),
            Node("side", "pointwise", PointwiseLayer(4), ("input",)),
            Node("cat", "concat", ConcatLayer(), ("sum", "side")),
        ),
    )


def test_residual_network_totals() -> None:
    result = cost_network(residual())
    # each 3×3 conv 8 → 8 on 16×16: 576 weights × 256 positions = 147,456 mults
    # side: 8 → 4 pointwise: 32 weights × 256 = 8,192 mults
    assert [layer.output for layer in result.layers] == [
        Shape(8, 16, 16), Shape(8, 16, 16), Shape(8, 16, 16), Shape(4, 16, 16), Shape(12, 16, 16),
    ]  # fmt: skip
    assert result.layers[3].input == Shape(8, 16, 16)  # `side` reads the network's input
    assert result.total == Cost(2 * 576 + 32, 2 * 147_456 + 8_192)
    # as separable: each 3×3 conv becomes 8·9 + 8·8 = 136 weights
    assert result.separable == Cost(2 * 136 + 32, 2 * 136 * 256 + 8_192)
    assert result.standard == result.total
    assert result.by_kind["conv"] == Cost(1_152, 294_912)
    assert result.by_kind["pointwise"] == Cost(32, 8_192)
    assert result.output == Shape(12, 16, 16)


def test_layer_error_names_the_layer() -> None:
    network = Network(
        "bad", Shape(3, 4, 4), (Node("ok", "conv", ConvLayer(4, (3, 3))), Node("big", "conv", ConvLayer(4, (5, 5))))
    )
    with pytest.raises(LayerError) as info:
        cost_network(network)
    assert (info.value.index, info.value.name, info.value.field) == (1, "big", "kernel")
    assert str(info.value).startswith("layers[1] (big): kernel: kernel 5 (dilation 1) does not fit the input height 2")


@given(
    widths=st.lists(st.integers(1, 64), min_size=1, max_size=8),
    kernels=st.lists(st.sampled_from([1, 3, 5]), min_size=8, max_size=8),
    batch=st.integers(1, 8),
)
def test_totals_are_the_sum_of_the_rows(widths: list[int], kernels: list[int], batch: int) -> None:
    nodes = tuple(
        Node(
            f"l{i}",
            "separable" if i % 2 else "conv",
            (SeparableLayer if i % 2 else ConvLayer)(w, (k, k), padding=(k // 2, k // 2)),
        )
        for i, (w, k) in enumerate(zip(widths, kernels, strict=False))
    )
    result = cost_network(Network("n", Shape(3, 12, 12), nodes), batch)
    for attribute in ("cost", "standard", "separable"):
        total = Cost(0, 0)
        for layer in result.layers:
            total += getattr(layer, attribute)
        assert total == getattr(result, "total" if attribute == "cost" else attribute)
    by_kind = Cost(0, 0)
    for cost in result.by_kind.values():
        by_kind += cost
    assert by_kind == result.total
    single = cost_network(Network("n", Shape(3, 12, 12), nodes))
    assert result.total == Cost(single.total.params, single.total.mults * batch)


def test_a_layer_equals_only_a_layer_of_its_own_type() -> None:
    # layers are named tuples; a conv and a separable layer with the same numbers must still differ
    assert ConvLayer(8, (3, 3)) == ConvLayer(8, (3, 3))
    assert ConvLayer(8, (3, 3)) != SeparableLayer(8, (3, 3))
    assert AddLayer() != ConcatLayer()
    assert len({ConvLayer(8, (3, 3)), SeparableLayer(8, (3, 3)), ConvLayer(8, (3, 3))}) == 2
