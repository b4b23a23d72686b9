"""The shuffle layer: ShuffleNet's channel shuffle, groups dividing C, shape unchanged, nothing counted."""

from __future__ import annotations

import pytest

from dsc_cost.conventions import CONVENTIONS, extra_ops
from dsc_cost.formulas import Cost, Shape, ShapeError
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import other_ops
from dsc_cost.layers.shuffle import ShuffleLayer
from dsc_cost.network import what_ifs
from dsc_cost.spec import SpecError, cost_specs, load_text

X = Shape(116, 28, 28)  # ShuffleNetV2 1×'s second stage: two branches of 58 channels concatenated


def test_registered() -> None:
    assert REGISTRY["shuffle"].layer is ShuffleLayer and REGISTRY["shuffle"].required == ("groups",)


def test_shuffle_costs_nothing() -> None:
    result = ShuffleLayer(2).evaluate((X,))
    standard, separable = what_ifs(ShuffleLayer(2), (X,))
    assert (result.output, result.cost, standard, separable) == (X, Cost(0, 0), Cost(0, 0), Cost(0, 0))
    assert result.parts == (("other", 0, 0),)
    elements = ShuffleLayer(2).elements((X,), X)
    # a view, a transpose and a copy: no other operations, and no counter sees any
    assert other_ops(elements) == 0
    assert all(extra_ops(convention, elements) == 0 for convention in CONVENTIONS.values())


def test_groups_must_divide_the_channels() -> None:
    with pytest.raises(ShapeError, match=r"groups: groups 3 must divide the in channels 116"):
        ShuffleLayer(3).evaluate((X,))
    # 116 = 4 · 29: four groups are fine
    assert ShuffleLayer(4).evaluate((X,)).output == X


def test_from_a_spec() -> None:
    text = (
        "input: [116, 28, 28]\ndefaults: {groups: 4}\n"
        "layers: [{type: conv, out: 116, kernel: 1}, {name: mix, type: shuffle, groups: 2}]\n"
    )
    [result] = cost_specs(load_text(text, "n.yaml"))
    # the conv takes the default groups 4 (116·29 = 3,364 weights), the shuffle says its own
    assert result.network.nodes[1].layer == ShuffleLayer(2)
    assert result.total == Cost(116 * 29, 28 * 28 * 116 * 29)  # 3,364 params, 2,637,376 mults
    with pytest.raises(SpecError, match=r"n.yaml:2:\d+: layers\[0\]: groups: missing: shuffle layers need groups"):
        load_text("input: [8, 4, 4]\nlayers: [{type: shuffle}]\n", "n.yaml")
    with pytest.raises(SpecError, match=r"groups: expected a positive integer, found 0"):
        load_text("input: [8, 4, 4]\nlayers: [{type: shuffle, groups: 0}]\n", "n.yaml")
    with pytest.raises(SpecError, match=r"layers\[0\] \(s\): groups: groups 3 must divide the in channels 8"):
        cost_specs(load_text("input: [8, 4, 4]\nlayers: [{name: s, type: shuffle, groups: 3}]\n", "n.yaml"))
