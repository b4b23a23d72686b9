"""``activation``: an element-wise activation function. No params, no mults: its evaluations are other
operations."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Shape
from .base import FREE, THROUGH, Elements, Evaluation, Invalid, PairRole, field, register, same

FUNCTIONS = ("relu", "relu6", "hardswish", "hardsigmoid", "sigmoid", "silu", "gelu", "tanh")
"""The functions ``fn:`` takes (``swish`` is another name of ``silu``)."""
ALIASES = {"swish": "silu"}


def _function(value: object) -> str:
    if isinstance(value, str) and value in FUNCTIONS:
        return value
    if isinstance(value, str) and value in ALIASES:
        return ALIASES[value]
    raise Invalid


@register(
    "activation",
    "an element-wise activation (fn: " + ", ".join(FUNCTIONS) + " or swish); no params, no mults: C × H × W",
    (field("fn", _function, "one of " + ", ".join(FUNCTIONS) + " or swish", required=True, defaultable=True),),
    order=90,
    example="{type: activation, fn: hardswish}",
)
class ActivationLayer(NamedTuple):
    """An element-wise activation: shape unchanged, no params, no mults; one evaluation per
    element is one other operation."""

    fn: str

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        return same(inputs[0], FREE, "other")

    def pair_role(self, x: Shape) -> PairRole:
        return THROUGH  # per position or per channel: a separable pair passes it (dsc_cost.pairs)

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        n = output.numel
        fn = self.fn
        return Elements(
            activation_elements=n,
            relu_elements=n if fn == "relu" else 0,
            relu6_elements=n if fn == "relu6" else 0,
            gelu_elements=n if fn == "gelu" else 0,
            silu_elements=n if fn == "silu" else 0,
        )
