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

from typing import Any, Literal, NamedTuple

from .formulas import (
    Bias,
    Cost,
    Padding,
    Pair,
    Shape,
    ShapeError,
    conv2d_counts,
    depthwise_counts,
    linear_counts,
    output_hw,
    pointwise_counts,
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


_new = tuple.__new__  # makes a named tuple from its fields twice as fast as calling the class


class Evaluation(NamedTuple):
    """One layer on its input(s): output shape, own (params, mults), the two what-ifs, and the
    own cost split by kind (a separable layer is part depthwise, part pointwise).

    Plain integers, not :class:`Cost` values: a network evaluates thousands of these."""

    output: Shape
    params: int
    mults: int
    standard_params: int
    standard_mults: int
    separable_params: int
    separable_mults: int
    parts: tuple[tuple[Kind, int, int], ...]
    bn_params: int = 0
    """Learnable batch-norm params (γ, β) included in ``params``; as many running statistics
    (mean, variance) are kept beside them, non-trainable."""

    @property
    def cost(self) -> Cost:
        return Cost(self.params, self.mults)

    @property
    def standard(self) -> Cost:
        return Cost(self.standard_params, self.standard_mults)

    @property
    def separable(self) -> Cost:
        return Cost(self.separable_params, self.separable_mults)


def _same(output: Shape, counts: tuple[int, int], kind: Kind, bn_params: int = 0) -> Evaluation:
    """A layer that costs the same in both what-ifs; ``bn_params`` of batch-norm on top."""
    params, mults = counts
    if not bn_params:
        return _new(Evaluation, (output, params, mults, params, mults, params, mults, ((kind, params, mults),), 0))
    total = params + bn_params
    parts: tuple[tuple[Kind, int, int], ...] = ((kind, params, mults), ("other", bn_params, 0))
    return _new(Evaluation, (output, total, mults, total, mults, total, mults, parts, bn_params))


def _same_layer(self: tuple[Any, ...], other: object) -> bool:
    return type(self) is type(other) and tuple.__eq__(self, other)


def _other_layer(self: tuple[Any, ...], other: object) -> bool:
    return not _same_layer(self, other)


def _layer_hash(self: tuple[Any, ...]) -> int:
    return hash((type(self).__name__, *self))


class Elements(NamedTuple):
    """What other counters count beyond one multiply-accumulate per weight, for one sample:
    the inputs of :mod:`dsc_cost.conventions`. dsc-cost itself counts none of these."""

    biased_outputs: int = 0  # output elements of biased convolutions and linear layers
    bn_elements: int = 0  # elements normalized by batch-norm
    bn_channels: int = 0  # channels normalized by batch-norm
    max_pool_inputs: int = 0  # input elements of max pooling (global too)
    avg_pool_inputs: int = 0  # input elements of (windowed) average pooling
    avg_pool_outputs: int = 0
    global_avg_inputs: int = 0  # input elements of global average pooling
    global_avg_outputs: int = 0


def _normalized(output: Shape, biased: bool, batchnorm: bool) -> Elements:
    """Elements of a layer whose bias and batch-norm act on ``output``."""
    elements = output.channels * output.height * output.width
    return Elements(elements if biased else 0, elements if batchnorm else 0, output.channels if batchnorm else 0)


_FREE: tuple[int, int] = (0, 0)


class ConvLayer(NamedTuple):
    """A standard (optionally grouped) convolution: :func:`~dsc_cost.formulas.conv2d_counts`.

    As separable (groups 1, kernel larger than 1×1): depthwise with the same geometry, then
    pointwise carrying the bias."""

    out: int
    kernel: Pair
    stride: Pair = (1, 1)
    padding: Padding = (0, 0)
    dilation: Pair = (1, 1)
    groups: int = 1
    bias: bool = False
    batchnorm: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        if x.channels % self.groups or self.out % self.groups:
            raise ShapeError(
                "groups", f"groups {self.groups} must divide both in channels {x.channels} and out {self.out}"
            )
        hw = output_hw(x.height, x.width, self.kernel, self.stride, self.padding, self.dilation)
        params, mults = conv2d_counts(x.channels, self.out, self.kernel, hw, self.groups, self.bias)
        if self.kernel == (1, 1):
            kind: Kind = "pointwise"
        elif self.groups == x.channels == self.out:
            kind = "depthwise"
        else:
            kind = "conv"
        bn = 2 * self.out if self.batchnorm else 0
        sep_params, sep_mults = params + bn, mults
        if self.groups == 1 and self.kernel != (1, 1):
            dw_params, dw_mults = depthwise_counts(x.channels, self.kernel, hw)
            pw_params, pw_mults = pointwise_counts(x.channels, self.out, hw, self.bias)
            dw_bn = 2 * x.channels if self.batchnorm else 0
            sep_params, sep_mults = dw_params + pw_params + dw_bn + bn, dw_mults + pw_mults
        output = _new(Shape, (self.out, hw[0], hw[1]))
        parts: tuple[tuple[Kind, int, int], ...] = ((kind, params, mults),) + ((("other", bn, 0),) if bn else ())
        return _new(Evaluation, (output, params + bn, mults, params + bn, mults, sep_params, sep_mults, parts, bn))

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return _normalized(output, self.bias, self.batchnorm)


class SeparableLayer(NamedTuple):
    """Depthwise K×K (depth multiplier M) then pointwise 1×1 to ``out``; the bias sits on the
    pointwise step (``bias="both"``: on the depthwise step too).

    As standard: the full conv with the same in/out/kernel/stride/padding/dilation/bias."""

    out: int
    kernel: Pair
    stride: Pair = (1, 1)
    padding: Padding = (0, 0)
    dilation: Pair = (1, 1)
    multiplier: int = 1
    bias: Bias = False
    batchnorm: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        channels, height, width = inputs[0]
        out, kernel, stride, padding, dilation, multiplier, bias, batchnorm = self
        hw = output_hw(height, width, kernel, stride, padding, dilation)
        dw_params, dw_mults = depthwise_counts(channels, kernel, hw, multiplier, bias == "both")
        pw_params, pw_mults = pointwise_counts(channels * multiplier, out, hw, bool(bias))
        std_params, std_mults = conv2d_counts(channels, out, kernel, hw, 1, bool(bias))
        parts: tuple[tuple[Kind, int, int], ...]
        if batchnorm:  # after each step; the full conv normalizes once
            bn = 2 * (channels * multiplier + out)
            std_params += 2 * out
            parts = (("depthwise", dw_params, dw_mults), ("pointwise", pw_params, pw_mults), ("other", bn, 0))
        else:
            bn = 0
            parts = (("depthwise", dw_params, dw_mults), ("pointwise", pw_params, pw_mults))
        params, mults = dw_params + pw_params + bn, dw_mults + pw_mults
        output = _new(Shape, (out, hw[0], hw[1]))
        return _new(Evaluation, (output, params, mults, std_params, std_mults, params, mults, parts, bn))

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        middle = Shape(inputs[0].channels * self.multiplier, output.height, output.width)
        depthwise = _normalized(middle, self.bias == "both", self.batchnorm)
        pointwise = _normalized(output, bool(self.bias), self.batchnorm)
        return Elements(*(a + b for a, b in zip(depthwise, pointwise, strict=True)))


class DepthwiseLayer(NamedTuple):
    """A depthwise convolution alone (:func:`~dsc_cost.formulas.depthwise_counts`):
    out channels = in × multiplier."""

    kernel: Pair
    stride: Pair = (1, 1)
    padding: Padding = (0, 0)
    dilation: Pair = (1, 1)
    multiplier: int = 1
    bias: bool = False
    batchnorm: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        hw = output_hw(x.height, x.width, self.kernel, self.stride, self.padding, self.dilation)
        counts = depthwise_counts(x.channels, self.kernel, hw, self.multiplier, self.bias)
        out = x.channels * self.multiplier
        return _same(_new(Shape, (out, hw[0], hw[1])), counts, "depthwise", 2 * out if self.batchnorm else 0)

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return _normalized(output, self.bias, self.batchnorm)


class PointwiseLayer(NamedTuple):
    """A 1×1 convolution to ``out`` channels (:func:`~dsc_cost.formulas.pointwise_counts`);
    stride allowed, no padding."""

    out: int
    stride: Pair = (1, 1)
    bias: bool = False
    batchnorm: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        hw = output_hw(x.height, x.width, (1, 1), self.stride)
        counts = pointwise_counts(x.channels, self.out, hw, self.bias)
        return _same(_new(Shape, (self.out, hw[0], hw[1])), counts, "pointwise", 2 * self.out if self.batchnorm else 0)

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return _normalized(output, self.bias, self.batchnorm)


class LinearLayer(NamedTuple):
    """A fully connected layer on the flattened input, C·H·W features
    (:func:`~dsc_cost.formulas.linear_counts`); output out×1×1."""

    out: int
    bias: bool = False
    batchnorm: bool = False

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        (x,) = inputs
        counts = linear_counts(x.numel, self.out, self.bias)
        return _same(_new(Shape, (self.out, 1, 1)), counts, "linear", 2 * self.out if self.batchnorm else 0)

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return _normalized(output, self.bias, self.batchnorm)


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
            return _same(_new(Shape, (x.channels, 1, 1)), _FREE, "other")
        if not isinstance(self.padding, str):
            for pad, k in zip(self.padding, self.kernel, strict=True):
                if 2 * pad > k:  # PyTorch's rule too
                    raise ShapeError("padding", f"expected at most half the kernel {k}, found {pad}")
        hw = output_hw(x.height, x.width, self.kernel, self.stride or self.kernel, self.padding)
        return _same(_new(Shape, (x.channels, hw[0], hw[1])), _FREE, "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        x = inputs[0]
        if self.mode == "max":
            return Elements(max_pool_inputs=x.numel)
        if self.global_:
            return Elements(global_avg_inputs=x.numel, global_avg_outputs=output.numel)
        return Elements(avg_pool_inputs=x.numel, avg_pool_outputs=output.numel)


class AddLayer(NamedTuple):
    """Element-wise sum of two or more outputs of equal shape. Costs nothing."""

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        first = inputs[0]
        for other in inputs[1:]:
            if other != first:
                raise ShapeError("inputs", f"add needs equal shapes, found {first} and {other}")
        return _same(first, _FREE, "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return Elements()  # written as `x + y`, which no counter sees


class ConcatLayer(NamedTuple):
    """Channel concatenation of two or more outputs of equal height and width. Costs nothing."""

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        first = inputs[0]
        for other in inputs[1:]:
            if (other.height, other.width) != (first.height, first.width):
                raise ShapeError("inputs", f"concat needs equal height and width, found {first} and {other}")
        return _same(_new(Shape, (sum(x.channels for x in inputs), first.height, first.width)), _FREE, "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return Elements()


for _layer_type in (
    ConvLayer, SeparableLayer, DepthwiseLayer, PointwiseLayer, LinearLayer, PoolLayer, AddLayer, ConcatLayer
):  # fmt: skip
    # Layers are named tuples (cheap to define and to make), but a layer equals only a layer of its
    # own type: a conv and a separable layer with the same numbers are different layers.
    setattr(_layer_type, "__eq__", _same_layer)  # noqa: B010
    setattr(_layer_type, "__ne__", _other_layer)  # noqa: B010
    setattr(_layer_type, "__hash__", _layer_hash)  # noqa: B010

Layer = ConvLayer | SeparableLayer | DepthwiseLayer | PointwiseLayer | LinearLayer | PoolLayer | AddLayer | ConcatLayer


class Node(NamedTuple):
    """A named layer in a network. ``inputs`` names the outputs it reads (a layer name or
    ``input``); empty means the previous layer's output. ``type`` is the spec's type word."""

    name: str
    type: str
    layer: Layer
    inputs: tuple[str, ...] = ()


class Network(NamedTuple):
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


class LayerCost(NamedTuple):
    """One costed layer. Counts are for the batch the network was costed with."""

    name: str
    type: str
    input: Shape
    output: Shape
    cost: Cost
    standard: Cost
    separable: Cost
    parts: tuple[tuple[Kind, Cost], ...]
    bn_params: int = 0
    """Learnable batch-norm params included in ``cost.params``; as many running statistics
    are kept beside them (non-trainable)."""


class NetworkCost(NamedTuple):
    """A costed network: every layer, the totals, the two what-if totals and the by-kind split."""

    network: Network
    batch: int
    layers: tuple[LayerCost, ...]
    total: Cost
    standard: Cost
    separable: Cost
    by_kind: dict[Kind, Cost]
    bn_params: int = 0
    """Learnable batch-norm params included in ``total.params``; as many running statistics
    are kept beside them (non-trainable)."""

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
    params = mults = std_params = std_mults = sep_params = sep_mults = bn_params = 0
    kind_params: dict[Kind, int] = dict.fromkeys(KINDS, 0)
    kind_mults: dict[Kind, int] = dict.fromkeys(KINDS, 0)
    for node, shape, (output, p, m, standard_p, standard_m, separable_p, separable_m, own_parts, bn) in evaluate(
        network
    ):
        m, standard_m, separable_m = m * batch, standard_m * batch, separable_m * batch
        parts = []
        for kind, part_p, part_m in own_parts:
            part_m *= batch
            parts.append((kind, _new(Cost, (part_p, part_m))))
            kind_params[kind] += part_p
            kind_mults[kind] += part_m
        cost, standard, separable = (
            _new(Cost, (p, m)),
            _new(Cost, (standard_p, standard_m)),
            _new(Cost, (separable_p, separable_m)),
        )
        layers.append(
            _new(LayerCost, (node.name, node.type, shape, output, cost, standard, separable, tuple(parts), bn))
        )
        params += p
        mults += m
        std_params += standard_p
        std_mults += standard_m
        sep_params += separable_p
        sep_mults += separable_m
        bn_params += bn
    by_kind = {kind: Cost(kind_params[kind], kind_mults[kind]) for kind in KINDS}
    totals = Cost(params, mults), Cost(std_params, std_mults), Cost(sep_params, sep_mults)
    return NetworkCost(network, batch, tuple(layers), *totals, by_kind, bn_params)


class Totals(NamedTuple):
    """A network's totals alone: own cost, as standard, as separable, and its output shape."""

    total: Cost
    standard: Cost
    separable: Cost
    output: Shape


def network_totals(network: Network, batch: int = 1) -> Totals:
    """The totals of :func:`cost_network` without the per-layer rows: the fast path for search
    loops that only need the sums.

    >>> net = Network("tiny", Shape(3, 7, 7), (Node("c", "conv", ConvLayer(128, (3, 3))),))
    >>> network_totals(net).separable
    Cost(params=411, mults=10275)

    :raises LayerError: at the first layer whose input does not fit it.
    """
    params = mults = std_params = std_mults = sep_params = sep_mults = 0
    output = network.input
    for _, _, (shape, p, m, standard_p, standard_m, separable_p, separable_m, _, _) in evaluate(network):
        output = shape
        params += p
        mults += m
        std_params += standard_p
        std_mults += standard_m
        sep_params += separable_p
        sep_mults += separable_m
    return Totals(
        Cost(params, mults * batch), Cost(std_params, std_mults * batch), Cost(sep_params, sep_mults * batch), output
    )
