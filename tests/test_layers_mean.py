"""The mean layer: x.mean([2, 3]), apart from global average pooling."""

from __future__ import annotations

from dsc_cost.conventions import CONVENTIONS, extra_ops
from dsc_cost.formulas import Cost, Shape
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import other_ops
from dsc_cost.layers.mean import MeanLayer
from dsc_cost.layers.pool import PoolLayer

X = Shape(1024, 7, 7)  # ShuffleNetV2 1×'s last map: 1024·7·7 = 50,176 elements


def test_mean() -> None:
    assert REGISTRY["mean"].layer is MeanLayer
    result = MeanLayer().evaluate((X,))
    assert (result.output, result.cost) == (Shape(1024, 1, 1), Cost(0, 0))
    elements = MeanLayer().elements((X,), Shape(1024, 1, 1))
    assert other_ops(elements) == 50_176  # one addition per input element
    # no counter sees a tensor method (fvcore has no aten::mean handle)
    assert all(extra_ops(convention, elements) == 0 for convention in CONVENTIONS.values())


def test_mean_differs_from_global_pooling_for_counters() -> None:
    pooled = PoolLayer("avg", global_=True).elements((X,), Shape(1024, 1, 1))
    assert other_ops(pooled) == other_ops(MeanLayer().elements((X,), Shape(1024, 1, 1)))
    # fvcore counts adaptive_avg_pool2d's input elements, ptflops 2 per input, thop inputs + outputs
    assert [extra_ops(CONVENTIONS[t], pooled) for t in ("fvcore", "ptflops", "thop")] == [
        50_176, 100_352, 50_176 + 1_024,
    ]  # fmt: skip
