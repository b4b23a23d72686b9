"""The groupnorm layer: groups dividing C, 2·C params, shape unchanged, no mults."""

from __future__ import annotations

import pytest

from dsc_cost.conventions import CONVENTIONS, extra_ops
from dsc_cost.formulas import Cost, Shape, ShapeError
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.groupnorm import GroupNormLayer
from dsc_cost.spec import SpecError, load_text

X = Shape(96, 56, 56)  # ConvNeXt-Tiny's first stage: 96·56·56 = 301,056 elements


def test_registered() -> None:
    assert REGISTRY["groupnorm"].layer is GroupNormLayer and REGISTRY["groupnorm"].required == ("groups",)


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


def test_groups_of_groupnorm_are_not_a_default() -> None:
    # `defaults: {groups: ...}` sets convs' groups; a groupnorm layer says its own
    [spec] = load_text(
        "input: [8, 4, 4]\ndefaults: {groups: 2}\nlayers: [{type: conv, out: 8, kernel: 1}, {type: groupnorm, groups: 4}]\n",
        "n.yaml",
    )
    assert spec.network.nodes[1].layer == GroupNormLayer(4)
    with pytest.raises(SpecError, match=r"groups: missing: groupnorm layers need groups"):
        load_text("input: [8, 4, 4]\ndefaults: {groups: 2}\nlayers: [{type: groupnorm}]\n", "n.yaml")
