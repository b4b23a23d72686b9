"""Variants of a network: width multipliers and input resolutions, costed fast for search loops.

Pure arithmetic on :mod:`dsc_cost.network` values: no I/O.

* **Width** scales every layer's channel count (``out``) except the input's and the
  final linear layer's output (the class count): ``int(c × width)`` by default, the
  MobileNet V1 rule, or with a ``divisor`` the MobileNet V2 rule: ``c × width`` rounded
  to the nearest multiple of the divisor, never below the divisor and never more than
  10% below ``c × width``.
* **Resolution** replaces the input's height and width.

Widths are exact fractions (``Fraction("0.75")``), so ``int(c × width)`` never suffers a
binary rounding error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple

from .formulas import Cost, Shape, ShapeError
from .layers.base import channel_fields
from .network import LayerError, LinearLayer, Network, network_totals

if TYPE_CHECKING:
    from .memory import NetworkMemory, Settings


def scale_channels(channels: int, width: Fraction, divisor: int | None = None) -> int:
    """A channel count under a width multiplier.

    * no divisor: ``int(c × width)`` (MobileNet V1), at least 1
    * divisor d: ``max(d, floor(c × width / d + 1/2) × d)``, plus d when that is more
      than 10% below ``c × width`` (MobileNet V2's ``_make_divisible``)

    >>> scale_channels(32, Fraction("0.75")), scale_channels(32, Fraction("0.35"), 8)
    (24, 16)
    >>> scale_channels(1280, Fraction("0.5"), 8), scale_channels(24, Fraction("0.35"), 8)
    (640, 8)
    """
    exact = channels * width
    if divisor is None:
        return max(1, int(exact))
    rounded = max(divisor, int(exact / divisor + Fraction(1, 2)) * divisor)
    if rounded < Fraction(9, 10) * exact:
        rounded += divisor
    return rounded


def with_width(network: Network, width: Fraction, divisor: int | None = None) -> Network:
    """``network`` with every channel count scaled by ``width`` (:func:`scale_channels`), except
    the input's and the output of the final linear layer."""
    if width <= 0:
        raise ShapeError("width", f"expected a positive multiplier, found {width}")
    last_linear = max((i for i, node in enumerate(network.nodes) if isinstance(node.layer, LinearLayer)), default=-1)
    nodes = []
    for index, node in enumerate(network.nodes):
        fields = channel_fields(node.layer)  # the counts of channels it declares
        if not fields or index == last_linear or width == 1:
            nodes.append(node)
        else:
            scaled = {name: scale_channels(getattr(node.layer, name), width, divisor) for name in fields}
            nodes.append(node._replace(layer=node.layer._replace(**scaled)))  # type: ignore[attr-defined]
    return network._replace(nodes=tuple(nodes))


def with_resolution(network: Network, height: int, width: int | None = None) -> Network:
    """``network`` on a ``height`` × ``width`` input (square when ``width`` is not given); a 1-D input
    takes ``height`` as its length, a 3-D input keeps its depth."""
    x = network.input
    w = height if width is None else width
    if len(x) == 3:
        return network._replace(input=Shape(x.channels, height, w))
    spatial = (height,) if len(x) == 2 else (*x[1:-2], height, w)
    return network._replace(input=Shape.of(x.channels, spatial))


def variant(
    network: Network,
    width: Fraction | None = None,
    resolution: int | None = None,
    divisor: int | None = None,
    scale: Callable[[Fraction], Network] | None = None,
) -> Network:
    """``network`` at one width (:func:`with_width`, or ``scale``) and one resolution (:func:`with_resolution`),
    as :func:`sweep` makes each of its variants; ``None`` leaves that one as it is.

    >>> from dsc_cost.network import Node, PointwiseLayer
    >>> net = Network("n", Shape(3, 8, 8), (Node("p", "pointwise", PointwiseLayer(64)),))
    >>> small = variant(net, Fraction(1, 2), 4)
    >>> small.input, small.nodes[0].layer.out
    (Shape(channels=3, height=4, width=4), 32)
    """
    if width is not None:
        network = scale(width) if scale is not None else with_width(network, width, divisor)
    return network if resolution is None else with_resolution(network, resolution)


class Variant(NamedTuple):
    """One width × resolution variant of a network, costed."""

    network: str
    width: Fraction
    resolution: int
    total: Cost
    standard: Cost
    memory: NetworkMemory | None = None
    """Its bytes (and, with a device, its time), when asked for."""

    @property
    def savings_vs_standard(self) -> Fraction:
        """The fraction of mults this variant saves against its all-standard form: 1 − mults / standard
        (:func:`~dsc_cost.savings.savings_vs_standard`)."""
        from .savings import fraction_saved

        return fraction_saved(self.total.mults, self.standard.mults)


def sweep(
    network: Network,
    widths: Iterable[Fraction],
    resolutions: Sequence[int],
    divisor: int | None = None,
    batch: int = 1,
    scale: Callable[[Fraction], Network] | None = None,
    settings: Settings | None = None,
) -> list[Variant]:
    """Every width × resolution variant of ``network``, costed with :func:`~dsc_cost.network.network_totals`.

    >>> from dsc_cost.network import Node, SeparableLayer
    >>> net = Network("n", Shape(3, 8, 8), (Node("s", "separable", SeparableLayer(64, (3, 3), padding="same")),))
    >>> [(str(v.width), v.total.mults) for v in sweep(net, [Fraction(1), Fraction(1, 2)], [8])]
    [('1', 14016), ('1/2', 7872)]

    (64 positions: depthwise 3·9·64 = 1,728; pointwise 3·64·64 = 12,288, at width ½ 3·32·64 = 6,144.)

    ``scale`` makes the network of each width instead of :func:`with_width` (a spec's
    :func:`~dsc_cost.spec.scaled_network`, which knows what each channel count is derived from).

    With ``settings``, each variant is costed layer by layer and has its
    :func:`~dsc_cost.memory.network_memory` (slower).

    :raises ShapeError: (field ``resolution``) naming the variant and the layer whose shapes do not fit.
    """
    variants = []
    for width in widths:
        scaled = variant(network, width, None, divisor, scale)
        for resolution in resolutions:
            one = variant(scaled, None, resolution)
            try:
                if settings is None:
                    totals = network_totals(one, batch)
                    variants.append(Variant(network.name, width, resolution, totals.total, totals.standard))
                    continue
                from .memory import network_memory
                from .network import cost_network

                result = cost_network(one, batch)
            except LayerError as error:
                raise ShapeError("resolution", f"width {width}, resolution {resolution}: {error}") from None
            memory = network_memory(result, settings.weight_dtype, settings.activation_dtype, settings.device)
            variants.append(Variant(network.name, width, resolution, result.total, result.standard, memory))
    return variants
