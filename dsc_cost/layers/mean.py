"""``mean``: the global mean over height and width, as ``x.mean([2, 3])``: C × 1 × 1. No params, no mults."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Shape
from .base import FREE, Elements, Evaluation, new, register, same


@register(
    "mean",
    "the mean of each channel over H × W, as x.mean([2, 3]) (not a pooling module); no mults: C × 1 × 1",
    (),
    order=65,
    example="{type: mean}",
)
class MeanLayer(NamedTuple):
    """The global mean over height and width written as a tensor method (MnasNet, ShuffleNetV2),
    apart from ``pool`` with ``global: true``: counters see a pooling module but not a tensor method.
    One addition per input element is one other operation."""

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        x = inputs[0]
        return same(new(Shape, (x.channels, *(1,) * (len(x) - 1))), FREE, "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return Elements(mean_inputs=inputs[0].numel)
