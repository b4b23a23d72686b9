"""Networks: layers as values, shapes propagated through them, every layer costed three ways.

Pure arithmetic on top of :mod:`dsc_cost.formulas`: no I/O, no YAML. A network is a
sequence of named nodes; each node holds one layer value and reads the previous node's
output, or the outputs it names. Costing a network gives, per layer and in total:

* its own cost;
* **as standard**: every separable layer costed as the full conv with the same
  in/out/kernel/stride/padding/dilation/bias;
* **as separable**: every standard conv with a kernel larger than 1×1 and one group
  costed as depthwise + pointwise with the same geometry, its bias on the pointwise step.

Every other layer keeps its own cost in both what-ifs. Pool, add and concat cost nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .formulas import (
    ZERO,
    Bias,
    Cost,
    Padding,
    Pair,
    Shape,
    ShapeError,
    conv2d_cost,
    depthwise_cost,
    linear_cost,
    output_hw,
    pointwise_cost,
)

Kind = Literal["conv", "depthwise", "pointwise", "linear", "other"]
"""Buckets of the by-kind breakdown: full conv, depthwise, pointwise 1×1, linear, other."""

KINDS: tuple[Kind, ...] = ("conv", "depthwise", "pointwise", "linear", "other")
KIND_TITLES: dict[Kind, str] = {
    "conv": "full conv",
    "depthwise": "depthwise",
    "pointwise": "pointwise 1×1",
    "linear": "linear",
    "other": "other",
}


@dataclass(frozen=True)
class Evaluation:
    """One layer on its input(s): output shape, own cost, the two what-ifs, and the
    own cost split by kind (a separable layer is part depthwise, part pointwise)."""

    output: Shape
    cost: Cost
    standard: Cost
    separable: Cost
    parts: tuple[tuple[Kind, Cost], ...]


def _same(output: Shape, cost: Cost, kind: Kind) -> Evaluation:
    return Evaluation(output, cost, cost, cost, ((kind, cost),))


@dataclass(frozen=True)
class ConvLayer:
    """A standard (optionally grouped) convolution: :func:`~dsc_cost.formulas.conv2d_cost`."""

    out: int
    kernel: Pair
    stride: Pair = (1, 1)
    padding: Padding = (0, 0)
    dilation: Pair = (1, 1)
    groups: int = 1
    bias: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        if x.channels % self.groups or self.out % self.groups:
            raise ShapeError(
                "groups", f"groups {self.groups} must divide both in channels {x.channels} and out {self.out}"
            )
        hw = output_hw(x.height, x.width, self.kernel, self.stride, self.padding, self.dilation)
        output = Shape(self.out, *hw)
        cost = conv2d_cost(x.channels, self.out, self.kernel, hw, self.groups, self.bias)
        if self.kernel == (1, 1):
            kind: Kind = "pointwise"
        elif self.groups == x.channels == self.out:
            kind = "depthwise"
        else:
            kind = "conv"
        if self.groups == 1 and self.kernel != (1, 1):
            separable = depthwise_cost(x.channels, self.kernel, hw) + pointwise_cost(
                x.channels, self.out, hw, self.bias
            )
        else:
            separable = cost
        return Evaluation(output, cost, cost, separable, ((kind, cost),))


@dataclass(frozen=True)
class SeparableLayer:
    """Depthwise K×K (depth multiplier M) then pointwise 1×1 to ``out``; the bias sits on the
    pointwise step (``bias="both"``: on the depthwise step too)."""

    out: int
    kernel: Pair
    stride: Pair = (1, 1)
    padding: Padding = (0, 0)
    dilation: Pair = (1, 1)
    multiplier: int = 1
    bias: Bias = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        hw = output_hw(x.height, x.width, self.kernel, self.stride, self.padding, self.dilation)
        mid = x.channels * self.multiplier
        depthwise = depthwise_cost(x.channels, self.kernel, hw, self.multiplier, self.bias == "both")
        pointwise = pointwise_cost(mid, self.out, hw, bool(self.bias))
        cost = depthwise + pointwise
        standard = conv2d_cost(x.channels, self.out, self.kernel, hw, 1, bool(self.bias))
        return Evaluation(
            Shape(self.out, *hw), cost, standard, cost, (("depthwise", depthwise), ("pointwise", pointwise))
        )


@dataclass(frozen=True)
class DepthwiseLayer:
    """A depthwise convolution alone: out channels = in × multiplier."""

    kernel: Pair
    stride: Pair = (1, 1)
    padding: Padding = (0, 0)
    dilation: Pair = (1, 1)
    multiplier: int = 1
    bias: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        hw = output_hw(x.height, x.width, self.kernel, self.stride, self.padding, self.dilation)
        cost = depthwise_cost(x.channels, self.kernel, hw, self.multiplier, self.bias)
        return _same(Shape(x.channels * self.multiplier, *hw), cost, "depthwise")


@dataclass(frozen=True)
class PointwiseLayer:
    """A 1×1 convolution to ``out`` channels (stride allowed, no padding)."""

    out: int
    stride: Pair = (1, 1)
    bias: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        hw = output_hw(x.height, x.width, (1, 1), self.stride)
        return _same(Shape(self.out, *hw), pointwise_cost(x.channels, self.out, hw, self.bias), "pointwise")


@dataclass(frozen=True)
class LinearLayer:
    """A fully connected layer on the flattened input (C·H·W features); output out×1×1."""

    out: int
    bias: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        return _same(Shape(self.out, 1, 1), linear_cost(x.numel, self.out, self.bias), "linear")


@dataclass(frozen=True)
class PoolLayer:
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
            return _same(Shape(x.channels, 1, 1), ZERO, "other")
        if not isinstance(self.padding, str):
            for pad, k in zip(self.padding, self.kernel, strict=True):
                if 2 * pad > k:  # PyTorch's rule too
                    raise ShapeError("padding", f"expected at most half the kernel {k}, found {pad}")
        hw = output_hw(x.height, x.width, self.kernel, self.stride or self.kernel, self.padding)
        return _same(Shape(x.channels, *hw), ZERO, "other")


@dataclass(frozen=True)
class AddLayer:
    """Element-wise sum of two or more outputs of equal shape. Costs nothing."""

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        first = inputs[0]
        for other in inputs[1:]:
            if other != first:
                raise ShapeError("inputs", f"add needs equal shapes, found {first} and {other}")
        return _same(first, ZERO, "other")


@dataclass(frozen=True)
class ConcatLayer:
    """Channel concatenation of two or more outputs of equal height and width. Costs nothing."""

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        first = inputs[0]
        for other in inputs[1:]:
            if (other.height, other.width) != (first.height, first.width):
                raise ShapeError("inputs", f"concat needs equal height and width, found {first} and {other}")
        return _same(Shape(sum(x.channels for x in inputs), first.height, first.width), ZERO, "other")


Layer = ConvLayer | SeparableLayer | DepthwiseLayer | PointwiseLayer | LinearLayer | PoolLayer | AddLayer | ConcatLayer


@dataclass(frozen=True)
class Node:
    """A named layer in a network. ``inputs`` names the outputs it reads (a layer name or
    ``input``); empty means the previous layer's output. ``type`` is the spec's type word."""

    name: str
    type: str
    layer: Layer
    inputs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Network:
    """A network: a name, an input shape (one sample) and its nodes in order."""

    name: str
    input: Shape
    nodes: tuple[Node, ...]


class LayerError(ShapeError):
    """A layer whose input does not fit it: ``index`` and ``name`` say which, ``field`` why."""

    def __init__(self, index: int, name: str, field: str, message: str) -> None:
        super().__init__(field, message)
        self.index = index
        self.name = name

    def __str__(self) -> str:
        return f"layers[{self.index}] ({self.name}): {self.field}: {self.message}"


@dataclass(frozen=True)
class LayerCost:
    """One costed layer. Counts are for the batch the network was costed with."""

    name: str
    type: str
    input: Shape
    output: Shape
    cost: Cost
    standard: Cost
    separable: Cost
    parts: tuple[tuple[Kind, Cost], ...]


@dataclass(frozen=True)
class NetworkCost:
    """A costed network: every layer, the totals, the two what-if totals and the by-kind split."""

    network: Network
    batch: int
    layers: tuple[LayerCost, ...]
    total: Cost
    standard: Cost
    separable: Cost
    by_kind: dict[Kind, Cost]

    @property
    def output(self) -> Shape:
        return self.layers[-1].output if self.layers else self.network.input


def evaluate(network: Network) -> list[tuple[Node, Shape, Evaluation]]:
    """Propagate shapes through ``network``: each node with its (first) input shape and evaluation.

    :raises LayerError: at the first layer whose input does not fit it.
    """
    outputs: dict[str, Shape] = {"input": network.input}
    previous = network.input
    evaluated = []
    for index, node in enumerate(network.nodes):
        inputs = tuple(outputs[name] for name in node.inputs) if node.inputs else (previous,)
        try:
            result = node.layer.evaluate(inputs)
        except ShapeError as error:
            raise LayerError(index, node.name, error.field, error.message) from None
        outputs[node.name] = previous = result.output
        evaluated.append((node, inputs[0], result))
    return evaluated


def cost_network(network: Network, batch: int = 1) -> NetworkCost:
    """Cost every layer of ``network`` for ``batch`` samples (mults × batch, params unchanged).

    >>> net = Network("tiny", Shape(3, 7, 7), (Node("c", "conv", ConvLayer(128, (3, 3))),))
    >>> result = cost_network(net)
    >>> result.total, result.separable
    (Cost(params=3456, mults=86400), Cost(params=411, mults=10275))

    :raises LayerError: at the first layer whose input does not fit it.
    """
    layers = []
    total = standard = separable = ZERO
    by_kind: dict[Kind, Cost] = dict.fromkeys(KINDS, ZERO)
    for node, shape, result in evaluate(network):
        cost, as_standard, as_separable = (
            result.cost.batched(batch),
            result.standard.batched(batch),
            result.separable.batched(batch),
        )
        parts = tuple((kind, part.batched(batch)) for kind, part in result.parts)
        layers.append(LayerCost(node.name, node.type, shape, result.output, cost, as_standard, as_separable, parts))
        total += cost
        standard += as_standard
        separable += as_separable
        for kind, part in parts:
            by_kind[kind] += part
    return NetworkCost(network, batch, tuple(layers), total, standard, separable, by_kind)
