"""``linear``: a fully connected layer on the flattened input."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Shape, linear_counts
from .base import BATCHNORM, BIAS, OUT, Elements, Evaluation, new, normalized, register, same


@register(
    "linear",
    "a fully connected layer on the flattened C·H·W input: out × 1 × 1",
    (OUT, BIAS, BATCHNORM),
    order=50,
    example="{type: linear, out: 10, bias: true, batchnorm: false}",
)
class LinearLayer(NamedTuple):
    """A fully connected layer on the flattened input, C·H·W features
    (:func:`~dsc_cost.formulas.linear_counts`); output out×1×1."""

    out: int
    bias: bool = False
    batchnorm: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        counts = linear_counts(x.numel, self.out, self.bias)
        return same(new(Shape, (self.out, 1, 1)), counts, "linear", 2 * self.out if self.batchnorm else 0)

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return normalized(output, self.bias, self.batchnorm)
