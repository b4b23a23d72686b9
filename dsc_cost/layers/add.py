"""``add``: the element-wise sum of two or more outputs of equal shape, or a C×1×1 output broadcast
over a C×H×W one. No params, no mults: its additions are other operations."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Shape
from .base import FREE, INPUTS, Elements, Evaluation, broadcast, register, same


@register(
    "add",
    "the element-wise sum of two or more outputs of equal shape (or C×1×1 broadcast over C×H×W); no mults",
    (INPUTS,),
    order=70,
    example="{type: add, inputs: [input, input]}",
)
class AddLayer(NamedTuple):
    """Element-wise sum of two or more outputs of equal shape, or C×1×1 broadcast over C×H×W.
    No params, no mults; (inputs − 1) additions per output element are other operations."""

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        return same(broadcast("add", inputs), FREE, "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        # written as `x + y`, which no counter sees: other operations only
        return Elements(add_ops=(len(inputs) - 1) * output.numel)
