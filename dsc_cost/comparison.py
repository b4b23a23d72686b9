"""``compare``: one convolution costed as a standard conv and as its depthwise separable form, through the
same layers as a network's (:mod:`dsc_cost.layers`): the standard conv is a ``conv`` layer (with the
convolution's groups), the separable form a ``separable`` layer (its depth multiplier; its bias on the pointwise
step, or on both), each on the same input. Their bytes, times and what other tools report of them are worked out
by the same code as a network's layers' (:mod:`dsc_cost.analysis`).
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple

from .formulas import Bias, Cost, Padding, Pair, Shape, ShapeError

if TYPE_CHECKING:
    from .layers.base import Layer


def _check_positive(field: str, value: int, what: str = "a positive integer") -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ShapeError(field, f"expected {what}, found {value!r}")


class _ConvFields(NamedTuple):
    in_channels: int
    out_channels: int
    kernel: Pair
    stride: Pair = (1, 1)
    padding: Padding = (0, 0)
    dilation: Pair = (1, 1)
    groups: int = 1
    multiplier: int = 1
    bias: Bias = False


class Conv(_ConvFields):
    """One convolution's geometry, costed both as a standard conv and in separable form.

    ``groups`` applies to the standard conv; ``multiplier`` (M) to the depthwise step
    of the separable form. ``bias`` is ``False``, ``True`` (one bias per output channel:
    on the standard conv, and on the pointwise step of the separable form) or
    ``"both"`` (a bias on the depthwise step as well).

    :raises ShapeError: for a non-positive count, a negative padding, or groups that
        do not divide both channel counts.
    """

    __slots__ = ()

    if not TYPE_CHECKING:  # the constructor is the named tuple's (what type checkers see), checked

        def __new__(cls, *args, **kwargs):
            self = super().__new__(cls, *args, **kwargs)
            self._check()
            return self

    def _check(self) -> None:
        _check_positive("in_channels", self.in_channels)
        _check_positive("out_channels", self.out_channels)
        for name in ("kernel", "stride", "dilation"):
            for value in getattr(self, name):
                _check_positive(name, value)
        if not isinstance(self.padding, str):
            for value in self.padding:
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ShapeError("padding", f"expected a non-negative integer, 'same' or 'valid', found {value!r}")
        elif self.padding not in ("same", "valid"):
            raise ShapeError("padding", f"expected a non-negative integer, 'same' or 'valid', found {self.padding!r}")
        _check_positive("groups", self.groups)
        _check_positive("multiplier", self.multiplier)
        if self.in_channels % self.groups or self.out_channels % self.groups:
            raise ShapeError(
                "groups",
                f"groups {self.groups} must divide both in_channels {self.in_channels} "
                f"and out_channels {self.out_channels}",
            )
        if self.bias not in (False, True, "both"):
            raise ShapeError("bias", f"expected true, false or 'both', found {self.bias!r}")


class Comparison(NamedTuple):
    """A standard conv and its depthwise separable form on one input, side by side.

    Counts are for ``batch`` samples (mults × batch; params do not depend on batch).
    """

    conv: Conv
    input: Shape
    output: Shape
    batch: int
    standard: Cost
    depthwise: Cost
    pointwise: Cost

    @property
    def layers(self) -> tuple[Layer, Layer]:
        """The standard conv and its separable form as the layers of a network (:func:`conv_layers`)."""
        return conv_layers(self.conv)

    @property
    def separable(self) -> Cost:
        """depthwise + pointwise."""
        return self.depthwise + self.pointwise

    @property
    def params_ratio(self) -> Fraction:
        """separable params / standard params, exact."""
        return Fraction(self.separable.params, self.standard.params)

    @property
    def mults_ratio(self) -> Fraction:
        """separable mults / standard mults, exact.

        Without bias and groups: M·(Kh·Kw + O) / (Kh·Kw·O) = M·(1/O + 1/(Kh·Kw)).
        """
        return Fraction(self.separable.mults, self.standard.mults)


def conv_layers(conv: Conv) -> tuple[Layer, Layer]:
    """``conv`` as the layers of a network: the standard conv (a ``conv`` layer, with its groups and a bias when
    it has one) and its separable form (a ``separable`` layer: depth multiplier M, bias as ``conv.bias``).

    >>> conv_layers(Conv(3, 128, (3, 3), groups=1, multiplier=2))  # doctest: +NORMALIZE_WHITESPACE
    (ConvLayer(out=128, kernel=(3, 3), stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1, bias=False,
               batchnorm=False),
     SeparableLayer(out=128, kernel=(3, 3), stride=(1, 1), padding=(0, 0), dilation=(1, 1), multiplier=2,
                    bias=False, batchnorm=False))
    """
    from .layers.conv import ConvLayer
    from .layers.separable import SeparableLayer

    _, out, kernel, stride, padding, dilation, groups, multiplier, bias = conv
    standard = ConvLayer(out, kernel, stride, padding, dilation, groups, bool(bias))
    return standard, SeparableLayer(out, kernel, stride, padding, dilation, multiplier, bias)


def compare(conv: Conv, height: int, width: int, batch: int = 1) -> Comparison:
    """Cost ``conv`` on a ``height`` × ``width`` input as a standard and as a separable conv, through the layers
    of a network (:func:`conv_layers`).

    >>> c = compare(Conv(3, 128, (3, 3)), 7, 7)
    >>> c.standard.mults, c.depthwise.mults, c.pointwise.mults, c.separable.mults
    (86400, 675, 9600, 10275)

    :raises ShapeError: when a size is not positive or the kernel does not fit.
    """
    _check_positive("batch", batch)
    _check_positive("height", height)
    _check_positive("width", width)
    x = Shape(conv.in_channels, height, width)
    standard_layer, separable_layer = conv_layers(conv)
    standard = standard_layer.evaluate((x,))
    (_, dw_params, dw_mults), (_, pw_params, pw_mults) = separable_layer.evaluate((x,)).parts
    return Comparison(
        conv=conv,
        input=x,
        output=standard.output,
        batch=batch,
        standard=Cost(standard.params, standard.mults * batch),
        depthwise=Cost(dw_params, dw_mults * batch),
        pointwise=Cost(pw_params, pw_mults * batch),
    )
