"""``concat``: the channel concatenation of two or more outputs of equal height and width. Costs nothing."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Shape, ShapeError
from .base import FREE, INPUTS, Elements, Evaluation, new, register, same


@register(
    "concat",
    "the channel concatenation of two or more outputs of equal height and width; costs nothing",
    (INPUTS,),
    order=80,
    example="{type: concat, inputs: [input, input]}",
)
class ConcatLayer(NamedTuple):
    """Channel concatenation of two or more outputs of equal height and width. Costs nothing."""

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        first = inputs[0]
        spatial = first[1:]
        for other in inputs[1:]:
            if other[1:] != spatial:
                if len(first) == 3:
                    raise ShapeError("inputs", f"concat needs equal height and width, found {first} and {other}")
                raise ShapeError("inputs", f"concat needs equal spatial sizes, found {first} and {other}")
        return same(new(Shape, (sum(x.channels for x in inputs), *spatial)), FREE, "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return Elements()
