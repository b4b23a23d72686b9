"""Exact cost formulas for convolutions and their depthwise separable form.

Pure arithmetic: no I/O, no printing, no third-party imports. Every count is an
exact Python ``int``; only ratios are ``Fraction`` (exact) or ``float`` (display).

Counting conventions (the same everywhere in dsc-cost):

* ``params`` are learnable weights (and biases, when a layer has them).
* ``mults`` are multiply-accumulates: one per weight per output position, the
  "multiplications" of the worked examples and torchinfo's "mult-adds".
  A bias adds no mults. A batch size multiplies mults, never params.
* FLOPs, when asked for, are ``2 × mults``.
"""

from __future__ import annotations

from fractions import Fraction
from math import prod
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

# re-exported: their home is dsc_cost.errors
from .errors import DscCostError as DscCostError
from .errors import ShapeError as ShapeError

Pair = tuple[int, int]
"""A (height, width) pair: kernel, stride, dilation or integer padding."""

Size = tuple[int, ...]
"""One value per spatial dimension: (length) in 1-D, (height, width) in 2-D, (depth, height, width) in 3-D."""

PaddingMode = Literal["same", "valid"]
Padding = Pair | PaddingMode
"""Integer padding per side as (height, width), or TensorFlow's ``same``/``valid``."""
PaddingND = Size | PaddingMode
"""Integer padding per side, one per spatial dimension, or TensorFlow's ``same``/``valid``."""

AXES: dict[int, tuple[str, ...]] = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}
"""The names of the spatial axes of a 1-, 2- and 3-D map."""

Bias = bool | Literal["both"]
"""Bias of a separable block: ``False``, ``True`` (on the pointwise step only) or
``"both"`` (on the depthwise step as well)."""


class _Fields(NamedTuple):
    channels: int
    height: int
    width: int


class Shape(_Fields):
    """A feature map: channels × height × width (one sample; batch is separate), or, in 1-D and 3-D,
    channels × length and channels × depth × height × width.

    An immutable value (a named tuple: cheap to make, as a network makes one per layer) of the channels
    then the spatial sizes: ``Shape(c, h, w)`` makes a 2-D map, :meth:`of` a map of any dimensions.

    >>> Shape(3, 224, 224), str(Shape.of(40, (98,))), Shape.of(3, (16, 112, 112)).numel
    (Shape(channels=3, height=224, width=224), '40×98', 602112)
    """

    __slots__ = ()

    @classmethod
    def of(cls, channels: int, spatial: Size) -> Shape:
        """A map of ``channels`` and one size per spatial dimension (``(length,)``, ``(h, w)``, ``(d, h, w)``)."""
        return tuple.__new__(cls, (channels, *spatial))

    if not TYPE_CHECKING:  # the last two spatial sizes; a 1-D map of length L reads as 1 × L

        @property
        def height(self):
            return self[-2] if len(self) > 2 else 1

        @property
        def width(self):
            return self[-1]

    @property
    def spatial(self) -> Size:
        """The spatial sizes: (height, width), (length,) or (depth, height, width)."""
        return self[1:]

    @property
    def dims(self) -> int:
        """The number of spatial dimensions: 1, 2 or 3."""
        return len(self) - 1

    def __str__(self) -> str:
        if len(self) == 3:
            return f"{self[0]}×{self[1]}×{self[2]}"
        return "×".join(map(str, self))

    def __repr__(self) -> str:
        if len(self) == 3:
            return super().__repr__()
        return f"Shape.of({self[0]}, {self[1:]})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_shape_of, (self[0], self[1:]))

    def _replace(self, **changes: Any) -> Shape:
        if len(self) == 3:
            return super()._replace(**changes)
        spatial = list(self[1:])
        if "width" in changes:
            spatial[-1] = changes.pop("width")
        if "height" in changes and len(spatial) > 1:
            spatial[-2] = changes.pop("height")
        channels = changes.pop("channels", self[0])
        if changes:
            raise ValueError(f"Got unexpected field names: {list(changes)!r}")
        return Shape.of(channels, tuple(spatial))

    @property
    def numel(self) -> int:
        """C·H·W (C·L, C·D·H·W): the number of values in the feature map."""
        if len(self) == 3:
            return self[0] * self[1] * self[2]
        return prod(self)


def _shape_of(channels: int, spatial: Size) -> Shape:
    return Shape.of(channels, spatial)


class Cost(NamedTuple):
    """What a layer costs: learnable ``params`` and multiply-accumulates ``mults``.

    An immutable value (a named tuple, cheap to make); ``+`` adds costs element-wise.

    >>> Cost(27, 675) + Cost(384, 9600)
    Cost(params=411, mults=10275)
    """

    params: int
    mults: int

    def __add__(self, other: tuple[int, ...]) -> Cost:  # type: ignore[override]
        return Cost(self.params + other[0], self.mults + other[1])

    @property
    def flops(self) -> int:
        """FLOPs = 2 × mults (one multiply and one add per multiply-accumulate)."""
        return 2 * self.mults

    def batched(self, batch: int) -> Cost:
        """The cost of ``batch`` samples: mults × batch, params unchanged."""
        return Cost(self.params, self.mults * batch)


ZERO = Cost(0, 0)


def pair(value: int | Pair) -> Pair:
    """``3`` → ``(3, 3)``; a (height, width) pair is returned as is."""
    if isinstance(value, tuple):
        return value
    return (value, value)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def output_length(
    size: int,
    kernel: int,
    stride: int = 1,
    padding: int | PaddingMode = 0,
    dilation: int = 1,
) -> int:
    """Output length along one axis.

    * integer padding p:  ``floor((size + 2·p − dilation·(kernel − 1) − 1) / stride) + 1``
    * ``valid``: the same with p = 0
    * ``same``:  ``ceil(size / stride)`` (TensorFlow's rule, for any stride and dilation)

    The result may be below 1; :func:`output_hw` turns that into a :class:`ShapeError`.

    >>> output_length(7, 3)
    5
    >>> output_length(224, 3, stride=2, padding="same")
    112
    """
    if padding == "same":
        return _ceil_div(size, stride)
    pad = 0 if padding == "valid" else padding
    assert isinstance(pad, int)
    return (size + 2 * pad - dilation * (kernel - 1) - 1) // stride + 1


def output_hw(
    height: int,
    width: int,
    kernel: Size,
    stride: Size = (1, 1),
    padding: PaddingND = (0, 0),
    dilation: Size = (1, 1),
) -> Pair:
    """Output (height, width) of a sliding window: :func:`output_length` along each axis.

    :raises ShapeError: (field ``kernel``) when the window does not fit the input.
    """
    if padding == "same":
        return (-(-height // stride[0]), -(-width // stride[1]))
    ph, pw = (0, 0) if padding == "valid" else padding
    oh = (height + 2 * ph - dilation[0] * (kernel[0] - 1) - 1) // stride[0] + 1
    ow = (width + 2 * pw - dilation[1] * (kernel[1] - 1) - 1) // stride[1] + 1
    if oh < 1 or ow < 1:
        axis, size, k, d, p, length = (
            ("height", height, kernel[0], dilation[0], ph, oh)
            if oh < 1
            else ("width", width, kernel[1], dilation[1], pw, ow)
        )
        raise ShapeError(
            "kernel",
            f"kernel {k} (dilation {d}) does not fit the input {axis} {size} with padding {p}: "
            f"output {axis} would be {length}",
        )
    return (oh, ow)


def output_size(
    spatial: Size,
    kernel: Size,
    stride: Size,
    padding: PaddingND = "valid",
    dilation: Size | None = None,
) -> Size:
    """Output sizes of a sliding window on a map of any number of spatial dimensions:
    :func:`output_length` along each axis (:func:`output_hw` in 2-D).

    >>> output_size((98,), (3,), (1,), (1,))
    (98,)
    >>> output_size((16, 112, 112), (3, 3, 3), (1, 2, 2), "same")
    (16, 56, 56)

    :raises ShapeError: (field ``kernel``) when the window does not fit the input.
    """
    n = len(spatial)
    dilation = dilation or (1,) * n
    if n == 2:
        return output_hw(spatial[0], spatial[1], kernel, stride, padding, dilation)
    if padding == "same":
        return tuple(-(-size // s) for size, s in zip(spatial, stride, strict=True))
    pads = (0,) * n if padding == "valid" else padding
    sizes = tuple(
        (size + 2 * p - d * (k - 1) - 1) // s + 1
        for size, k, s, p, d in zip(spatial, kernel, stride, pads, dilation, strict=True)
    )
    axes = AXES.get(n, ("size",) * n)
    for axis, size, k, d, p, length in zip(axes, spatial, kernel, dilation, pads, sizes, strict=True):
        if length < 1:
            raise ShapeError(
                "kernel",
                f"kernel {k} (dilation {d}) does not fit the input {axis} {size} with padding {p}: "
                f"output {axis} would be {length}",
            )
    return sizes


def _area(sizes: Size) -> int:
    return sizes[0] * sizes[1] if len(sizes) == 2 else prod(sizes)


def conv2d_counts(
    in_channels: int,
    out_channels: int,
    kernel: Size,
    out_hw: Size,
    groups: int = 1,
    bias: bool = False,
) -> tuple[int, int]:
    """(params, mults) of a standard (optionally grouped) convolution, C in, O out, kernel Kh×Kw, g groups:

    * params = O·(C/g)·Kh·Kw  (+ O with bias)
    * mults  = Ho·Wo·O·(C/g)·Kh·Kw

    In 1-D and 3-D, ``kernel`` and ``out_hw`` have one size per spatial dimension, and Kh·Kw and Ho·Wo
    are their products.
    """
    area = kernel[0] * kernel[1] if len(kernel) == 2 else prod(kernel)
    weights = out_channels * (in_channels // groups) * area
    positions = out_hw[0] * out_hw[1] if len(out_hw) == 2 else prod(out_hw)
    return weights + (out_channels if bias else 0), positions * weights


def conv2d_cost(
    in_channels: int,
    out_channels: int,
    kernel: Pair,
    out_hw: Pair,
    groups: int = 1,
    bias: bool = False,
) -> Cost:
    """Standard (optionally grouped) convolution: :func:`conv2d_counts` as a :class:`Cost`.

    >>> conv2d_cost(3, 128, (3, 3), (5, 5))
    Cost(params=3456, mults=86400)
    """
    return Cost(*conv2d_counts(in_channels, out_channels, kernel, out_hw, groups, bias))


def depthwise_counts(
    channels: int, kernel: Size, out_hw: Size, multiplier: int = 1, bias: bool = False
) -> tuple[int, int]:
    """(params, mults) of a depthwise convolution: each of C channels gets M filters of Kh×Kw
    (in 1-D and 3-D, of the product of the kernel's sizes).

    * params = C·M·Kh·Kw  (+ C·M with bias)
    * mults  = Ho·Wo·C·M·Kh·Kw
    """
    filters = channels * multiplier
    weights = filters * (kernel[0] * kernel[1] if len(kernel) == 2 else prod(kernel))
    positions = out_hw[0] * out_hw[1] if len(out_hw) == 2 else prod(out_hw)
    return weights + (filters if bias else 0), positions * weights


def depthwise_cost(
    channels: int,
    kernel: Pair,
    out_hw: Pair,
    multiplier: int = 1,
    bias: bool = False,
) -> Cost:
    """Depthwise convolution: :func:`depthwise_counts` as a :class:`Cost`.

    >>> depthwise_cost(3, (3, 3), (5, 5))
    Cost(params=27, mults=675)
    """
    return Cost(*depthwise_counts(channels, kernel, out_hw, multiplier, bias))


def pointwise_counts(in_channels: int, out_channels: int, out_hw: Size, bias: bool = False) -> tuple[int, int]:
    """(params, mults) of a pointwise (1×1) convolution, C in, O out (Ho·Wo: the output positions, in
    any number of spatial dimensions):

    * params = C·O  (+ O with bias)
    * mults  = Ho·Wo·C·O
    """
    weights = in_channels * out_channels
    positions = out_hw[0] * out_hw[1] if len(out_hw) == 2 else prod(out_hw)
    return weights + (out_channels if bias else 0), positions * weights


def pointwise_cost(in_channels: int, out_channels: int, out_hw: Pair, bias: bool = False) -> Cost:
    """Pointwise (1×1) convolution: :func:`pointwise_counts` as a :class:`Cost`.

    >>> pointwise_cost(3, 128, (5, 5))
    Cost(params=384, mults=9600)
    """
    return Cost(*pointwise_counts(in_channels, out_channels, out_hw, bias))


def linear_counts(in_features: int, out_features: int, bias: bool = False) -> tuple[int, int]:
    """(params, mults) of a fully connected layer, N in, O out:

    * params = N·O  (+ O with bias)
    * mults  = N·O
    """
    weights = in_features * out_features
    return weights + (out_features if bias else 0), weights


def linear_cost(in_features: int, out_features: int, bias: bool = False) -> Cost:
    """Fully connected layer: :func:`linear_counts` as a :class:`Cost`.

    >>> linear_cost(1024, 1000, bias=True)
    Cost(params=1025000, mults=1024000)
    """
    return Cost(*linear_counts(in_features, out_features, bias))


class ConvForms(NamedTuple):
    """One convolution geometry on one input: the output (height, width) and the (params, mults)
    of the standard conv and of the two steps of its separable form."""

    output_hw: Size
    standard: tuple[int, int]
    depthwise: tuple[int, int]
    pointwise: tuple[int, int]


ConvGeometry = tuple[int, int, Size, Size, PaddingND, Size, int, int, Bias]
"""A convolution's geometry as the fields of :class:`Conv` lay it out: in_channels, out_channels,
kernel, stride, padding, dilation, groups, multiplier, bias."""


def conv_forms(height: int, width: int, conv: ConvGeometry) -> ConvForms:
    """The one model of a convolution's geometry, for the conv and separable layers of a network (and so for
    ``compare``, which costs those layers: :mod:`dsc_cost.comparison`): on a ``height`` × ``width`` input, the
    output size (:func:`output_hw`), the standard conv (:func:`conv2d_counts`, ``groups``), and its separable
    form: depthwise with ``multiplier`` M (:func:`depthwise_counts`, biased only for ``"both"``)
    then pointwise from C·M to O channels (:func:`pointwise_counts`, biased for ``True`` and ``"both"``).

    >>> conv_forms(7, 7, (3, 128, (3, 3), (1, 1), (0, 0), (1, 1), 1, 1, False))
    ConvForms(output_hw=(5, 5), standard=(3456, 86400), depthwise=(27, 675), pointwise=(384, 9600))

    :raises ShapeError: (field ``kernel``) when the window does not fit the input.
    """
    in_channels, out_channels, kernel, stride, padding, dilation, groups, multiplier, bias = conv
    hw = output_hw(height, width, kernel, stride, padding, dilation)
    positions, area = hw[0] * hw[1], kernel[0] * kernel[1]  # the three count functions' arithmetic, inline
    weights = out_channels * (in_channels // groups) * area
    filters = in_channels * multiplier
    depthwise, pointwise = filters * area, filters * out_channels
    biased = out_channels if bias else 0
    return tuple.__new__(
        ConvForms,
        (
            hw,
            (weights + biased, positions * weights),
            (depthwise + (filters if bias == "both" else 0), positions * depthwise),
            (pointwise + biased, positions * pointwise),
        ),
    )


def conv_forms_nd(spatial: Size, conv: ConvGeometry) -> ConvForms:
    """:func:`conv_forms` on an input of any number of spatial dimensions: ``spatial`` holds its sizes
    (``(length,)``, ``(height, width)`` or ``(depth, height, width)``), and the kernel, stride, integer
    padding and dilation of ``conv`` as many values each.

    >>> conv_forms_nd((98,), (40, 64, (3,), (1,), (1,), (1,), 1, 1, False))
    ConvForms(output_hw=(98,), standard=(7680, 752640), depthwise=(120, 11760), pointwise=(2560, 250880))

    :raises ShapeError: (field ``kernel``) when the window does not fit the input.
    """
    if len(spatial) == 2:
        return conv_forms(spatial[0], spatial[1], conv)
    in_channels, out_channels, kernel, stride, padding, dilation, groups, multiplier, bias = conv
    hw = output_size(spatial, kernel, stride, padding, dilation)
    biased = bool(bias)
    return ConvForms(
        hw,
        conv2d_counts(in_channels, out_channels, kernel, hw, groups, biased),
        depthwise_counts(in_channels, kernel, hw, multiplier, bias == "both"),
        pointwise_counts(in_channels * multiplier, out_channels, hw, biased),
    )


def reduction_factor(out_channels: int, kernel: Size, multiplier: int = 1, groups: int = 1) -> Fraction:
    """separable / standard for mults (and params without bias), exact:
    ``g·M·(1/O + 1/(Kh·Kw))``.

    >>> reduction_factor(64, (3, 3))
    Fraction(73, 576)
    """
    return groups * multiplier * (Fraction(1, out_channels) + Fraction(1, _area(kernel)))
