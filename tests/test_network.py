"""Networks: shapes through references, totals, the two what-ifs summed, layer errors.
(Each layer type on its own: tests/test_layers_*.py.)"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dsc_cost.formulas import Cost, Shape
from dsc_cost.network import (
    AddLayer,
    ConcatLayer,
    ConvLayer,
    LayerError,
    Network,
    Node,
    PointwiseLayer,
    SeparableLayer,
    cost_network,
    layer_inputs,
)

X = Shape(3, 7, 7)


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


def test_each_row_keeps_the_shapes_it_reads() -> None:
    result = cost_network(residual())
    map8, map4 = Shape(8, 16, 16), Shape(4, 16, 16)
    # a and b read the previous layer; sum reads a and the input; side the input; cat sum (8) and side (4)
    expected = [(map8,), (map8,), (map8, map8), (map8,), (map8, map4)]
    assert [layer.inputs for layer in result.layers] == expected
    assert layer_inputs(result) == expected
    # rows made without them (``inputs=()``) have theirs worked out from the network
    bare = result._replace(layers=tuple(layer._replace(inputs=()) for layer in result.layers))
    assert layer_inputs(bare) == expected


def test_a_layer_value_used_again_is_costed_on_each_of_its_inputs() -> None:
    block = PointwiseLayer(8, bias=True)  # 8·c weights + 8 biases on c channels, per position
    nodes = (
        Node("a", "pointwise", block),  # on 4×5×5: 40 params, 32·25 = 800 mults
        Node("b", "pointwise", block),  # on 8×5×5: 72 params, 64·25 = 1,600 mults
        Node("c", "pointwise", block),  # the same again
        Node("aux", "pointwise", block, train_only=True),  # and again, in training only
    )
    result = cost_network(Network("shared", Shape(4, 5, 5), nodes), batch=3)
    assert [layer.cost for layer in result.layers] == [Cost(40, 2_400)] + [Cost(72, 4_800)] * 3  # 3 samples
    assert result.total == Cost(40 + 2 * 72, 2_400 + 2 * 4_800)
    assert result.by_kind["pointwise"] == result.total
    assert result.training == Cost(40 + 3 * 72, 2_400 + 3 * 4_800)


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


def test_other_operations_per_layer_and_in_total() -> None:
    result = cost_network(residual(), batch=2)
    # only `sum` does element-wise work: one addition per output element, 8·16·16 = 2,048, for 2 samples
    assert [layer.other_ops for layer in result.layers] == [0, 0, 4_096, 0, 0]
    assert result.other_ops == 4_096
    assert result.total == Cost(2 * 576 + 32, 2 * (2 * 147_456 + 8_192))  # mults stay conv and linear work


def test_other_operations_of_a_gated_block() -> None:
    from dsc_cost.layers.activation import ActivationLayer
    from dsc_cost.layers.layernorm import LayerNormLayer
    from dsc_cost.layers.mean import MeanLayer
    from dsc_cost.layers.mul import MulLayer
    from dsc_cost.layers.scale import ScaleLayer

    network = Network(
        "gated",
        Shape(16, 8, 8),  # 1,024 elements
        (
            Node("norm", "layernorm", LayerNormLayer()),
            Node("act", "activation", ActivationLayer("hardswish")),
            Node("squeeze", "mean", MeanLayer()),
            Node("gate", "activation", ActivationLayer("hardsigmoid")),
            Node("excite", "mul", MulLayer(), ("act", "gate")),
            Node("gamma", "scale", ScaleLayer()),
            Node("sum", "add", AddLayer(), ("gamma", "input")),
        ),
    )
    result = cost_network(network)
    # norm 1,024 (per element); act 1,024; mean 1,024 (per input element); gate 16; excite 1,024 (the 16×1×1 gate
    # broadcast over 16×8×8); scale 1,024; add 1,024
    assert [layer.other_ops for layer in result.layers] == [1_024, 1_024, 1_024, 16, 1_024, 1_024, 1_024]
    assert result.other_ops == 6 * 1_024 + 16
    # params: layer-norm 2·16, scale 16; no mults at all, and both what-ifs are the network itself
    assert result.total == result.standard == result.separable == Cost(48, 0)
    assert result.by_kind["other"] == Cost(48, 0)
    assert result.layers[4].output == Shape(16, 8, 8)
