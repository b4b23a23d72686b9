"""``add``: the element-wise sum of two or more outputs of equal shape. Costs nothing."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Shape, ShapeError
from .base import FREE, INPUTS, Elements, Evaluation, register, same


@register(
    "add",
    "the element-wise sum of two or more outputs of equal shape; costs nothing",
    (INPUTS,),
    order=70,
    example="{type: add, inputs: [input, input]}",
)
class AddLayer(NamedTuple):
    """Element-wise sum of two or more outputs of equal shape. Costs nothing."""

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        first = inputs[0]
        for other in inputs[1:]:
            if other != first:
                raise ShapeError("inputs", f"add needs equal shapes, found {first} and {other}")
        return same(first, FREE, "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return Elements()  # written as `x + y`, which no counter sees
