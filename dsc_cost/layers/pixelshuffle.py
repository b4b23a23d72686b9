"""``pixelshuffle`` and ``pixelunshuffle``: channels moved into space and back (PyTorch's PixelShuffle and
PixelUnshuffle, ONNX's DepthToSpace and SpaceToDepth). No params, no mults, no other operations: a reordering."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Shape, ShapeError
from .base import FREE, NOTHING, Elements, Evaluation, field, new, positive, register, same


def _kept(x: Shape) -> int:
    """The spatial axes a pixel shuffle leaves as they are: the depth of a 3-D input (each frame shuffled as a 2-D
    map), none of a 1-D or 2-D one."""
    return max(0, len(x) - 3)


FACTOR = field("factor", positive, "a positive integer", required=True, defaultable=False)
"""r: the block of r × r positions that one channel group becomes (or comes from)."""


@register(
    "pixelshuffle",
    "channels moved into space by factor: r (C×H×W → C/r² × H·r × W·r; r² dividing C; in 1-D, r; in 3-D, each "
    "frame's H and W), as PyTorch's PixelShuffle and ONNX's DepthToSpace; costs nothing",
    (FACTOR,),
    order=86,
    example="{type: pixelshuffle, factor: 2}",
)
class PixelShuffleLayer(NamedTuple):
    """``nn.PixelShuffle(r)``: C·r² channels of H × W become C channels of H·r × W·r (nothing counted: a view and
    a copy)."""

    factor: int

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        x = inputs[0]
        r, kept = self.factor, _kept(x)
        block = r ** (len(x) - 1 - kept)
        if x.channels % block:
            raise ShapeError("factor", f"factor {r} needs channels divisible by {block}, found {x.channels}")
        sizes = (*x[1 : 1 + kept], *(n * r for n in x[1 + kept :]))
        return same(new(Shape, (x.channels // block, *sizes)), FREE, "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return NOTHING


@register(
    "pixelunshuffle",
    "space moved into channels by factor: r (C×H×W → C·r² × H/r × W/r; r dividing H and W; in 1-D, r; in "
    "3-D, each frame's H and W), as PyTorch's PixelUnshuffle and ONNX's SpaceToDepth; costs nothing",
    (FACTOR,),
    order=85,
    example="{type: pixelunshuffle, factor: 2}",
)
class PixelUnshuffleLayer(NamedTuple):
    """``nn.PixelUnshuffle(r)``: C channels of H × W become C·r² channels of H/r × W/r (nothing counted)."""

    factor: int

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        x = inputs[0]
        r, kept = self.factor, _kept(x)
        moved = x[1 + kept :]
        if any(n % r for n in moved):
            found = "×".join(map(str, moved))
            raise ShapeError("factor", f"factor {r} needs sizes divisible by {r}, found {found}")
        sizes = (*x[1 : 1 + kept], *(n // r for n in moved))
        return same(new(Shape, (x.channels * r ** len(moved), *sizes)), FREE, "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return NOTHING
