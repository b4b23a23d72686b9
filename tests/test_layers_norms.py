"""layernorm, groupnorm and scale: learnable per channel, shape unchanged, no mults."""

from __future__ import annotations

import pytest

from dsc_cost.conventions import CONVENTIONS, extra_ops
from dsc_cost.formulas import Cost, Shape, ShapeError
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import other_ops
from dsc_cost.layers.norms import GroupNormLayer, LayerNormLayer, ScaleLayer
from dsc_cost.spec import SpecError, load_text

X = Shape(96, 56, 56)  # ConvNeXt-Tiny's first stage: 96·56·56 = 301,056 elements


def test_registered() -> None:
    assert REGISTRY["layernorm"].layer is LayerNormLayer and REGISTRY["layernorm"].fields == ()
    assert REGISTRY["groupnorm"].required == ("groups",)
    assert REGISTRY["scale"].layer is ScaleLayer


def test_layernorm() -> None:
    result = LayerNormLayer().evaluate((X,))
    # a scale and a shift per channel: 2·96 = 192 params, no mults, no running statistics
    assert (result.output, result.cost, result.bn_params) == (X, Cost(192, 0), 0)
    assert result.standard == result.separable == Cost(192, 0)
    elements = LayerNormLayer().elements((X,), X)
    assert other_ops(elements) == 301_056
    # fvcore 5 per element, thop 4, ptflops 1 (LayerNorm has no `affine`), torchinfo 2 per channel
    assert [extra_ops(CONVENTIONS[t], elements) for t in ("fvcore", "thop", "ptflops", "torchinfo")] == [
        5 * 301_056, 4 * 301_056, 301_056, 192,
    ]  # fmt: skip


def test_groupnorm() -> None:
    result = GroupNormLayer(32).evaluate((X,))
    assert (result.output, result.cost) == (X, Cost(192, 0))
    elements = GroupNormLayer(32).elements((X,), X)
    # fvcore 5 per element, ptflops 2 (affine), thop no rule, torchinfo 2 per channel
    assert [extra_ops(CONVENTIONS[t], elements) for t in ("fvcore", "ptflops", "thop", "torchinfo")] == [
        5 * 301_056, 2 * 301_056, 0, 192,
    ]  # fmt: skip
    with pytest.raises(ShapeError, match=r"groups: groups 5 must divide the in channels 96"):
        GroupNormLayer(5).evaluate((X,))


def test_scale() -> None:
    result = ScaleLayer().evaluate((X,))
    assert (result.output, result.cost) == (X, Cost(96, 0))  # one scale per channel
    elements = ScaleLayer().elements((X,), X)
    assert other_ops(elements) == 301_056  # C·H·W products, none of them mults
    assert all(extra_ops(convention, elements) == 0 for convention in CONVENTIONS.values())


def test_groups_of_groupnorm_are_not_a_default() -> None:
    # `defaults: {groups: ...}` sets convs' groups; a groupnorm layer says its own
    [spec] = load_text(
        "input: [8, 4, 4]\ndefaults: {groups: 2}\nlayers: [{type: conv, out: 8, kernel: 1}, {type: groupnorm, groups: 4}]\n",
        "n.yaml",
    )
    assert spec.network.nodes[1].layer == GroupNormLayer(4)
    with pytest.raises(SpecError, match=r"groups: missing: groupnorm layers need groups"):
        load_text("input: [8, 4, 4]\ndefaults: {groups: 2}\nlayers: [{type: groupnorm}]\n", "n.yaml")
