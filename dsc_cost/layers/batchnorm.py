"""``batchnorm``: batch-norm as a layer of its own, where it does not follow a conv (pre-activation blocks).
2·C learnable params (and 2·C running statistics beside them), no mults."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Shape
from .base import THROUGH, Elements, Evaluation, PairRole, new, normalized, register


@register(
    "batchnorm",
    "batch-norm on its own (where it does not follow a conv): 2 × C params (+ 2 × C running statistics), "
    "no mults: C × H × W",
    (),
    order=95,
    example="{type: batchnorm}",
)
class BatchNormLayer(NamedTuple):
    """Batch-norm over each channel: a learnable scale and shift per channel (2·C params, reported as
    ``bn_params``, so that its running mean and variance count as non-trainable) and one other operation
    per element, exactly as ``batchnorm: true`` on a conv counts its output."""

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        x = inputs[0]
        bn = 2 * x.channels
        return new(Evaluation, (x, bn, 0, (("other", bn, 0),), bn))

    def pair_role(self, x: Shape) -> PairRole:
        return THROUGH  # per position or per channel: a separable pair passes it (dsc_cost.pairs)

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return normalized(output, False, True)
