"""``depthwise``: a depthwise convolution alone."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import PaddingND, Shape, Size, depthwise_counts, output_hw, output_size
from .base import (
    BATCHNORM,
    BIAS,
    GEOMETRY,
    MULTIPLIER,
    Elements,
    Evaluation,
    fits,
    new,
    normalized,
    refit,
    register,
    same,
)


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

    kernel: Size
    stride: Size = (1, 1)
    padding: PaddingND = (0, 0)
    dilation: Size = (1, 1)
    multiplier: int = 1
    bias: bool = False
    batchnorm: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        hw: Size
        if len(x) == 3 and len(self.kernel) == 2:  # 2-D
            hw = output_hw(x[1], x[2], self.kernel, self.stride, self.padding, self.dilation)
        else:
            if not fits(x, self.kernel, self.stride, self.padding, self.dilation):
                return refit(x, self, ("kernel", "stride", "padding", "dilation")).evaluate(inputs)
            hw = output_size(x[1:], self.kernel, self.stride, self.padding, self.dilation)
        counts = depthwise_counts(x.channels, self.kernel, hw, self.multiplier, self.bias)
        out = x.channels * self.multiplier
        return same(new(Shape, (out, *hw)), counts, "depthwise", 2 * out if self.batchnorm else 0)

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return normalized(output, self.bias, self.batchnorm)
