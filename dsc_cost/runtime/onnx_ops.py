"""The ONNX form of every built-in layer type, one exporter each, registered with
:func:`~dsc_cost.runtime.registry.exporter` (imported by :func:`~dsc_cost.runtime.export.export_network`).

Each writes standard ops of opset 18 on N×C×… tensors: a conv is Conv (its batch-norm a BatchNormalization
after it), a separable layer a depthwise Conv and a 1×1 Conv, a linear layer Flatten and Gemm (at every
position: MatMul over the channels of a channels-last map, between two Transposes), a layer-norm over the
channels LayerNormalization on the channels-last map, a channel shuffle Reshape, Transpose and Reshape.
Adaptive pooling whose output does not divide its input has no ONNX op: it is refused.
"""

from __future__ import annotations

from math import prod
from typing import TYPE_CHECKING, Any

from .registry import SEP, Context, Exporter, Graph, Unsupported, exporter

if TYPE_CHECKING:
    from ..formulas import Shape


# ---------------------------------------------------------------- helpers


def _fit(x: Shape, layer: Any, fields: tuple[str, ...]) -> Any:
    from ..layers.base import refit

    return refit(x, layer, fields)


def _pads(x: Shape, out: Shape, kernel: tuple[int, ...], stride: tuple[int, ...], padding: Any,
          dilation: tuple[int, ...] | None = None) -> list[int]:  # fmt: skip
    """ONNX's pads (every axis's start, then every axis's end) that give the spec's padding."""
    dims = len(x) - 1
    dilation = dilation or (1,) * dims
    if padding == "valid":
        return [0] * (2 * dims)
    if padding == "same":
        begin, end = [], []
        for n, o, k, s, d in zip(x[1:], out[1:], kernel, stride, dilation, strict=True):
            total = max((o - 1) * s + d * (k - 1) + 1 - n, 0)
            begin.append(total // 2)
            end.append(total - total // 2)
        return begin + end
    return [*padding, *padding]


def _bn(g: Graph, name: str, x: str, channels: int) -> str:
    """A BatchNormalization of ``channels`` (γ, β random near 1 and 0; mean 0, variance 1)."""
    gamma = g.weight(f"{name}.gamma", [channels], value=1.0)
    beta = g.weight(f"{name}.beta", [channels], value=0.0)
    mean = g.weight(f"{name}.mean", [channels], value=0.0)
    var = g.weight(f"{name}.var", [channels], value=1.0)
    return g.op("BatchNormalization", [x, gamma, beta, mean, var], name)


def _conv(g: Graph, name: str, x: str, channels: int, out: int, kernel: tuple[int, ...], stride: tuple[int, ...],
          pads: list[int], dilation: tuple[int, ...], groups: int, bias: bool) -> str:  # fmt: skip
    fan_in = channels // groups * prod(kernel)
    inputs = [x, g.weight(f"{name}.weight", [out, channels // groups, *kernel], fan_in)]
    if bias:
        inputs.append(g.weight(f"{name}.bias", [out], value=0.0))
    return g.op(
        "Conv", inputs, name, kernel_shape=list(kernel), strides=list(stride), pads=pads,
        dilations=list(dilation), group=groups,
    )  # fmt: skip


def _channels_last(g: Graph, name: str, x: str, dims: int) -> str:
    return g.op("Transpose", [x], f"{name}{SEP}to_channels_last", perm=[0, *range(2, dims + 2), 1])


def _channels_first(g: Graph, name: str, x: str, dims: int) -> str:
    return g.op("Transpose", [x], f"{name}{SEP}to_channels_first", perm=[0, dims + 1, *range(1, dims + 1)])


# ---------------------------------------------------------------- convolutions


@exporter("conv")
def conv(g: Graph, c: Context, layer: Any) -> str:
    x = c.shapes[0]
    layer = _fit(x, layer, ("kernel", "stride", "padding", "dilation"))
    pads = _pads(x, c.output, layer.kernel, layer.stride, layer.padding, layer.dilation)
    y = _conv(g, c.name, c.inputs[0], x.channels, layer.out, layer.kernel, layer.stride, pads, layer.dilation,
              layer.groups, layer.bias)  # fmt: skip
    return _bn(g, f"{c.name}{SEP}bn", y, layer.out) if layer.batchnorm else y


@exporter("depthwise")
def depthwise(g: Graph, c: Context, layer: Any) -> str:
    x = c.shapes[0]
    layer = _fit(x, layer, ("kernel", "stride", "padding", "dilation"))
    out = x.channels * layer.multiplier
    pads = _pads(x, c.output, layer.kernel, layer.stride, layer.padding, layer.dilation)
    y = _conv(g, c.name, c.inputs[0], x.channels, out, layer.kernel, layer.stride, pads, layer.dilation,
              x.channels, layer.bias)  # fmt: skip
    return _bn(g, f"{c.name}{SEP}bn", y, out) if layer.batchnorm else y


@exporter("pointwise")
def pointwise(g: Graph, c: Context, layer: Any) -> str:
    x = c.shapes[0]
    layer = _fit(x, layer, ("stride",))
    dims = len(x) - 1
    ones = (1,) * dims
    y = _conv(g, c.name, c.inputs[0], x.channels, layer.out, ones, layer.stride, [0] * (2 * dims), ones, 1,
              layer.bias)  # fmt: skip
    return _bn(g, f"{c.name}{SEP}bn", y, layer.out) if layer.batchnorm else y


@exporter("separable")
def separable(g: Graph, c: Context, layer: Any) -> str:
    """The depthwise Conv named as the layer (the reader names the separable layer after it), then the 1×1 Conv
    (``LAYER/pointwise``); batch-norm after each step."""
    x = c.shapes[0]
    layer = _fit(x, layer, ("kernel", "stride", "padding", "dilation"))
    middle = x.channels * layer.multiplier
    dims = len(x) - 1
    pads = _pads(x, c.output, layer.kernel, layer.stride, layer.padding, layer.dilation)
    y = _conv(g, c.name, c.inputs[0], x.channels, middle, layer.kernel, layer.stride, pads, layer.dilation,
              x.channels, layer.bias == "both")  # fmt: skip
    if layer.batchnorm:
        y = _bn(g, f"{c.name}{SEP}depthwise_bn", y, middle)
    ones = (1,) * dims
    name = f"{c.name}{SEP}pointwise"
    y = _conv(g, name, y, middle, layer.out, ones, ones, [0] * (2 * dims), ones, 1, bool(layer.bias))
    return _bn(g, f"{c.name}{SEP}bn", y, layer.out) if layer.batchnorm else y


@exporter("convtranspose")
def convtranspose(g: Graph, c: Context, layer: Any) -> str:
    x = c.shapes[0]
    layer = _fit(x, layer, ("kernel", "stride", "padding", "output_padding", "dilation"))
    per_group = layer.out // layer.groups
    inputs = [c.inputs[0], g.weight(f"{c.name}.weight", [x.channels, per_group, *layer.kernel],
                                     x.channels // layer.groups * prod(layer.kernel))]  # fmt: skip
    if layer.bias:
        inputs.append(g.weight(f"{c.name}.bias", [layer.out], value=0.0))
    y = g.op(
        "ConvTranspose", inputs, c.name, kernel_shape=list(layer.kernel), strides=list(layer.stride),
        pads=[*layer.padding, *layer.padding], output_padding=list(layer.output_padding),
        dilations=list(layer.dilation), group=layer.groups,
    )  # fmt: skip
    return _bn(g, f"{c.name}{SEP}bn", y, layer.out) if layer.batchnorm else y


# ---------------------------------------------------------------- linear


@exporter("linear")
def linear(g: Graph, c: Context, layer: Any) -> str:
    x = c.shapes[0]
    dims = len(x) - 1
    if layer.per_position:  # over the channels of a channels-last map, at every position
        nhwc = _channels_last(g, c.name, c.inputs[0], dims)
        w = g.weight(f"{c.name}.weight", [x.channels, layer.out], x.channels)
        y = g.op("MatMul", [nhwc, w], c.name)
        if layer.bias:
            y = g.op("Add", [y, g.weight(f"{c.name}.bias", [layer.out], value=0.0)], f"{c.name}{SEP}bias")
        y = _channels_first(g, c.name, y, dims)
    else:
        flat = g.op("Flatten", [c.inputs[0]], f"{c.name}{SEP}flatten", axis=1)
        inputs = [flat, g.weight(f"{c.name}.weight", [layer.out, x.numel], x.numel)]
        if layer.bias:
            inputs.append(g.weight(f"{c.name}.bias", [layer.out], value=0.0))
        y = g.op("Gemm", inputs, c.name, transB=1)
        y = g.op("Reshape", [y, g.ints(f"{c.name}.shape", [0, layer.out, *(1,) * dims])], f"{c.name}{SEP}reshape")
    return _bn(g, f"{c.name}{SEP}bn", y, layer.out) if layer.batchnorm else y


# ---------------------------------------------------------------- pooling


@exporter("pool")
def pool(g: Graph, c: Context, layer: Any) -> str:
    x = c.shapes[0]
    if layer.global_:
        return g.op("GlobalMaxPool" if layer.mode == "max" else "GlobalAveragePool", [c.inputs[0]], c.name)
    layer = _fit(x, layer, ("kernel", "stride", "padding", "output"))
    op = "MaxPool" if layer.mode == "max" else "AveragePool"
    if layer.kernel is None:  # adaptive: a window when the output divides the input
        sizes = c.output[1:]
        if all(o == 1 for o in sizes):
            return g.op("GlobalMaxPool" if layer.mode == "max" else "GlobalAveragePool", [c.inputs[0]], c.name)
        if any(n % o for n, o in zip(x[1:], sizes, strict=True)):
            raise Unsupported(
                f"adaptive pooling to {'×'.join(map(str, sizes))} of a {'×'.join(map(str, x[1:]))} map (ONNX pools"
                " with windows of one size: the output must divide the input)",
                "output",
            )
        kernel = tuple(n // o for n, o in zip(x[1:], sizes, strict=True))
        return g.op(op, [c.inputs[0]], c.name, kernel_shape=list(kernel), strides=list(kernel))
    stride = layer.stride or layer.kernel
    pads = _pads(x, c.output, layer.kernel, stride, layer.padding)
    attributes: dict[str, Any] = {"kernel_shape": list(layer.kernel), "strides": list(stride), "pads": pads}
    if layer.ceil_mode and layer.padding != "same":
        attributes["ceil_mode"] = 1
    if op == "AveragePool":
        attributes["count_include_pad"] = 1
    return g.op(op, [c.inputs[0]], c.name, **attributes)


@exporter("mean")
def mean(g: Graph, c: Context, layer: Any) -> str:
    dims = len(c.shapes[0]) - 1
    axes = g.ints(f"{c.name}.axes", list(range(2, dims + 2)))
    return g.op("ReduceMean", [c.inputs[0], axes], c.name, keepdims=1)


# ---------------------------------------------------------------- element-wise


_ACTIVATIONS = {"relu": "Relu", "sigmoid": "Sigmoid", "hardsigmoid": "HardSigmoid", "tanh": "Tanh"}


@exporter("activation")
def activation(g: Graph, c: Context, layer: Any) -> str:
    fn = "silu" if layer.fn == "swish" else layer.fn
    x = c.inputs[0]
    if fn in _ACTIVATIONS:
        attributes = {"alpha": 1 / 6, "beta": 0.5} if fn == "hardsigmoid" else {}  # PyTorch's hardsigmoid
        return g.op(_ACTIVATIONS[fn], [x], c.name, **attributes)
    if fn == "relu6":
        return g.op("Clip", [x, g.floats(f"{c.name}.min", [0.0]), g.floats(f"{c.name}.max", [6.0])], c.name)
    if fn == "silu":  # x · sigmoid(x)
        s = g.op("Sigmoid", [x], f"{c.name}{SEP}sigmoid")
        return g.op("Mul", [x, s], c.name)
    if fn == "hardswish":  # x · hardsigmoid(x), as onnxruntime runs HardSwish (a function op): nodes of the layer
        s = g.op("HardSigmoid", [x], f"{c.name}{SEP}hardsigmoid", alpha=1 / 6, beta=0.5)
        return g.op("Mul", [x, s], c.name)
    if fn == "gelu":  # x · ½(1 + erf(x / √2)): opset 18 has no Gelu
        d = g.op("Div", [x, g.floats(f"{c.name}.sqrt2", [2**0.5])], f"{c.name}{SEP}div")
        e = g.op("Erf", [d], f"{c.name}{SEP}erf")
        a = g.op("Add", [e, g.floats(f"{c.name}.one", [1.0])], f"{c.name}{SEP}add")
        m = g.op("Mul", [x, a], f"{c.name}{SEP}mul")
        return g.op("Mul", [m, g.floats(f"{c.name}.half", [0.5])], c.name)
    raise Unsupported(f"activation {layer.fn!r}")


def _folded(op: str) -> Exporter:
    """The exporter of an element-wise layer of any number of inputs: ``op`` applied pairwise, left to right, the
    last node named after the layer, the others ``LAYER/op1``, ``LAYER/op2``..."""
    step = op.lower()

    def export(g: Graph, c: Context, layer: Any) -> str:
        y = c.inputs[0]
        for index, other in enumerate(c.inputs[1:], 1):
            last = index == len(c.inputs) - 1
            y = g.op(op, [y, other], c.name if last else f"{c.name}{SEP}{step}{index}")
        return y

    return export


exporter("add")(_folded("Add"))
exporter("mul")(_folded("Mul"))


@exporter("scale")
def scale(g: Graph, c: Context, layer: Any) -> str:
    x = c.shapes[0]
    w = g.weight(f"{c.name}.scale", [x.channels, *(1,) * (len(x) - 1)], value=1.0)
    return g.op("Mul", [c.inputs[0], w], c.name)


@exporter("batchnorm")
def batchnorm(g: Graph, c: Context, layer: Any) -> str:
    return _bn(g, c.name, c.inputs[0], c.shapes[0].channels)


@exporter("layernorm")
def layernorm(g: Graph, c: Context, layer: Any) -> str:
    """Over the channels alone: LayerNormalization of the channels-last map (ConvNeXt's)."""
    x = c.shapes[0]
    dims = len(x) - 1
    nhwc = _channels_last(g, c.name, c.inputs[0], dims)
    gamma = g.weight(f"{c.name}.weight", [x.channels], value=1.0)
    beta = g.weight(f"{c.name}.bias", [x.channels], value=0.0)
    y = g.op("LayerNormalization", [nhwc, gamma, beta], c.name, axis=-1, epsilon=1e-6)
    return _channels_first(g, c.name, y, dims)


@exporter("groupnorm")
def groupnorm(g: Graph, c: Context, layer: Any) -> str:
    """GroupNormalization (opset 18: a scale and a shift per group) then a per-channel scale and shift, which
    together are group-norm's 2·C params."""
    x = c.shapes[0]
    dims = len(x) - 1
    ones = g.weight(f"{c.name}.group_scale", [layer.groups], value=1.0)
    zeros = g.weight(f"{c.name}.group_bias", [layer.groups], value=0.0)
    y = g.op("GroupNormalization", [c.inputs[0], ones, zeros], c.name, num_groups=layer.groups, epsilon=1e-5)
    gamma = g.weight(f"{c.name}.weight", [x.channels, *(1,) * dims], value=1.0)
    y = g.op("Mul", [y, gamma], f"{c.name}{SEP}scale")
    beta = g.weight(f"{c.name}.bias", [x.channels, *(1,) * dims], value=0.0)
    return g.op("Add", [y, beta], f"{c.name}{SEP}shift")


# ---------------------------------------------------------------- moving values


@exporter("concat")
def concat(g: Graph, c: Context, layer: Any) -> str:
    return g.op("Concat", list(c.inputs), c.name, axis=1)


@exporter("split")
def split(g: Graph, c: Context, layer: Any) -> list[str]:
    x = c.shapes[0]
    sizes = [part.channels for part in layer.outputs(x)]
    return g.node("Split", [c.inputs[0], g.ints(f"{c.name}.sizes", sizes)], c.name, len(sizes), axis=1)


@exporter("shuffle")
def shuffle(g: Graph, c: Context, layer: Any) -> str:
    x = c.shapes[0]
    groups = layer.groups
    split_shape = g.ints(f"{c.name}.grouped", [0, groups, x.channels // groups, *x[1:]])
    y = g.op("Reshape", [c.inputs[0], split_shape], c.name)
    perm = [0, 2, 1, *range(3, len(x) + 2)]
    y = g.op("Transpose", [y], f"{c.name}{SEP}transpose", perm=perm)
    return g.op("Reshape", [y, g.ints(f"{c.name}.shape", [0, *x])], f"{c.name}{SEP}reshape")


@exporter("pad")
def pad(g: Graph, c: Context, layer: Any) -> str:
    x = c.shapes[0]
    layer = _fit(x, layer, ("before", "after"))
    pads = [0, 0, *layer.before, 0, 0, *layer.after]
    return g.op("Pad", [c.inputs[0], g.ints(f"{c.name}.pads", pads)], c.name, mode=layer.mode)


@exporter("upsample")
def upsample(g: Graph, c: Context, layer: Any) -> str:
    """Resize by whole scales (any batch); to a size that is not a whole multiple, Resize to sizes (batch 1)."""
    x = c.shapes[0]
    mode = "linear" if layer.mode == "bilinear" else "nearest"
    attributes: dict[str, Any] = {"mode": mode}
    if mode == "nearest":
        attributes["nearest_mode"] = "floor"
        attributes["coordinate_transformation_mode"] = "asymmetric"
    if all(o % n == 0 for n, o in zip(x[1:], c.output[1:], strict=True)):
        scales = g.floats(f"{c.name}.scales", [1.0, 1.0, *(o / n for n, o in zip(x[1:], c.output[1:], strict=True))])
        return g.op("Resize", [c.inputs[0], "", scales], c.name, **attributes)
    sizes = g.ints(f"{c.name}.sizes", [1, x.channels, *c.output[1:]])
    return g.op("Resize", [c.inputs[0], "", "", sizes], c.name, **attributes)


@exporter("pixelshuffle")
def pixelshuffle(g: Graph, c: Context, layer: Any) -> str:
    if len(c.shapes[0]) != 3:
        raise Unsupported("a pixel shuffle of a map that is not 2-D (DepthToSpace is 2-D)")
    return g.op("DepthToSpace", [c.inputs[0]], c.name, blocksize=layer.factor, mode="CRD")


@exporter("pixelunshuffle")
def pixelunshuffle(g: Graph, c: Context, layer: Any) -> str:
    if len(c.shapes[0]) != 3:
        raise Unsupported("a pixel unshuffle of a map that is not 2-D (SpaceToDepth is 2-D)")
    return g.op("SpaceToDepth", [c.inputs[0]], c.name, blocksize=layer.factor)
