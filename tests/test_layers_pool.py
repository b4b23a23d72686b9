"""The pool layer: max or average, windowed or global; costs nothing."""

from __future__ import annotations

import pytest

from dsc_cost.formulas import Cost, Shape, ShapeError
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import Elements
from dsc_cost.layers.pool import PoolLayer
from dsc_cost.spec import SpecError, load_text

X = Shape(3, 7, 7)


def test_registered() -> None:
    pool = REGISTRY["pool"]
    assert pool.layer is PoolLayer and pool.required == ()
    assert [f.name for f in pool.fields] == ["mode", "kernel", "stride", "padding", "global"]
    assert pool.by_name["stride"].default == "the kernel"


def test_from_a_spec() -> None:
    [spec] = load_text("input: [3, 7, 7]\nlayers: [{type: pool, mode: avg, global: true}]\n", "net.yaml")
    assert spec.network.nodes[0].layer == PoolLayer("avg", global_=True)
    with pytest.raises(SpecError, match=r"kernel: missing: pool layers need a kernel or global: true"):
        load_text("input: [3, 7, 7]\nlayers: [{type: pool, mode: avg}]\n", "net.yaml")


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


def test_padding_beyond_half_the_kernel() -> None:
    with pytest.raises(ShapeError, match=r"expected at most half the kernel 2, found 2"):
        PoolLayer("max", (2, 2), padding=(2, 2)).evaluate((X,))


def test_elements() -> None:
    # 3×7×7 = 147 input elements; a 2×2 average pool gives 3×3×3 = 27 outputs
    assert PoolLayer("max", (2, 2)).elements((X,), Shape(3, 3, 3)) == Elements(max_pool_inputs=147)
    assert PoolLayer("avg", (2, 2)).elements((X,), Shape(3, 3, 3)) == Elements(avg_pool_inputs=147, avg_pool_outputs=27)
    assert PoolLayer("avg", global_=True).elements((X,), Shape(3, 1, 1)) == Elements(
        global_avg_inputs=147, global_avg_outputs=3
    )
