"""``depthwise``: a depthwise convolution alone."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Padding, Pair, Shape, depthwise_counts, output_hw
from .base import BATCHNORM, BIAS, GEOMETRY, MULTIPLIER, Elements, Evaluation, new, normalized, register, same


@register(
    "depthwise",
    "a depthwise convolution alone, multiplier filters per channel: (in × multiplier) × Ho × Wo",
    (*GEOMETRY, MULTIPLIER, BIAS, BATCHNORM),
    order=30,
    example=(
        "{type: depthwise, kernel: 3, stride: 1, padding: valid, dilation: 2, "
        "multiplier: 1, bias: false, batchnorm: true}"
    ),
)
class DepthwiseLayer(NamedTuple):
    """A depthwise convolution alone (:func:`~dsc_cost.formulas.depthwise_counts`):
    out channels = in × multiplier."""

    kernel: Pair
    stride: Pair = (1, 1)
    padding: Padding = (0, 0)
    dilation: Pair = (1, 1)
    multiplier: int = 1
    bias: bool = False
    batchnorm: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        hw = output_hw(x.height, x.width, self.kernel, self.stride, self.padding, self.dilation)
        counts = depthwise_counts(x.channels, self.kernel, hw, self.multiplier, self.bias)
        out = x.channels * self.multiplier
        return same(new(Shape, (out, hw[0], hw[1])), counts, "depthwise", 2 * out if self.batchnorm else 0)

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return normalized(output, self.bias, self.batchnorm)
