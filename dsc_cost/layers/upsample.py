"""``upsample``: nearest or bilinear upsampling by an integer scale or to a size. No params, no mults."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from ..formulas import Pair, Shape, ShapeError
from .base import FREE, Elements, Evaluation, choice, field, new, register, same, size


def _scale_or_size(values: Mapping[str, Any]) -> tuple[str, str] | None:
    if "scale" not in values and "size" not in values:
        return "scale", "missing: upsample layers need a scale or a size"
    return None


@register(
    "upsample",
    "nearest or bilinear upsampling by scale: s (H·s × W·s) or to size: [h, w]; no params, no mults",
    (
        field("scale", size, "a positive integer or [height, width] of them", defaultable=False),
        field("size", size, "a positive integer or [height, width] of them", defaultable=False),
        field("mode", choice("nearest", "bilinear"), "'nearest' or 'bilinear'", "nearest", defaultable=False),
    ),
    order=67,
    example="{type: upsample, scale: 2, size: [32, 32], mode: bilinear}",
    check=_scale_or_size,
)
class UpsampleLayer(NamedTuple):
    """Upsampling by an integer ``scale`` per axis or to ``size`` (both: they must agree). Each output
    element is one other operation (a copy) for nearest, four (a weighted sum of four neighbours) for
    bilinear."""

    scale: Pair | None = None
    size: Pair | None = None
    mode: str = "nearest"

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        x = inputs[0]
        if self.scale is not None:
            hw = (x.height * self.scale[0], x.width * self.scale[1])
            if self.size is not None and self.size != hw:
                raise ShapeError(
                    "size",
                    f"size {self.size[0]}×{self.size[1]} disagrees with scale {self.scale[0]}×{self.scale[1]} "
                    f"of the input {x.height}×{x.width} ({hw[0]}×{hw[1]})",
                )
        else:
            assert self.size is not None
            hw = self.size
        return same(new(Shape, (x.channels, hw[0], hw[1])), FREE, "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        if self.mode == "bilinear":
            return Elements(bilinear_outputs=output.numel)
        return Elements(nearest_outputs=output.numel)
