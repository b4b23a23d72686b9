"""Memory and time: bytes per layer, peak activation memory, and a roofline estimate on a device.

Pure arithmetic on a costed network (:class:`~dsc_cost.network.NetworkCost`): no I/O. Bytes are
exact integers; seconds are exact fractions (floats only when shown).

* **Bytes.** A layer's weight bytes are its params × the weight dtype's size; its input and
  output bytes are the values of its input(s) and output × the batch × the activation dtype's size
  (every input of a multi-input layer counts). A separable layer is two steps, and the depthwise
  step's output, C·M × Ho × Wo, is a tensor of its own: ``intermediate_bytes``.
* **Peak activation memory.** The layers run in spec order, one at a time. At a layer's step the
  tensors alive are its output, its intermediate tensor, and every tensor made before it (the
  network's input included) that it or a later layer still reads: its own inputs, and the branches
  of residual additions and concatenations kept for later. The peak is the largest total over the
  steps, at the first layer that reaches it. Nothing is computed in place and nothing is freed
  early or fused. A split makes no tensor: its parts are views of its input, which stays alive,
  whole, while a later layer reads any part. Train-only layers do not run at inference: they are
  left out of the totals, the peak and the time, and keep nothing alive.
* **Roofline.** On a device of ``peak`` multiply-accumulates per second (for the compute dtype)
  and ``bandwidth`` bytes per second, a step takes max(mults ÷ peak, bytes ÷ bandwidth), where
  its bytes are its weights, its inputs and its output, each moved once. A separable layer is its
  two steps, the intermediate tensor written by the first and read by the second; the what-ifs
  cost each layer in its standard and its separable form the same way. A layer is
  memory-bound when moving its bytes takes longer than its mults (over its steps), else
  compute-bound. Arithmetic intensity is mults ÷ bytes moved.

No caches, no fusion, no kernel quality: the estimate is a floor that a real kernel reaches only
when it streams every tensor once at the full bandwidth and keeps every multiplier busy.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, NamedTuple

from .layers.base import intermediate_values, is_view, kernels, part_count

if TYPE_CHECKING:
    from .devices import Calibration, Device
    from .formulas import Shape
    from .layers.base import Kind, Layer
    from .network import NetworkCost, Node

Dtype = Literal["fp32", "fp16", "bf16", "int8"]
DTYPES: dict[str, int] = {"fp32": 4, "fp16": 2, "bf16": 2, "int8": 1}
"""The precisions and their bytes per value."""

Bound = Literal["compute", "memory"]


def dtype_bytes(dtype: str) -> int:
    """Bytes per value of ``dtype``.

    >>> dtype_bytes("fp32"), dtype_bytes("bf16"), dtype_bytes("int8")
    (4, 2, 1)
    """
    try:
        return DTYPES[dtype]
    except KeyError:
        raise ValueError(f"unknown dtype {dtype!r}: expected one of {', '.join(DTYPES)}") from None


def compute_dtype(weight_dtype: str, activation_dtype: str) -> str:
    """The dtype the multiply-accumulates run in: the wider of the two (int8 weights with fp32
    activations are widened to fp32); the activations' when both are as wide.

    >>> compute_dtype("int8", "fp32"), compute_dtype("fp16", "int8"), compute_dtype("bf16", "fp16")
    ('fp32', 'fp16', 'fp16')
    """
    return weight_dtype if dtype_bytes(weight_dtype) > dtype_bytes(activation_dtype) else activation_dtype


class Step(NamedTuple):
    """One kernel of a layer: its mults and the bytes it moves (for the batch), and its kind."""

    mults: int
    weight_bytes: int
    input_bytes: int
    output_bytes: int
    kind: Kind = "other"
    shape: str = ""
    """Its kernel, stride and grouping in words (:func:`step_shape`), for a calibration's rates."""
    channels: tuple[int, int] = (0, 0)
    """A conv step on the blocked layout: its input and output channels (a calibration's ``block`` pads them)."""

    @property
    def bytes(self) -> int:
        return self.weight_bytes + self.input_bytes + self.output_bytes


class LayerMemory(NamedTuple):
    """The bytes of one layer (for the batch) and the total of the tensors alive at its step."""

    name: str
    weight_bytes: int
    input_bytes: int
    output_bytes: int
    intermediate_bytes: int
    """A separable layer's depthwise output (0 for every other layer)."""
    live_bytes: int
    """The activation bytes alive at this layer's step (the peak is the largest of these); 0 for a
    train-only layer, which does not run at inference."""


class LayerTime(NamedTuple):
    """One layer on a device: intensity (mults per byte moved), estimated seconds and what bounds them,
    and the seconds of its standard and its separable form."""

    intensity: Fraction
    seconds: Fraction
    bound: Bound
    standard_seconds: Fraction
    separable_seconds: Fraction
    compute_seconds: Fraction
    memory_seconds: Fraction
    steps: tuple[tuple[Kind, Fraction, Bound], ...] = ()
    """Each step of its own form: its kind, seconds and bound (a separable layer: depthwise, pointwise)."""


class Roofline(NamedTuple):
    """A network on a device: every layer's time and the totals, own and in the two what-ifs."""

    device: Device
    dtype: str
    layers: tuple[LayerTime, ...]
    seconds: Fraction
    standard_seconds: Fraction
    separable_seconds: Fraction
    by_kind: dict[Kind, Fraction]
    """Seconds of the steps of each kind (a separable layer's steps: depthwise and pointwise)."""


class NetworkMemory(NamedTuple):
    """A network's bytes: per layer, weights in all (the model's size), the sum of every layer's
    output (torchinfo's forward pass, before its × 2), the peak activation memory and where it is."""

    weight_dtype: str
    activation_dtype: str
    layers: tuple[LayerMemory, ...]
    weight_bytes: int
    activation_bytes: int
    peak_bytes: int
    peak_layer: str
    roofline: Roofline | None = None


class Settings(NamedTuple):
    """What a command was asked about memory: the dtypes, the device (or none) and whether tables
    show the memory columns (``--memory``, or a device)."""

    weight_dtype: str = "fp32"
    activation_dtype: str = "fp32"
    device: Device | None = None
    show: bool = False


# ---------------------------------------------------------------- steps


def steps(layers: Sequence[Layer], inputs: tuple[Shape, ...], batch: int, weight: int, activation: int) -> list[Step]:
    """The steps of ``layers`` run one after the other on ``inputs`` (a separable layer: its two),
    with ``weight`` and ``activation`` bytes per value.

    >>> from dsc_cost.formulas import Shape
    >>> from dsc_cost.network import SeparableLayer
    >>> steps([SeparableLayer(128, (3, 3))], (Shape(3, 7, 7),), 1, 4, 4)  # doctest: +NORMALIZE_WHITESPACE
    [Step(mults=675, weight_bytes=108, input_bytes=588, output_bytes=300, kind='depthwise', shape='k3 s1 plain',
          channels=(0, 0)),
     Step(mults=9600, weight_bytes=1536, input_bytes=300, output_bytes=12800, kind='pointwise', shape='k1 s1',
          channels=(3, 128))]
    """
    out: list[Step] = []
    shapes = inputs
    for layer in layers:
        for kernel in kernels(layer):
            e = kernel.evaluate(shapes)
            if is_view(kernel):  # its parts are views of its input: it moves nothing
                out.append(Step(0, 0, 0, 0))
                shapes = (e.output,)
                continue
            values = sum(s.numel for s in shapes)
            size = batch * activation
            kind = e.parts[0][0] if e.parts else "other"
            shape = step_shape(kernel) if kind != "other" else other_shape(kernel)
            channels = (0, 0)
            if kind in CONV_KINDS:
                if blockable(kind, shapes[0], e.output):
                    channels = (shapes[0].channels, e.output.channels)
                else:
                    shape += " plain"
            out.append(
                Step(e.mults * batch, e.params * weight, values * size, e.output.numel * size, kind, shape, channels)
            )
            shapes = (e.output,)
    return out


CONV_KINDS = ("conv", "depthwise", "pointwise")
ALIGN = 4
"""The channels a map must come in multiples of to run on the blocked layout (onnxruntime pads them to its block
of 8 or 16; measured: maps of 20, 24 and 116 channels run blocked, of 58 not)."""


def blockable(kind: str, x: Shape, y: Shape) -> bool:
    """Whether a conv step of ``kind`` from ``x`` to ``y`` runs on the blocked layout: 2-D maps whose channels come
    in multiples of :data:`ALIGN` (a full or 1×1 conv may read an image of fewer than :data:`PLAIN_INPUT` channels
    as it is); else it takes the runtime's plain path (its shape says ``plain``: a rate of its own).

    >>> from dsc_cost.formulas import Shape
    >>> twenty, fifty_eight = Shape(20, 8, 8), Shape(58, 8, 8)
    >>> blockable("depthwise", twenty, twenty), blockable("depthwise", fifty_eight, fifty_eight)
    (True, False)
    >>> blockable("conv", Shape(3, 8, 8), Shape(16, 4, 4)), blockable("conv", Shape(16, 8, 8), Shape(58, 8, 8))
    (True, False)
    >>> blockable("pointwise", Shape.of(64, (49,)), Shape.of(64, (49,)))  # 1-D
    False
    """
    if x.dims != 2 or y.channels % ALIGN:
        return False
    return x.channels % ALIGN == 0 or (kind != "depthwise" and x.channels < PLAIN_INPUT)


def step_shape(layer: object) -> str:
    """The words a calibration's rates tell steps apart by: ``k`` and the largest kernel side, ``s`` and the largest
    stride, and ``grouped`` for a conv of several groups that is not depthwise (``""`` for a layer of neither).

    >>> from dsc_cost.network import ConvLayer, DepthwiseLayer
    >>> step_shape(ConvLayer(64, (3, 3), (2, 2))), step_shape(ConvLayer(64, (3, 3), groups=4))
    ('k3 s2', 'k3 s1 grouped')
    >>> step_shape(DepthwiseLayer((5, 5))), step_shape(object())
    ('k5 s1', '')
    """
    kernel = getattr(layer, "kernel", (1,))
    stride = getattr(layer, "stride", (1,))
    if not isinstance(kernel, tuple) or not isinstance(stride, tuple):
        return ""
    if not hasattr(layer, "out") and not hasattr(layer, "multiplier"):
        return ""
    words = f"k{max(kernel, default=1)} s{max(stride, default=1)}"
    return words + " grouped" if getattr(layer, "groups", 1) > 1 else words


def other_shape(layer: object) -> str:
    """The word a calibration's bandwidths tell steps of no mults apart by: an activation's function, else the
    layer's type (a layer norm moves its bytes more slowly than a ReLU).

    >>> from dsc_cost.layers.activation import ActivationLayer
    >>> from dsc_cost.layers.layernorm import LayerNormLayer
    >>> other_shape(ActivationLayer("hardswish")), other_shape(LayerNormLayer()), other_shape(object())
    ('hardswish', 'layernorm', '')
    """
    from .layers.base import type_of

    fn = getattr(layer, "fn", None)
    return fn if isinstance(fn, str) else type_of(layer)


def padded(step: Step, block: int) -> Fraction:
    """How many times its mults a conv step on the blocked layout does, its channels padded to whole blocks of
    ``block`` (a depthwise step: its channels; else its output's, and its input's unless it reads an image of
    fewer than :data:`PLAIN_INPUT` channels as it is); 1 without a block or channels.

    >>> pointwise, depthwise = Step(1, 0, 0, 0, "pointwise", "", (24, 144)), Step(1, 0, 0, 0, "depthwise", "", (72, 72))
    >>> padded(pointwise, 16), padded(depthwise, 16), padded(depthwise, 8)
    (Fraction(4, 3), Fraction(10, 9), Fraction(1, 1))
    """
    c, o = step.channels
    if not block or not c or not o:
        return Fraction(1)

    def up(n: int) -> Fraction:
        return Fraction(-(-n // block) * block, n)

    if step.kind == "depthwise":
        return up(c)
    return up(o) * (up(c) if c >= PLAIN_INPUT else 1)


def step_seconds(step: Step, peak: int, bandwidth: int, model: Calibration | None = None) -> tuple[Fraction, Fraction]:
    """(compute seconds, memory seconds) of a step: mults ÷ peak and bytes ÷ bandwidth; with a calibrated
    ``model``, the overhead of a step of its kind plus mults ÷ the rate of its kind and shape and plus bytes ÷ its
    kind's bandwidth, the bytes beyond the model's ``cache`` at its ``dram`` bandwidth instead (a step that moves
    nothing costs nothing: a split's view). The one formula of time: a network's adds its steps' and, calibrated,
    its run's (:func:`run_seconds`)."""
    if model is None:
        return Fraction(step.mults, peak), Fraction(step.bytes, bandwidth)
    if not step.bytes and not step.mults:
        return Fraction(0), Fraction(0)
    kind = step.kind
    moved = step.bytes
    bandwidth = model.bandwidth(kind, step.shape)
    memory = Fraction(moved, bandwidth)
    if model.cache and model.dram and moved > model.cache:
        memory = Fraction(model.cache, bandwidth) + Fraction(moved - model.cache, model.dram)
    overhead = model.step_overhead(kind)
    mults = step.mults * padded(step, model.block)
    return overhead + mults / model.rate(kind, step.shape), overhead + memory


def run_seconds(model: Calibration | None) -> Fraction:
    """What a run of a network costs besides its steps: a calibrated model's ``run`` (0 on the plain roofline)."""
    return Fraction(0) if model is None else model.run


def _time(
    form: Sequence[Step], peak: int, bandwidth: int, model: Calibration | None = None
) -> tuple[Fraction, Fraction, Fraction]:
    """(seconds, compute seconds, memory seconds) of a layer's steps: each step the longer of the two."""
    total = compute = memory = Fraction(0)
    for step in form:
        c, m = step_seconds(step, peak, bandwidth, model)
        compute += c
        memory += m
        total += max(c, m)
    return total, compute, memory


def layer_time(
    own: Sequence[Step],
    standard: Sequence[Step],
    separable: Sequence[Step],
    peak: int,
    bandwidth: int,
    model: Calibration | None = None,
) -> LayerTime:
    """A layer's time on a device from the steps of its own, standard and separable forms (``model``: a
    calibrated cost model in place of the roofline's peak and bandwidth)."""
    seconds, compute, memory = _time(own, peak, bandwidth, model)
    moved = sum(s.bytes for s in own)
    intensity = Fraction(sum(s.mults for s in own), moved) if moved else Fraction(0)
    bound: Bound = "memory" if memory > compute or not compute else "compute"  # no mults: memory-bound
    parts: list[tuple[Kind, Fraction, Bound]] = []
    for step in own:
        c, m = step_seconds(step, peak, bandwidth, model)
        parts.append((step.kind, max(c, m), "memory" if m > c or not c else "compute"))
    return LayerTime(
        intensity,
        seconds,
        bound,
        _time(standard, peak, bandwidth, model)[0],
        _time(separable, peak, bandwidth, model)[0],
        compute,
        memory,
        tuple(parts),
    )


# ---------------------------------------------------------------- a network


def network_memory(
    result: NetworkCost,
    weight_dtype: str = "fp32",
    activation_dtype: str = "fp32",
    device: Device | None = None,
) -> NetworkMemory:
    """The bytes of every layer of ``result``, the peak activation memory (and the layer where it
    occurs) and, with a ``device``, the roofline estimate of every layer and of the network.

    The 7×7×3 → 128 example: a 3×3 conv of 3,456 weights on 147 input values giving 3,200.

    >>> from dsc_cost.formulas import Shape
    >>> from dsc_cost.network import ConvLayer, Network, Node, cost_network
    >>> net = Network("tiny", Shape(3, 7, 7), (Node("c", "conv", ConvLayer(128, (3, 3))),))
    >>> m = network_memory(cost_network(net))
    >>> m.layers[0][:5], m.peak_bytes, m.peak_layer
    (('c', 13824, 588, 12800, 0), 13388, 'c')

    :raises ValueError: for an unknown dtype, or a device without a peak for the compute dtype.
    """
    from .network import layer_inputs

    weight, activation = dtype_bytes(weight_dtype), dtype_bytes(activation_dtype)
    size = result.batch * activation
    nodes = result.network.nodes
    shapes = layer_inputs(result)

    # Each tensor is numbered by the step that made it; the network's input, made at step -1, is the last
    # entry of ``tensor_bytes`` (index -1). A split makes no tensor: it and its parts name its input's.
    tensor_of: dict[str, int] = {"input": -1}
    tensor_bytes = [0] * (len(nodes) + 1)
    tensor_bytes[-1] = result.network.input.numel * size
    last_read = [-1] * (len(nodes) + 1)  # the last inference step that reads each tensor (-1: none)
    reads: list[tuple[int, ...]] = []  # the tensors each step reads
    own: list[tuple[int, int, int, int]] = []  # each step's weight, input, output and intermediate bytes
    # A block's layers repeat on the same inputs: their bytes are worked out once per layer value and inputs,
    # known by identity (the rows of one layer value on the same inputs share them: see cost_network), which
    # ``result`` and ``shapes`` hold for the whole walk.
    memo: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    previous = "input"
    for index, (node, layer) in enumerate(zip(nodes, result.layers, strict=True)):
        inputs = shapes[index]
        key = (id(node.layer), id(inputs))
        row = memo.get(key)
        if row is None:
            row = memo[key] = _layer_bytes(node.layer, inputs, layer.output, layer.cost.params, weight, size)
        own.append(row)
        names = node.inputs or (previous,)
        mine = (tensor_of[names[0]],) if len(names) == 1 else tuple([tensor_of[name] for name in names])
        reads.append(mine)
        if not node.train_only:  # a train-only layer does not run at inference: it keeps nothing alive
            for tensor in mine:
                last_read[tensor] = index
        previous = node.name
        count = part_count(node.layer)
        if count:  # a split: it and its parts, ``NAME.0``, ``NAME.1``, …, are views of its input
            for name in (node.name, *(f"{node.name}.{i}" for i in range(count))):
                tensor_of[name] = mine[0]
        else:
            tensor_of[node.name] = index
            tensor_bytes[index] = row[2]

    layers = []
    carried = tensor_bytes[-1] if last_read[-1] >= 0 else 0  # the input, while something reads it
    peak, peak_layer = -1, ""
    weight_total = activation_total = 0
    new = tuple.__new__
    for index, (node, mine, (weight_bytes, input_bytes, output, intermediate)) in enumerate(
        zip(nodes, reads, own, strict=True)
    ):
        if node.train_only:
            layers.append(new(LayerMemory, (node.name, weight_bytes, input_bytes, output, intermediate, 0)))
            continue
        weight_total += weight_bytes
        activation_total += output
        live = carried + output + intermediate
        if live > peak:
            peak, peak_layer = live, node.name
        layers.append(new(LayerMemory, (node.name, weight_bytes, input_bytes, output, intermediate, live)))
        if len(mine) == 1:
            if last_read[mine[0]] == index:
                carried -= tensor_bytes[mine[0]]
        else:
            for tensor in set(mine):  # a tensor read twice is freed once
                if last_read[tensor] == index:
                    carried -= tensor_bytes[tensor]
        if last_read[index] > index:  # its output, kept for a later step
            carried += tensor_bytes[index]
    roofline = None
    if device is not None:
        roofline = _roofline(result, shapes, device, weight_dtype, activation_dtype)
    return NetworkMemory(
        weight_dtype,
        activation_dtype,
        tuple(layers),
        weight_total,
        activation_total,
        max(peak, 0),
        peak_layer,
        roofline,
    )


def _layer_bytes(
    layer: Layer, inputs: tuple[Shape, ...], out: Shape, params: int, weight: int, size: int
) -> tuple[int, int, int, int]:
    """A layer's weight, input, output and intermediate bytes (``size``: bytes per value × batch)."""
    output = 0 if is_view(layer) else out.numel * size  # a split: views, no tensor of its own
    intermediate = intermediate_values(layer, inputs, out) * size  # a separable layer's depthwise output
    return params * weight, sum(s.numel for s in inputs) * size, output, intermediate


def _roofline(
    result: NetworkCost,
    shapes: list[tuple[Shape, ...]],
    device: Device,
    weight_dtype: str,
    activation_dtype: str,
) -> Roofline:
    from .layers.base import as_separable, as_standard
    from .network import paired_forms

    dtype = compute_dtype(weight_dtype, activation_dtype)
    peak = device.peak_for(dtype)
    bandwidth = device.bandwidth
    weight, activation = dtype_bytes(weight_dtype), dtype_bytes(activation_dtype)
    batch = result.batch
    times = []
    # As in network_memory: a layer value on the same inputs is timed once, and the totals add each distinct
    # time once, times the number of inference layers it is (in the order they first come, as by_kind's kinds).
    memo: dict[tuple[object, ...], LayerTime] = {}
    uses: dict[tuple[object, ...], int] = {}
    paired = paired_forms(result.pairing)  # in a separable pair, a layer's as-standard form is the pair's
    model = device.calibration
    fused = fused_layers(result) if model is not None and model.fused != 1 else {}
    layouts = reorders(result) if model is not None and model.reorders else {}
    size = batch * activation
    for index, (node, inputs) in enumerate(zip(result.network.nodes, shapes, strict=True)):
        layer = node.layer
        form = paired.get(index)
        moved = tuple(layouts.get(index, ()))
        key: tuple[object, ...] = (id(layer), id(inputs), form, index in fused, moved)
        time = memo.get(key)
        if time is None:
            mine = steps((layer,), inputs, batch, weight, activation)
            standard_form = as_standard(layer, inputs) if form is None else form
            separable_form = as_separable(layer)
            standard = mine if standard_form == (layer,) else steps(standard_form, inputs, batch, weight, activation)
            separable = mine if separable_form == (layer,) else steps(separable_form, inputs, batch, weight, activation)
            time = layer_time(mine, standard, separable, peak, bandwidth, model)
            if index in fused and model is not None:
                time = _share(time, model.fused)
            if moved:
                reorder = [Step(0, 0, n * size, n * size, "other", "reorder") for n in moved]
                time = _plus(time, _time(reorder, peak, bandwidth, model)[0])
            memo[key] = time
        times.append(time)
        if not node.train_only:  # the totals are of inference
            uses[key] = uses.get(key, 0) + 1
    seconds = standard_seconds = separable_seconds = run_seconds(device.calibration)
    by_kind: dict[Kind, Fraction] = {}
    for key, n in uses.items():
        time = memo[key]
        seconds += time.seconds * n
        standard_seconds += time.standard_seconds * n
        separable_seconds += time.separable_seconds * n
        for kind, step_seconds, _ in time.steps:
            by_kind[kind] = by_kind.get(kind, Fraction(0)) + step_seconds * n
    return Roofline(device, dtype, tuple(times), seconds, standard_seconds, separable_seconds, by_kind)


FUSES = ("activation", "batchnorm", "add")
"""The element-wise layer types a runtime runs inside the conv before them (onnxruntime's Conv+BatchNormalization,
Conv+activation and Conv+Add(+activation) fusions)."""
FUSED_ACTIVATIONS = ("relu", "relu6", "sigmoid", "hardsigmoid", "hardswish", "tanh")
"""The activations it fuses (its conv kernels apply them as they write); silu and gelu run on their own (measured:
onnxruntime fuses x·HardSigmoid(x) into the conv before it, not x·Sigmoid(x))."""


def _sources(nodes: Sequence[Node]) -> tuple[list[tuple[str, ...]], dict[str, int]]:
    """The names of the outputs each node reads (the node before's when it names none) and, for each name, how many
    inference layers read it."""
    readers: dict[str, int] = {}
    sources: list[tuple[str, ...]] = []
    previous = "input"
    for node in nodes:
        names = node.inputs or (previous,)
        sources.append(names)
        if not node.train_only:
            for name in set(names):
                readers[name] = readers.get(name, 0) + 1
        previous = node.name
    return sources, readers


def fused_layers(result: NetworkCost) -> dict[int, int]:
    """The layers a runtime fuses into a conv, each (by index) with the index of the conv it joins: a layer of a
    type of :data:`FUSES` (an activation: of :data:`FUSED_ACTIVATIONS`) that reads the output of a conv step (full,
    depthwise or pointwise: the last step of its layer) or of a layer fused into one, when nothing else reads that
    output. A calibrated model costs them at its ``fused`` share of their own time; ``measure --per-layer`` gives
    the time of the fused kernel (named after its last layer) to the conv.

    >>> from dsc_cost.formulas import Shape
    >>> from dsc_cost.layers.activation import ActivationLayer
    >>> from dsc_cost.layers.add import AddLayer
    >>> from dsc_cost.network import ConvLayer, Network, Node, cost_network
    >>> conv, relu = ConvLayer(8, (3, 3), padding=(1, 1)), ActivationLayer("relu")
    >>> net = Network("n", Shape(8, 4, 4), (Node("c", "conv", conv), Node("r", "activation", relu),
    ...     Node("r2", "activation", relu), Node("c2", "conv", conv, ("r",)),
    ...     Node("a", "add", AddLayer(), ("c2", "r2"))))
    >>> sorted(fused_layers(cost_network(net)))  # r2 reads r, which c2 reads too: r2 is not fused
    [1, 4]
    >>> fused_layers(cost_network(net))[4]  # the add joins c2
    3
    """
    from .network import layer_inputs

    nodes = result.network.nodes
    sources, readers = _sources(nodes)
    heads: dict[str, int] = {}  # the layers whose output a following element-wise layer may be fused into: the conv
    out: dict[int, int] = {}
    shapes = layer_inputs(result)
    for index, (node, names) in enumerate(zip(nodes, sources, strict=True)):
        if node.train_only:
            continue
        fusable = node.type in FUSES and getattr(node.layer, "fn", "relu") in FUSED_ACTIVATIONS
        joins = next((heads[name] for name in names if name in heads and readers.get(name) == 1), None)
        if fusable and joins is not None:
            out[index] = heads[node.name] = joins
            continue
        kinds = [k.kind for k in steps((node.layer,), shapes[index], 1, 1, 1) if k.bytes]
        if kinds and kinds[-1] in ("conv", "depthwise", "pointwise"):
            heads[node.name] = index
    return out


BLOCKED = ("conv", "depthwise", "pointwise", "separable", "pool")
"""The layer types a runtime runs on channel-blocked maps (onnxruntime's NCHWc layout on a CPU: 2-D convs and
pools, whatever their input's layout); :data:`FOLLOWS` run blocked when every input is."""
FOLLOWS = ("add", "concat", "batchnorm", "activation")
"""The element-wise layer types that keep a blocked map blocked (an activation of :data:`FUSED_ACTIVATIONS`)."""
PLAIN_INPUT = 8
"""A conv reads a plain map of fewer channels than this (an image) as it is, with no reorder."""


def reorders(result: NetworkCost) -> dict[int, list[int]]:
    """The layout reorders a runtime adds to a network, each by the index of the layer it goes with and its number
    of values (a calibrated model costs each as a step moving them in and out: ``other reorder``).

    A layer of :data:`BLOCKED` on 2-D maps runs channel-blocked; one of :data:`FOLLOWS` runs blocked when every
    input is; every other layer (a linear layer, a gate's mul, a channel shuffle, a layer norm, silu...) runs on
    plain maps. A plain map read by a blocked layer is reordered once, with that layer (unless it is a conv's image
    of fewer than :data:`PLAIN_INPUT` channels); a blocked map read by a plain layer, or that is the network's
    output, once, with the layer that wrote it.

    >>> from dsc_cost.formulas import Shape
    >>> from dsc_cost.layers.activation import ActivationLayer
    >>> from dsc_cost.network import ConvLayer, Network, Node, cost_network
    >>> conv, silu = ConvLayer(16, (3, 3), padding=(1, 1)), ActivationLayer("silu")
    >>> net = Network("n", Shape(16, 4, 4), (Node("c", "conv", conv), Node("s", "activation", silu),
    ...     Node("c2", "conv", conv), Node("r", "activation", ActivationLayer("relu"))))
    >>> reorders(cost_network(net))  # into c, out of c (for silu), into c2, out of r (the output): 256 values each
    {0: [256, 256], 2: [256], 3: [256]}
    """
    from .network import layer_inputs

    nodes = result.network.nodes
    shapes = layer_inputs(result)
    sources, readers = _sources(nodes)
    blocked: dict[str, bool] = {"input": False}
    values = {"input": result.network.input.numel}
    values.update((node.name, row.output.numel) for node, row in zip(nodes, result.layers, strict=True))
    writers = {node.name: index for index, node in enumerate(nodes)}
    out: dict[int, list[int]] = {}
    reordered: set[str] = set()
    for index, (node, names) in enumerate(zip(nodes, sources, strict=True)):
        if node.train_only:
            continue
        flat = all(shape.dims == 2 for shape in shapes[index])
        aligned = all("plain" not in k.shape.split() for k in steps((node.layer,), shapes[index], 1, 1, 1))
        if node.type in BLOCKED and flat and aligned:
            mine = True
            for name, shape in zip(names, shapes[index], strict=False):
                if blocked.get(name, False) or name in reordered:
                    continue
                if node.type == "pool" or shape.channels >= PLAIN_INPUT:
                    out.setdefault(index, []).append(values.get(name, shape.numel))
                    reordered.add(name)
        else:
            fn = getattr(node.layer, "fn", None)
            follows = node.type in FOLLOWS and (fn is None or fn in FUSED_ACTIVATIONS)
            mine = follows and flat and all(blocked.get(name, False) for name in names)
        blocked[node.name] = mine
        if not mine:  # a plain layer: each blocked map it reads is reordered with the layer that wrote it
            for name in names:
                if blocked.get(name, False) and name not in reordered:
                    reordered.add(name)
                    out.setdefault(writers[name], []).append(values[name])
    for name, is_blocked in blocked.items():  # the network's outputs: read by no layer
        if is_blocked and name not in readers and name not in reordered:
            out.setdefault(writers[name], []).append(values[name])
    return out


def _plus(time: LayerTime, seconds: Fraction) -> LayerTime:
    """``time`` and ``seconds`` of memory-bound work more (its layout reorders: in each of its forms)."""
    return time._replace(
        seconds=time.seconds + seconds,
        standard_seconds=time.standard_seconds + seconds,
        separable_seconds=time.separable_seconds + seconds,
        memory_seconds=time.memory_seconds + seconds,
        steps=(*time.steps, ("other", seconds, "memory")),
    )


def _share(time: LayerTime, share: Fraction) -> LayerTime:
    """``time`` with every figure at ``share`` of itself (a layer fused into the conv before it)."""
    steps_ = tuple((kind, seconds * share, bound) for kind, seconds, bound in time.steps)
    return time._replace(
        seconds=time.seconds * share,
        standard_seconds=time.standard_seconds * share,
        separable_seconds=time.separable_seconds * share,
        compute_seconds=time.compute_seconds * share,
        memory_seconds=time.memory_seconds * share,
        steps=steps_,
    )
