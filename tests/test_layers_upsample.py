"""The upsample layer: by an integer scale or to a size; nearest or bilinear."""

from __future__ import annotations

import pytest

from dsc_cost.conventions import CONVENTIONS, extra_ops
from dsc_cost.formulas import Cost, Shape, ShapeError
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import other_ops
from dsc_cost.layers.upsample import UpsampleLayer
from dsc_cost.spec import SpecError, load_text

X = Shape(21, 32, 32)


def test_registered() -> None:
    upsample = REGISTRY["upsample"]
    assert upsample.layer is UpsampleLayer and upsample.by_name["mode"].default == "nearest"
    assert not upsample.by_name["mode"].defaultable  # defaults: {mode: avg} is pooling's


def test_scale_and_size() -> None:
    assert UpsampleLayer((2, 2)).evaluate((X,)).output == Shape(21, 64, 64)
    assert UpsampleLayer((2, 3)).evaluate((X,)).output == Shape(21, 64, 96)
    assert UpsampleLayer(size=(224, 224)).evaluate((X,)).output == Shape(21, 224, 224)
    result = UpsampleLayer((8, 8), (256, 256), "bilinear").evaluate((X,))  # both given: they agree
    assert (result.output, result.cost) == (Shape(21, 256, 256), Cost(0, 0))
    with pytest.raises(ShapeError, match=r"size: size 100×100 disagrees with scale 2×2 of the input 32×32 \(64×64\)"):
        UpsampleLayer((2, 2), (100, 100)).evaluate((X,))


def test_elements() -> None:
    out = Shape(21, 64, 64)  # 86,016 output elements
    nearest, bilinear = (
        UpsampleLayer((2, 2)).elements((X,), out),
        UpsampleLayer((2, 2), mode="bilinear").elements((X,), out),
    )
    assert (other_ops(nearest), other_ops(bilinear)) == (86_016, 4 * 86_016)
    # fvcore: 1 and 4 per output element; thop: 1 and 11; ptflops: its module hook and its patched F.interpolate,
    # 1 + 1 per output element whatever the mode; torchinfo nothing
    assert [extra_ops(CONVENTIONS[t], bilinear) for t in ("fvcore", "thop", "ptflops", "torchinfo")] == [
        4 * 86_016, 11 * 86_016, 2 * 86_016, 0,
    ]  # fmt: skip
    assert extra_ops(CONVENTIONS["thop"], nearest) == 86_016


def test_a_scale_or_a_size() -> None:
    with pytest.raises(SpecError, match=r"scale: missing: upsample layers need a scale or a size"):
        load_text("input: [4, 4, 4]\nlayers: [{type: upsample, mode: bilinear}]\n", "n.yaml")
    with pytest.raises(SpecError, match=r"mode: expected 'nearest' or 'bilinear', found 'bicubic'"):
        load_text("input: [4, 4, 4]\nlayers: [{type: upsample, scale: 2, mode: bicubic}]\n", "n.yaml")
    [spec] = load_text("input: [4, 4, 4]\ndefaults: {mode: avg}\nlayers: [{type: upsample, scale: 2}]\n", "n.yaml")
    assert spec.network.nodes[0].layer == UpsampleLayer((2, 2))
