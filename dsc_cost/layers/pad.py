"""``pad``: values added around each map, before and after each spatial axis. No params, no mults, no other
operations: a copy into a larger map."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Shape
from .base import FREE, NOTHING, Elements, Evaluation, choice, field, fits, new, nonnegative_pair, refit, register, same


@register(
    "pad",
    "values added around each map: before: [top, left] and after: [bottom, right] (C × (H + top + bottom) × (W + "
    "left + right)), mode constant (zeros), reflect, edge or wrap, as ONNX's Pad and PyTorch's F.pad; costs nothing",
    (
        field("before", nonnegative_pair, "a non-negative integer or [height, width] of them", "0", defaultable=False),
        field("after", nonnegative_pair, "a non-negative integer or [height, width] of them", "0", defaultable=False),
        field(
            "mode",
            choice("constant", "reflect", "edge", "wrap"),
            "'constant', 'reflect', 'edge' or 'wrap'",
            "constant",
            defaultable=False,
        ),
    ),
    order=68,
    example="{type: pad, before: [1, 0], after: [2, 1], mode: constant}",
)
class PadLayer(NamedTuple):
    """Padding of each spatial axis by ``before`` values at its start and ``after`` at its end (one per axis). Every
    mode costs the same: each output value is a copy (of an input value, or of a zero or of the value at the edge
    or mirrored for the others), no arithmetic, as no counter counts any."""

    before: tuple[int, ...] = (0, 0)
    after: tuple[int, ...] = (0, 0)
    mode: str = "constant"

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        x = inputs[0]
        if not fits(x, self.before, self.after):
            return refit(x, self, ("before", "after")).evaluate(inputs)
        sizes = tuple(n + a + z for n, a, z in zip(x[1:], self.before, self.after, strict=True))
        return same(new(Shape, (x.channels, *sizes)), FREE, "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return NOTHING
