"""``mul``: the element-wise product of two outputs of equal shape, or a C×1×1 gate broadcast over a
C×H×W map (squeeze-and-excitation). No params, no mults: its products are other operations."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Shape
from .base import FREE, GATE, TWO_INPUTS, Elements, Evaluation, PairRole, broadcast, register, same


@register(
    "mul",
    "the element-wise product of two outputs of equal shape, or C×1×1 broadcast over C×H×W (an SE gate); no mults",
    (TWO_INPUTS,),
    order=75,
    example="{type: mul, inputs: [input, input]}",
)
class MulLayer(NamedTuple):
    """Element-wise product of two outputs: equal shapes, or C×1×1 broadcast over C×H×W. No params,
    no mults; one product per output element is one other operation."""

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        return same(broadcast("mul", inputs), FREE, "other")

    def pair_role(self, x: Shape) -> PairRole:
        return GATE  # a gate a separable pair passes (dsc_cost.pairs)

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        # written as `x * y` (torchvision's SqueezeExcitation): no counter sees it
        return Elements(mul_elements=output.numel)
