"""``upsample``: nearest or bilinear upsampling by an integer scale or to a size. No params, no mults."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from ..formulas import Shape, ShapeError, Size
from .base import FREE, Elements, Evaluation, choice, field, fits, new, refit, register, same, size


def _scale_or_size(values: Mapping[str, Any]) -> tuple[str, str] | None:
    if "scale" not in values and "size" not in values:
        return "scale", "missing: upsample layers need a scale or a size"
    return None


def _times(sizes: Size) -> str:
    return "×".join(map(str, sizes))


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

    scale: Size | None = None
    size: Size | None = None
    mode: str = "nearest"

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        x = inputs[0]
        if len(x) != 3 and not fits(x, self.scale, self.size):
            return refit(x, self, ("scale", "size")).evaluate(inputs)
        if self.mode == "bilinear" and len(x) != 3:
            raise ShapeError("mode", f"bilinear needs a 2-D input (C×H×W), found {x}; nearest works in 1-D and 3-D")
        if self.scale is not None:
            hw = tuple(n * s for n, s in zip(x[1:], self.scale, strict=True))
            if self.size is not None and self.size != hw:
                raise ShapeError(
                    "size",
                    f"size {_times(self.size)} disagrees with scale {_times(self.scale)} "
                    f"of the input {_times(x[1:])} ({_times(hw)})",
                )
        else:
            assert self.size is not None
            hw = self.size
        return same(new(Shape, (x.channels, *hw)), FREE, "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        if self.mode == "bilinear":
            return Elements(bilinear_outputs=output.numel)
        return Elements(nearest_outputs=output.numel, nd_nearest_outputs=0 if len(output) == 3 else output.numel)
