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
    Kind,
    Layer,
    PairRole,
    field,
    fits,
    flag,
    layer_class,
    new,
    normalized,
    refit,
    register,
    starts_pairs,
)

PAIR = field("pair", flag, "true or false", "true", defaultable=True)
"""Whether the layer may make a separable pair with a pointwise partner after it (:mod:`dsc_cost.pairs`)."""


@register(
    "depthwise",
    "a depthwise convolution alone, multiplier filters per channel: (in × multiplier) × Ho × Wo",
    (*GEOMETRY, MULTIPLIER, BIAS, BATCHNORM, PAIR),
    order=30,
    example=(
        "{type: depthwise, kernel: 3, stride: 1, padding: valid, dilation: 2, "
        "multiplier: 1, bias: false, batchnorm: true, pair: true}"
    ),
)
@starts_pairs
class DepthwiseLayer(NamedTuple):
    """A depthwise convolution alone (:func:`~dsc_cost.formulas.depthwise_counts`):
    out channels = in × multiplier.

    With a pointwise partner after it, it is one separable conv (:mod:`dsc_cost.pairs`, unless ``pair`` is
    false); alone, as standard it is the full conv of the same input and output shapes (C → C·M, one group,
    its own bias and batch-norm)."""

    kernel: Size
    stride: Size = (1, 1)
    padding: PaddingND = (0, 0)
    dilation: Size = (1, 1)
    multiplier: int = 1
    bias: bool = False
    batchnorm: bool = False
    pair: bool = True

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        hw: Size
        if len(x) == 3 and len(self.kernel) == 2:  # 2-D
            hw = output_hw(x[1], x[2], self.kernel, self.stride, self.padding, self.dilation)
        else:
            if not fits(x, self.kernel, self.stride, self.padding, self.dilation):
                return refit(x, self, ("kernel", "stride", "padding", "dilation")).evaluate(inputs)
            hw = output_size(x[1:], self.kernel, self.stride, self.padding, self.dilation)
        channels = x.channels
        out = channels * self.multiplier
        params, mults = depthwise_counts(channels, self.kernel, hw, self.multiplier, self.bias)
        bn = 2 * out if self.batchnorm else 0
        parts: tuple[tuple[Kind, int, int], ...] = (("depthwise", params, mults),)
        if bn:
            parts += (("other", bn, 0),)
        output = new(Shape, (out, *hw))
        return new(Evaluation, (output, params + bn, mults, parts, bn))

    def as_standard(self, inputs: tuple[Shape, ...]) -> tuple[Layer, ...]:
        """Alone, as standard: the full conv from its input's
        channels to as many outputs as it has (C·M), one group, its window, bias and batch-norm."""
        conv = layer_class("conv")  # the conv module makes depthwise layers (its as-separable what-if)
        out = inputs[0].channels * self.multiplier
        window = {"kernel": self.kernel, "stride": self.stride, "padding": self.padding, "dilation": self.dilation}
        return (conv(out=out, **window, groups=1, bias=self.bias, batchnorm=self.batchnorm),)

    def pair_role(self, x: Shape) -> PairRole:
        return PairRole("depthwise", (self.kernel, self.stride, self.padding, self.dilation, self.pair))

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return normalized(output, self.bias, self.batchnorm)
