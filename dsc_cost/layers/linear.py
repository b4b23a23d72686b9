"""``linear``: a fully connected layer on the flattened input, or applied at every position."""

from __future__ import annotations

from math import prod
from typing import NamedTuple

from ..formulas import Shape, linear_counts
from .base import BATCHNORM, BIAS, OUT, Elements, Evaluation, PairRole, field, flag, new, normalized, register, same

PER_POSITION = field("per_position", flag, "true or false", "false", defaultable=True)


@register(
    "linear",
    "a fully connected layer on the flattened C·H·W input: out × 1 × 1; per_position: true applies it over the "
    "channels at every position (a channels-last MLP): out × H × W",
    (OUT, BIAS, BATCHNORM, PER_POSITION),
    order=50,
    example="{type: linear, out: 10, bias: true, batchnorm: false, per_position: false}",
)
class LinearLayer(NamedTuple):
    """A fully connected layer on the flattened input, C·H·W features
    (:func:`~dsc_cost.formulas.linear_counts`); output out×1×1.

    With ``per_position``, a Linear over the C channels at each of the H·W positions (ConvNeXt's MLPs, on a
    channels-last map): output out×H×W, params C·O (+O), mults H·W·C·O, as a pointwise conv; still a linear
    layer, because counters differ on it (torchinfo counts its params once per sample)."""

    out: int
    bias: bool = False
    batchnorm: bool = False
    per_position: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        bn = 2 * self.out if self.batchnorm else 0
        if self.per_position:
            params, mults = linear_counts(x.channels, self.out, self.bias)
            positions = prod(x[1:])
            return same(new(Shape, (self.out, *x[1:])), (params, mults * positions), "linear", bn)
        counts = linear_counts(x.numel, self.out, self.bias)
        ones = (1, 1) if len(x) == 3 else (1,) * (len(x) - 1)
        return same(new(Shape, (self.out, *ones)), counts, "linear", bn)

    def pair_role(self, x: Shape) -> PairRole | None:
        """At every position, the pointwise partner of a separable pair (:mod:`dsc_cost.pairs`): ConvNeXt's."""
        return PairRole("partner", (self.out, self.bias, self.batchnorm)) if self.per_position else None

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        elements = normalized(output, self.bias, self.batchnorm)
        if not self.per_position:
            return elements
        params = inputs[0].channels * self.out + (self.out if self.bias else 0)
        return elements._replace(linear_surplus=params * (1 - prod(output[1:])))
