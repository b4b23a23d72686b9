"""``pointwise``: a 1×1 convolution."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Shape, Size, output_hw, output_size, pointwise_counts
from .base import BATCHNORM, BIAS, OUT, STRIDE, Elements, Evaluation, PairRole, new, normalized, refit, register, same


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
    stride: Size = (1, 1)
    bias: bool = False
    batchnorm: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        stride = self.stride
        hw: Size
        if len(x) == 3 and len(stride) == 2:  # 2-D
            hw = output_hw(x[1], x[2], (1, 1), stride)
        else:
            if len(stride) != len(x) - 1:
                return refit(x, self, ("stride",)).evaluate(inputs)
            hw = output_size(x[1:], (1,) * len(stride), stride)
        counts = pointwise_counts(x.channels, self.out, hw, self.bias)
        return same(new(Shape, (self.out, *hw)), counts, "pointwise", 2 * self.out if self.batchnorm else 0)

    def pair_role(self, x: Shape) -> PairRole | None:
        """A pointwise partner of a separable pair when of stride 1 (:mod:`dsc_cost.pairs`)."""
        if self.stride.count(1) != len(self.stride):
            return None
        return PairRole("partner", (self.out, self.bias, self.batchnorm))

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return normalized(output, self.bias, self.batchnorm)
