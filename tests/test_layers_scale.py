"""The scale layer: C params, shape unchanged; its products are other operations."""

from __future__ import annotations

from dsc_cost.conventions import CONVENTIONS, extra_ops
from dsc_cost.formulas import Cost, Shape
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import other_ops
from dsc_cost.layers.scale import ScaleLayer

X = Shape(96, 56, 56)  # ConvNeXt-Tiny's first stage: 96·56·56 = 301,056 elements


def test_registered() -> None:
    assert REGISTRY["scale"].layer is ScaleLayer and REGISTRY["scale"].fields == ()


def test_scale() -> None:
    result = ScaleLayer().evaluate((X,))
    assert (result.output, result.cost) == (X, Cost(96, 0))  # one scale per channel
    elements = ScaleLayer().elements((X,), X)
    assert other_ops(elements) == 301_056  # C·H·W products, none of them mults
    assert all(extra_ops(convention, elements) == 0 for convention in CONVENTIONS.values())
