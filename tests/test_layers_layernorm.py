"""The layernorm layer: 2·C params, shape unchanged, no mults."""

from __future__ import annotations

from dsc_cost.conventions import CONVENTIONS, extra_ops
from dsc_cost.formulas import Cost, Shape
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import other_ops
from dsc_cost.layers.layernorm import LayerNormLayer
from dsc_cost.network import what_ifs

X = Shape(96, 56, 56)  # ConvNeXt-Tiny's first stage: 96·56·56 = 301,056 elements


def test_registered() -> None:
    assert REGISTRY["layernorm"].layer is LayerNormLayer and REGISTRY["layernorm"].fields == ()


def test_layernorm() -> None:
    result = LayerNormLayer().evaluate((X,))
    standard, separable = what_ifs(LayerNormLayer(), (X,))
    # a scale and a shift per channel: 2·96 = 192 params, no mults, no running statistics
    assert (result.output, result.cost, result.bn_params) == (X, Cost(192, 0), 0)
    assert standard == separable == Cost(192, 0)
    elements = LayerNormLayer().elements((X,), X)
    assert other_ops(elements) == 301_056
    # fvcore 5 per element, thop 4, ptflops 1 (LayerNorm has no `affine`), torchinfo 2 per channel
    assert [extra_ops(CONVENTIONS[t], elements) for t in ("fvcore", "thop", "ptflops", "torchinfo")] == [
        5 * 301_056, 4 * 301_056, 301_056, 192,
    ]  # fmt: skip
