"""``convtranspose``: a transposed convolution (PyTorch's ConvTranspose2d)."""

from __future__ import annotations

from math import prod
from typing import NamedTuple

from ..formulas import AXES, Shape, ShapeError, Size
from .base import (
    BATCHNORM,
    BIAS,
    DILATION,
    KERNEL,
    OUT,
    STRIDE,
    Elements,
    Evaluation,
    Kind,
    field,
    fits,
    new,
    nonnegative_pair,
    normalized,
    positive,
    refit,
    register,
)

FIELDS = (
    OUT,
    KERNEL,
    STRIDE,
    field("padding", nonnegative_pair, "a non-negative integer or [height, width] of them", "0", defaultable=True),
    field(
        "output_padding", nonnegative_pair, "a non-negative integer or [height, width] of them", "0", defaultable=True
    ),
    DILATION,
    field("groups", positive, "a positive integer", "1", defaultable=True),
    BIAS,
    BATCHNORM,
)


def transposed_length(size: int, kernel: int, stride: int, padding: int, output_padding: int, dilation: int) -> int:
    """PyTorch's output length of a transposed convolution:
    ``(size − 1)·stride − 2·padding + dilation·(kernel − 1) + output_padding + 1``.

    >>> transposed_length(16, 4, 2, 1, 0, 1)
    32
    """
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


@register(
    "convtranspose",
    "a transposed convolution (PyTorch's rule: (H − 1)·s − 2p + d·(k − 1) + output_padding + 1): out × Ho × Wo",
    FIELDS,
    order=45,
    example=(
        "{type: convtranspose, out: 6, kernel: 4, stride: 2, padding: 1, output_padding: 1, dilation: 1, "
        "groups: 2, bias: true, batchnorm: true}"
    ),
)
class ConvTransposeLayer(NamedTuple):
    """A transposed convolution, C in, O out, g groups, kernel Kh×Kw, on an H×W input:

    * params = C·(O/g)·Kh·Kw (+ O with bias)
    * mults  = H·W·C·(O/g)·Kh·Kw: every input element times every weight it meets, once
      (fvcore's, ptflops' and FlopCounterMode's count; torchinfo and thop count the weights per output
      position instead, :mod:`~dsc_cost.conventions`).

    Not a convolution of the what-ifs: itself as standard and as separable."""

    out: int
    kernel: Size
    stride: Size = (1, 1)
    padding: Size = (0, 0)
    output_padding: Size = (0, 0)
    dilation: Size = (1, 1)
    groups: int = 1
    bias: bool = False
    batchnorm: bool = False

    def _weights(self, channels: int) -> int:
        return channels * (self.out // self.groups) * prod(self.kernel)

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        x = inputs[0]
        if x.channels % self.groups or self.out % self.groups:
            raise ShapeError(
                "groups", f"groups {self.groups} must divide both in channels {x.channels} and out {self.out}"
            )
        if not fits(x, self.kernel, self.stride, self.padding, self.output_padding, self.dilation):
            return refit(x, self, ("kernel", "stride", "padding", "output_padding", "dilation")).evaluate(inputs)
        hw = []
        for axis, length, k, s, p, op, d in zip(
            AXES.get(len(x) - 1, ("size",) * (len(x) - 1)), x[1:], self.kernel, self.stride, self.padding,
            self.output_padding, self.dilation, strict=True,
        ):  # fmt: skip
            if op >= s and op >= d:  # PyTorch's rule
                raise ShapeError(
                    "output_padding", f"expected below the stride {s} or the dilation {d}, found {op} ({axis})"
                )
            n = transposed_length(length, k, s, p, op, d)
            if n < 1:
                raise ShapeError(
                    "padding", f"padding {p} leaves no output {axis}: ({length} − 1)·{s} − 2·{p} + {d}·({k} − 1) "
                    f"+ {op} + 1 = {n}",
                )  # fmt: skip
            hw.append(n)
        weights = self._weights(x.channels)
        params = weights + (self.out if self.bias else 0)
        mults = prod(x[1:]) * weights
        bn = 2 * self.out if self.batchnorm else 0
        total = params + bn
        parts: tuple[tuple[Kind, int, int], ...] = (("other", total, mults),)
        output = new(Shape, (self.out, *hw))
        return new(Evaluation, (output, total, mults, parts, bn))

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        x = inputs[0]
        surplus = self._weights(x.channels) * (prod(output[1:]) - prod(x[1:]))
        return normalized(output, self.bias, self.batchnorm)._replace(transposed_surplus=surplus)
