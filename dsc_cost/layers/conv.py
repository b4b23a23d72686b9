"""``conv``: a standard (optionally grouped) convolution."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import PaddingND, Shape, ShapeError, Size, conv2d_counts, output_hw, output_size
from .base import (
    BATCHNORM,
    BIAS,
    GEOMETRY,
    OUT,
    Elements,
    Evaluation,
    Kind,
    Layer,
    PairRole,
    field,
    fits,
    new,
    normalized,
    positive,
    refit,
    register,
    starts_pairs,
)
from .depthwise import DepthwiseLayer
from .pointwise import PointwiseLayer

GROUPS = field("groups", positive, "a positive integer", "1", defaultable=True)


@register(
    "conv",
    "a standard convolution, optionally grouped: out × Ho × Wo",
    (OUT, *GEOMETRY, GROUPS, BIAS, BATCHNORM),
    order=10,
    example=(
        "{type: conv, out: 8, kernel: 3, stride: 1, padding: 1, dilation: 1, groups: 2, bias: true, batchnorm: true}"
    ),
)
@starts_pairs
class ConvLayer(NamedTuple):
    """A standard (optionally grouped) convolution: :func:`~dsc_cost.formulas.conv2d_counts`.

    As separable (groups 1, kernel larger than 1×1): depthwise with the same geometry, then
    pointwise carrying the bias. With one group per input channel it is a depthwise conv, however written:
    it pairs as a ``depthwise`` layer does (:mod:`dsc_cost.pairs`), and alone, as standard, it is the full conv
    of one group. A 1×1 conv of stride 1, no padding and one group is a pointwise partner."""

    out: int
    kernel: Size
    stride: Size = (1, 1)
    padding: PaddingND = (0, 0)
    dilation: Size = (1, 1)
    groups: int = 1
    bias: bool = False
    batchnorm: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        if x.channels % self.groups or self.out % self.groups:
            raise ShapeError(
                "groups", f"groups {self.groups} must divide both in channels {x.channels} and out {self.out}"
            )
        out, kernel, stride, padding, dilation, groups, bias, batchnorm = self
        hw: Size
        if len(x) == 3 and len(kernel) == 2:  # 2-D
            hw = output_hw(x[1], x[2], kernel, stride, padding, dilation)
        else:
            if not fits(x, kernel, stride, padding, dilation):
                return refit(x, self, ("kernel", "stride", "padding", "dilation")).evaluate(inputs)
            hw = output_size(x[1:], kernel, stride, padding, dilation)
        params, mults = conv2d_counts(x[0], out, kernel, hw, groups, bias)
        if kernel.count(1) == len(kernel):
            kind: Kind = "pointwise"
        elif groups == x.channels == out:
            kind = "depthwise"
        else:
            kind = "conv"
        bn = 2 * out if batchnorm else 0
        output = new(Shape, (out, *hw))
        parts: tuple[tuple[Kind, int, int], ...] = ((kind, params, mults),) + ((("other", bn, 0),) if bn else ())
        return new(Evaluation, (output, params + bn, mults, parts, bn))

    def as_standard(self, inputs: tuple[Shape, ...]) -> tuple[Layer, ...]:
        """Alone, as standard: itself, but for a depthwise conv
        (one group per input channel), which is the full conv of one group."""
        if self.groups > 1 and self.groups == inputs[0].channels:
            return (self._replace(groups=1),)
        return (self,)

    def pair_role(self, x: Shape) -> PairRole | None:
        """A depthwise conv (one group per input channel), or a pointwise partner (1×1, stride 1, no
        padding, one group), of a separable pair (:mod:`dsc_cost.pairs`)."""
        groups = self.groups
        if groups > 1 and groups == x.channels:
            return PairRole("depthwise", (self.kernel, self.stride, self.padding, self.dilation, True))
        if groups == 1 and self.kernel.count(1) == len(self.kernel) and self.stride.count(1) == len(self.stride):
            if isinstance(self.padding, str) or not any(self.padding):  # 'same' pads a 1×1 kernel with nothing
                return PairRole("partner", (self.out, self.bias, self.batchnorm))
        return None

    def as_separable(self) -> tuple[Layer, ...]:
        """As separable: depthwise
        with the same geometry, then pointwise carrying the bias, batch-norm after each; itself
        when grouped or 1×1."""
        if self.groups != 1 or self.kernel.count(1) == len(self.kernel):
            return (self,)
        depthwise = DepthwiseLayer(
            kernel=self.kernel,
            stride=self.stride,
            padding=self.padding,
            dilation=self.dilation,
            multiplier=1,
            bias=False,
            batchnorm=self.batchnorm,
        )
        ones = (1,) * len(self.kernel)
        return depthwise, PointwiseLayer(out=self.out, stride=ones, bias=self.bias, batchnorm=self.batchnorm)

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return normalized(output, self.bias, self.batchnorm)
