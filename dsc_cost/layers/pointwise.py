"""``pointwise``: a 1×1 convolution."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Pair, Shape, output_hw, pointwise_counts
from .base import BATCHNORM, BIAS, OUT, STRIDE, Elements, Evaluation, new, normalized, register, same


@register(
    "pointwise",
    "a 1×1 convolution, stride allowed, no padding: out × Ho × Wo",
    (OUT, STRIDE, BIAS, BATCHNORM),
    order=40,
    example="{type: pointwise, out: 8, stride: 2, bias: true, batchnorm: false}",
)
class PointwiseLayer(NamedTuple):
    """A 1×1 convolution to ``out`` channels (:func:`~dsc_cost.formulas.pointwise_counts`);
    stride allowed, no padding."""

    out: int
    stride: Pair = (1, 1)
    bias: bool = False
    batchnorm: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        hw = output_hw(x.height, x.width, (1, 1), self.stride)
        counts = pointwise_counts(x.channels, self.out, hw, self.bias)
        return same(new(Shape, (self.out, hw[0], hw[1])), counts, "pointwise", 2 * self.out if self.batchnorm else 0)

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return normalized(output, self.bias, self.batchnorm)
