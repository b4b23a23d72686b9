"""``separable``: a depthwise separable convolution, depthwise K×K then pointwise 1×1."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Bias, PaddingND, Shape, Size, conv_forms, conv_forms_nd
from .base import (
    BATCHNORM,
    GEOMETRY,
    MULTIPLIER,
    OUT,
    Elements,
    Evaluation,
    Invalid,
    Kind,
    Layer,
    field,
    fits,
    new,
    normalized,
    refit,
    register,
)
from .conv import ConvLayer
from .depthwise import DepthwiseLayer
from .pointwise import PointwiseLayer


def _bias(value: object) -> bool | str:
    if isinstance(value, bool) or value == "both":
        return value
    raise Invalid


BIAS = field("bias", _bias, "true, false or 'both'", "false", defaultable=True)
"""On the pointwise step; ``both`` puts one on the depthwise step too."""


@register(
    "separable",
    "depthwise K×K then pointwise 1×1 to out channels (bias on the pointwise step, both: on each): out × Ho × Wo",
    (OUT, *GEOMETRY, MULTIPLIER, BIAS, BATCHNORM),
    order=20,
    example=(
        "{type: separable, out: 8, kernel: 3, stride: 2, padding: same, "
        "dilation: 1, multiplier: 2, bias: both, batchnorm: true}"
    ),
)
class SeparableLayer(NamedTuple):
    """Depthwise K×K (depth multiplier M) then pointwise 1×1 to ``out``; the bias sits on the
    pointwise step (``bias="both"``: on the depthwise step too).

    As standard: the full conv with the same in/out/kernel/stride/padding/dilation/bias."""

    out: int
    kernel: Size
    stride: Size = (1, 1)
    padding: PaddingND = (0, 0)
    dilation: Size = (1, 1)
    multiplier: int = 1
    bias: Bias = False
    batchnorm: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        x = inputs[0]
        out, kernel, stride, padding, dilation, multiplier, bias, batchnorm = self
        if len(x) == 3 and len(kernel) == 2:  # 2-D
            channels, height, width = x
            hw, _, (dw_params, dw_mults), (pw_params, pw_mults) = conv_forms(
                height, width, (channels, out, kernel, stride, padding, dilation, 1, multiplier, bias)
            )
        else:
            if not fits(x, kernel, stride, padding, dilation):
                return refit(x, self, ("kernel", "stride", "padding", "dilation")).evaluate(inputs)
            channels = x[0]
            hw, _, (dw_params, dw_mults), (pw_params, pw_mults) = conv_forms_nd(
                x[1:], (channels, out, kernel, stride, padding, dilation, 1, multiplier, bias)
            )
        parts: tuple[tuple[Kind, int, int], ...]
        if batchnorm:  # after each step
            bn = 2 * (channels * multiplier + out)
            parts = (("depthwise", dw_params, dw_mults), ("pointwise", pw_params, pw_mults), ("other", bn, 0))
        else:
            bn = 0
            parts = (("depthwise", dw_params, dw_mults), ("pointwise", pw_params, pw_mults))
        params, mults = dw_params + pw_params + bn, dw_mults + pw_mults
        output = new(Shape, (out, *hw))
        return new(Evaluation, (output, params, mults, parts, bn))

    def as_standard(self, inputs: tuple[Shape, ...]) -> tuple[Layer, ...]:
        """As standard: the full conv with the same geometry and bias, one group, batch-norm once."""
        out, kernel, stride, padding, dilation, _, bias, batchnorm = self
        return (new(ConvLayer, (out, kernel, stride, padding, dilation, 1, bool(bias), batchnorm)),)

    def steps(self) -> tuple[Layer, ...]:
        """Its two steps as layers: depthwise (biased only for ``both``), then pointwise."""
        depthwise = DepthwiseLayer(
            kernel=self.kernel,
            stride=self.stride,
            padding=self.padding,
            dilation=self.dilation,
            multiplier=self.multiplier,
            bias=self.bias == "both",
            batchnorm=self.batchnorm,
        )
        ones = (1,) * len(self.kernel)
        return depthwise, PointwiseLayer(out=self.out, stride=ones, bias=bool(self.bias), batchnorm=self.batchnorm)

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        middle = Shape.of(inputs[0].channels * self.multiplier, output[1:])
        depthwise = normalized(middle, self.bias == "both", self.batchnorm)
        pointwise = normalized(output, bool(self.bias), self.batchnorm)
        return Elements(*(a + b for a, b in zip(depthwise, pointwise, strict=True)))
