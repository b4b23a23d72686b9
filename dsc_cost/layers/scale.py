"""``scale``: a learnable scale per channel (ConvNeXt's layer scale). C params; its products are other
operations, not mults."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Shape
from .base import THROUGH, Elements, Evaluation, PairRole, register, same


@register(
    "scale",
    "a learnable scale per channel (ConvNeXt's layer scale): C params, no mults: C × H × W",
    (),
    order=120,
    example="{type: scale}",
)
class ScaleLayer(NamedTuple):
    """A learnable scale per channel: C params; its C·H·W products are other operations, not mults."""

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        x = inputs[0]
        return same(x, (x.channels, 0), "other")

    def pair_role(self, x: Shape) -> PairRole:
        return THROUGH  # per position or per channel: a separable pair passes it (dsc_cost.pairs)

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        # torchvision's ConvNeXt holds it as a parameter of its block (`layer_scale * x`): no counter sees its
        # products, and thop not even its params
        return Elements(scale_elements=output.numel, scale_channels=output.channels)
