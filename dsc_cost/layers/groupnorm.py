"""``groupnorm``: group-norm over groups of channels. 2·C params, no mults."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Shape, ShapeError
from .base import THROUGH, Elements, Evaluation, PairRole, field, positive, register, same


@register(
    "groupnorm",
    "group-norm over groups of channels (groups: dividing C): 2 × C params, no mults: C × H × W",
    (field("groups", positive, "a positive integer", required=True, defaultable=False),),
    order=110,
    example="{type: groupnorm, groups: 2}",
)
class GroupNormLayer(NamedTuple):
    """Group-norm: the channels in ``groups`` groups, each normalized over its channels and positions,
    with a learnable scale and shift per channel (2·C params)."""

    groups: int

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        x = inputs[0]
        if x.channels % self.groups:
            raise ShapeError("groups", f"groups {self.groups} must divide the in channels {x.channels}")
        return same(x, (2 * x.channels, 0), "other")

    def pair_role(self, x: Shape) -> PairRole:
        return THROUGH  # per position or per channel: a separable pair passes it (dsc_cost.pairs)

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return Elements(groupnorm_elements=output.numel, groupnorm_channels=output.channels)
