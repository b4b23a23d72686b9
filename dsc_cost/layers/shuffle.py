"""``shuffle``: ShuffleNet's channel shuffle. No params, no mults, no other operations: a reordering."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Shape, ShapeError
from .base import FREE, NOTHING, Elements, Evaluation, field, positive, register, same


@register(
    "shuffle",
    "the channels reordered across groups (groups: dividing C), as ShuffleNet's channel shuffle; costs nothing: "
    "C × H × W",
    (field("groups", positive, "a positive integer", required=True, defaultable=False),),
    order=84,
    example="{type: shuffle, groups: 2}",
)
class ShuffleLayer(NamedTuple):
    """A channel shuffle (``x.view(n, g, C/g, h, w).transpose(1, 2)``): shape unchanged, nothing counted by
    dsc-cost or by any counter (a view, a transpose and a copy)."""

    groups: int

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        x = inputs[0]
        if x.channels % self.groups:
            raise ShapeError("groups", f"groups {self.groups} must divide the in channels {x.channels}")
        return same(x, FREE, "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return NOTHING
