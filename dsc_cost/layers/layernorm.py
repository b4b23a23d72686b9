"""``layernorm``: layer-norm over the channels at each position. 2·C params, no mults."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Shape
from .base import THROUGH, Elements, Evaluation, PairRole, register, same


@register(
    "layernorm",
    "layer-norm over the channels at each position (as ConvNeXt's): 2 × C params, no mults: C × H × W",
    (),
    order=100,
    example="{type: layernorm}",
)
class LayerNormLayer(NamedTuple):
    """Layer-norm over the channels at every position, with a learnable scale and shift per channel
    (2·C params, none of them running statistics)."""

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        x = inputs[0]
        return same(x, (2 * x.channels, 0), "other")

    def pair_role(self, x: Shape) -> PairRole:
        return THROUGH  # per position or per channel: a separable pair passes it (dsc_cost.pairs)

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return Elements(layernorm_elements=output.numel, layernorm_channels=output.channels)
