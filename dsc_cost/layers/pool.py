"""``pool``: max or average pooling, windowed or global. No params, no mults: the window elements it reads
are other operations."""

from __future__ import annotations

from collections.abc import Mapping
from math import prod
from typing import Any, Literal, NamedTuple

from ..formulas import PaddingND, Shape, ShapeError, Size, output_size
from .base import (
    FREE,
    PADDING,
    Elements,
    Evaluation,
    Invalid,
    field,
    fits,
    flag,
    new,
    refit,
    register,
    same,
    size,
)


def _mode(value: object) -> str:
    if value == "max" or value == "avg":
        return value
    raise Invalid


def _kernel_or_global(values: Mapping[str, Any]) -> tuple[str, str] | None:
    if "kernel" not in values and not values.get("global") and "output" not in values:
        return "kernel", "missing: pool layers need a kernel, an output size or global: true"
    return None


FIELDS = (
    field("mode", _mode, "'max' or 'avg'", "max", defaultable=True),
    field(
        "kernel", size, "a positive integer or [height, width] of them", defaultable=True
    ),  # or global: true: _kernel_or_global
    field("stride", size, "a positive integer or [height, width] of them", "the kernel", defaultable=True),
    PADDING,
    field("global", flag, "true or false", "false", attribute="global_", defaultable=True),
    field("ceil_mode", flag, "true or false", "false", defaultable=True),
    field("output", size, "a positive integer or [height, width] of them", defaultable=False),
)


def adaptive_reads(size: int, output: int) -> int:
    """The input elements that PyTorch's adaptive pooling reads along one axis: window ``i`` of ``output``
    runs from ``floor(i·size / output)`` to ``ceil((i + 1)·size / output)`` (windows overlap where ``output``
    does not divide ``size``).

    >>> adaptive_reads(7, 1), adaptive_reads(8, 4), adaptive_reads(7, 3)
    (7, 8, 9)
    """
    return sum(-(-(i + 1) * size // output) - i * size // output for i in range(output))


def ceil_length(size: int, kernel: int, stride: int, padding: int) -> int:
    """PyTorch's output length of pooling with ``ceil_mode=True``: ``ceil((size + 2·padding − kernel) / stride) + 1``,
    less one when the last window would start beyond the input and its left padding
    (``(length − 1)·stride ≥ size + padding``).

    >>> ceil_length(112, 3, 2, 0), ceil_length(5, 2, 2, 1)
    (56, 3)
    """
    length = -(-(size + 2 * padding - kernel) // stride) + 1
    if (length - 1) * stride >= size + padding:
        length -= 1
    return length


def _times(sizes: Size) -> str:
    return "×".join(map(str, sizes))


@register(
    "pool",
    "max or average pooling over a kernel (ceil_mode: PyTorch's rounding up), adaptive to output: [h, w], or "
    "global: true (each channel to 1×1); no mults: C × Ho × Wo",
    FIELDS,
    order=60,
    example="{type: pool, mode: avg, kernel: 2, stride: 2, padding: 1, global: false, ceil_mode: true, output: 9}",
    check=_kernel_or_global,
)
class PoolLayer(NamedTuple):
    """Max or average pooling; ``global_`` pools each channel to 1×1. Costs nothing.

    ``stride`` defaults to the kernel (``None``). ``ceil_mode`` rounds the output size up as PyTorch
    does (:func:`ceil_length`); with ``same`` padding, which already rounds up, it changes nothing.

    ``output`` without a kernel is adaptive pooling (PyTorch's ``AdaptiveAvgPool2d`` and ``AdaptiveMaxPool2d``):
    the output size as given, whatever the input's; ``global_`` is its 1×1 case. With a kernel, or with
    ``global_``, ``output`` is the size the pool must give (a problem when it does not)."""

    mode: Literal["max", "avg"] = "max"
    kernel: Size | None = None
    stride: Size | None = None
    padding: PaddingND = (0, 0)
    global_: bool = False
    ceil_mode: bool = False
    output: Size | None = None

    def _adaptive(self) -> bool:
        return self.global_ or self.kernel is None

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        if len(x) != 3 and not fits(x, self.kernel, self.stride, self.padding, self.output):
            return refit(x, self, ("kernel", "stride", "padding", "output")).evaluate(inputs)
        if self.global_:
            ones = (1, 1) if len(x) == 3 else (1,) * (len(x) - 1)
            if self.output is not None and self.output != ones:
                raise ShapeError("output", f"global: true pools to {_times(ones)}, found output {_times(self.output)}")
            return same(new(Shape, (x.channels, *ones)), FREE, "other")
        if self.kernel is None:
            if self.output is None:
                raise ShapeError("kernel", "missing: pool layers need a kernel, an output size or global: true")
            return same(new(Shape, (x.channels, *self.output)), FREE, "other")
        if not isinstance(self.padding, str):
            for pad, k in zip(self.padding, self.kernel, strict=True):
                if 2 * pad > k:  # PyTorch's rule too
                    raise ShapeError("padding", f"expected at most half the kernel {k}, found {pad}")
        stride = self.stride or self.kernel
        hw = output_size(x[1:], self.kernel, stride, self.padding)
        if self.ceil_mode and self.padding != "same":
            pads = (0,) * len(hw) if self.padding == "valid" else self.padding
            hw = tuple(ceil_length(n, k, s, p) for n, k, s, p in zip(x[1:], self.kernel, stride, pads, strict=True))
        if self.output is not None and self.output != hw:
            raise ShapeError(
                "output",
                f"output {_times(self.output)} disagrees with the kernel's output {_times(hw)} "
                f"of the input {_times(x[1:])}",
            )
        return same(new(Shape, (x.channels, *hw)), FREE, "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        x = inputs[0]
        if self._adaptive():
            reads = x.channels * prod(adaptive_reads(n, o) for n, o in zip(x[1:], output[1:], strict=True))
        else:
            assert self.kernel is not None
            reads = output.numel * prod(self.kernel)
        if self.mode == "max":
            return Elements(max_pool_inputs=x.numel, pool_reads=reads)
        if self._adaptive():  # counters see AdaptiveAvgPool2d: the global pool's rules are its rules
            nd = 0 if len(x) == 3 else x.numel  # AdaptiveAvgPool1d, AdaptiveAvgPool3d
            return Elements(
                global_avg_inputs=x.numel, global_avg_outputs=output.numel, pool_reads=reads, nd_global_avg_inputs=nd
            )
        return Elements(avg_pool_inputs=x.numel, avg_pool_outputs=output.numel, pool_reads=reads)
