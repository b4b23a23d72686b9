"""``pool``: max or average pooling, windowed or global. Costs nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

from ..formulas import Padding, Pair, Shape, ShapeError, output_hw
from .base import FREE, PADDING, Elements, Evaluation, Invalid, field, flag, new, register, same, size


def _mode(value: object) -> str:
    if value == "max" or value == "avg":
        return value
    raise Invalid


def _kernel_or_global(values: Mapping[str, Any]) -> tuple[str, str] | None:
    if "kernel" not in values and not values.get("global"):
        return "kernel", "missing: pool layers need a kernel or global: true"
    return None


FIELDS = (
    field("mode", _mode, "'max' or 'avg'", "max"),
    field("kernel", size, "a positive integer or [height, width] of them"),  # or global: true: _kernel_or_global
    field("stride", size, "a positive integer or [height, width] of them", "the kernel"),
    PADDING,
    field("global", flag, "true or false", "false", attribute="global_"),
)


@register(
    "pool",
    "max or average pooling over a kernel, or global: true (each channel to 1×1); costs nothing: C × Ho × Wo",
    FIELDS,
    order=60,
    example="{type: pool, mode: avg, kernel: 2, stride: 2, padding: 1, global: false}",
    check=_kernel_or_global,
)
class PoolLayer(NamedTuple):
    """Max or average pooling; ``global_`` pools each channel to 1×1. Costs nothing.

    ``stride`` defaults to the kernel (``None``)."""

    mode: Literal["max", "avg"] = "max"
    kernel: Pair = (1, 1)
    stride: Pair | None = None
    padding: Padding = (0, 0)
    global_: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        if self.global_:
            return same(new(Shape, (x.channels, 1, 1)), FREE, "other")
        if not isinstance(self.padding, str):
            for pad, k in zip(self.padding, self.kernel, strict=True):
                if 2 * pad > k:  # PyTorch's rule too
                    raise ShapeError("padding", f"expected at most half the kernel {k}, found {pad}")
        hw = output_hw(x.height, x.width, self.kernel, self.stride or self.kernel, self.padding)
        return same(new(Shape, (x.channels, hw[0], hw[1])), FREE, "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        x = inputs[0]
        if self.mode == "max":
            return Elements(max_pool_inputs=x.numel)
        if self.global_:
            return Elements(global_avg_inputs=x.numel, global_avg_outputs=output.numel)
        return Elements(avg_pool_inputs=x.numel, avg_pool_outputs=output.numel)
