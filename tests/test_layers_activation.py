"""The activation layer: shape unchanged, no params, no mults; one other operation per element."""

from __future__ import annotations

import pytest

from dsc_cost.conventions import CONVENTIONS, extra_ops
from dsc_cost.formulas import Cost, Shape
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.activation import FUNCTIONS, ActivationLayer
from dsc_cost.layers.base import other_ops
from dsc_cost.network import what_ifs
from dsc_cost.spec import SpecError, load_text

X = Shape(16, 8, 8)  # 16·8·8 = 1,024 elements


def test_registered() -> None:
    activation = REGISTRY["activation"]
    assert activation.layer is ActivationLayer and activation.required == ("fn",)
    assert FUNCTIONS == ("relu", "relu6", "hardswish", "hardsigmoid", "sigmoid", "silu", "gelu", "tanh")


@pytest.mark.parametrize("fn", [*FUNCTIONS])
def test_every_function_is_free_and_keeps_the_shape(fn: str) -> None:
    layer = ActivationLayer(fn)
    result = layer.evaluate((X,))
    standard, separable = what_ifs(layer, (X,))
    assert (result.output, result.cost, standard, separable) == (X, Cost(0, 0), Cost(0, 0), Cost(0, 0))
    assert result.parts == (("other", 0, 0),)
    assert other_ops(layer.elements((X,), X)) == 1_024  # one evaluation per element


def test_swish_is_silu() -> None:
    [spec] = load_text("input: [16, 8, 8]\nlayers: [{type: activation, fn: swish}]\n", "net.yaml")
    assert spec.network.nodes[0].layer == ActivationLayer("silu")


def test_bad_function_is_located() -> None:
    with pytest.raises(SpecError) as error:
        load_text("input: [16, 8, 8]\nlayers:\n  - {type: activation, fn: softmax}\n  - {type: activation}\n", "n.yaml")
    assert str(error.value).splitlines() == [
        "n.yaml:3:28: layers[0]: fn: expected one of relu, relu6, hardswish, hardsigmoid, sigmoid, silu, gelu, tanh "
        "or swish, found 'softmax'",
        "n.yaml:4:5: layers[1]: fn: missing: activation layers need fn",
    ]


@pytest.mark.parametrize(
    ("fn", "ptflops", "fvcore", "thop", "torchinfo"),
    [
        ("relu", 2_048, 0, 0, 0),  # ptflops: module hook + patched F.relu, 2 × 1,024; thop: zero_ops
        ("relu6", 1_024, 0, 0, 0),  # ReLU6 calls F.hardtanh, not patched: the module hook alone
        ("gelu", 2_048, 0, 0, 0),
        ("silu", 1_024, 0, 0, 0),  # no module hook; F.silu patched
        ("hardswish", 0, 0, 0, 0),
        ("sigmoid", 0, 0, 0, 0),
    ],
)
def test_what_counters_add(fn: str, ptflops: int, fvcore: int, thop: int, torchinfo: int) -> None:
    elements = ActivationLayer(fn).elements((X,), X)
    found = [extra_ops(CONVENTIONS[tool], elements) for tool in ("ptflops", "fvcore", "thop", "torchinfo")]
    assert found == [ptflops, fvcore, thop, torchinfo]
