"""How each Keras layer class is read: a handler per class name (:data:`HANDLERS`), mapping the layer onto the
layer types of the registry (:mod:`dsc_cost.layers`). docs/keras.md's table is generated from it."""

from __future__ import annotations

from collections.abc import Callable
from math import prod
from typing import Literal, NamedTuple

from ...formulas import Shape
from ...layers.activation import ActivationLayer
from ...layers.add import AddLayer
from ...layers.base import Layer
from ...layers.batchnorm import BatchNormLayer
from ...layers.concat import ConcatLayer
from ...layers.conv import ConvLayer
from ...layers.convtranspose import ConvTransposeLayer
from ...layers.depthwise import DepthwiseLayer
from ...layers.layernorm import LayerNormLayer
from ...layers.linear import LinearLayer
from ...layers.mul import MulLayer
from ...layers.pad import PadLayer
from ...layers.pointwise import PointwiseLayer
from ...layers.pool import PoolLayer
from ...layers.separable import SeparableLayer
from ...layers.upsample import UpsampleLayer
from .build import Builder, Config, Invalid, Tensor, Unknown, dims_text, found

Read = Callable[[Builder, str, Config, list[Tensor]], Tensor]

ACTIVATIONS = {
    "relu": "relu", "relu6": "relu6", "sigmoid": "sigmoid", "hard_sigmoid": "hardsigmoid",
    "hard_silu": "hardswish", "hard_swish": "hardswish", "silu": "silu", "swish": "silu", "gelu": "gelu",
    "tanh": "tanh",
}  # fmt: skip
"""Keras' activations (by name, as a layer argument or an ``Activation`` layer) and the ``activation`` they are."""

NO_ACTIVATION = ("linear", "softmax")
"""Activations read as nothing: ``linear`` is none; ``softmax``, the classifier's, has no params and no mults, and
its element-wise work is not among dsc-cost's other operations."""


def _one(inputs: list[Tensor]) -> Tensor:
    if len(inputs) != 1:
        raise Invalid("inputs", f"expected one input, found {len(inputs)}")
    return inputs[0]


def _activate(b: Builder, name: str, value: object, x: Tensor) -> Tensor:
    """``x`` through the activation ``value`` (a name: a node ``NAME_FN``; nothing for linear and softmax)."""
    if value is None or value in NO_ACTIVATION:
        return x
    if not isinstance(value, str):
        raise Invalid("activation", f"expected the name of an activation, found {found(value)}")
    fn = ACTIVATIONS.get(value)
    if fn is None:
        raise Unknown(f"activation {value!r}")
    return b.add(name, "activation", ActivationLayer(fn), [x])


def _spatial(b: Builder, config: Config, x: Tensor, dims: int) -> None:
    """The layer's ``data_format`` must be the model's (read before the layers: :func:`.model.data_format`)."""
    expected = "channels_last" if b.last else "channels_first"
    value = config.get("data_format", expected)
    if value != expected:
        raise Invalid("data_format", f"expected {expected!r}, the model's, found {found(value)}")
    b.image(x, (dims + 1,))


def _padding(config: Config, causal: bool = False) -> Literal["same", "valid"]:
    choices = ("valid", "same", "causal") if causal else ("valid", "same")
    value = config.choice("padding", "valid", choices)
    return "valid" if value == "valid" else "same"  # causal pads one side by as much: the same output length


def _conv(dims: int) -> Read:
    def read(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
        x = _one(inputs)
        _spatial(b, config, x, dims)
        out = config.integer("filters")
        kernel = config.sizes("kernel_size", dims)
        stride = config.sizes("strides", dims, 1)
        padding = _padding(config, dims == 1)
        dilation = config.sizes("dilation_rate", dims, 1)
        groups = config.integer("groups", 1)
        bias = config.flag("use_bias", True)
        layer: Layer
        if groups == 1 and all(k == 1 for k in kernel):
            kind, layer = "pointwise", PointwiseLayer(out, stride, bias)
        else:
            kind, layer = "conv", ConvLayer(out, kernel, stride, padding, dilation, groups, bias)
        return _activate(b, f"{name}_activation", config.get("activation"), b.add(name, kind, layer, [x]))

    return read


def _depthwise(dims: int) -> Read:
    def read(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
        x = _one(inputs)
        _spatial(b, config, x, dims)
        layer = DepthwiseLayer(
            config.sizes("kernel_size", dims),
            config.sizes("strides", dims, 1),
            _padding(config, dims == 1),
            config.sizes("dilation_rate", dims, 1),
            config.integer("depth_multiplier", 1),
            config.flag("use_bias", True),
        )
        return _activate(b, f"{name}_activation", config.get("activation"), b.add(name, "depthwise", layer, [x]))

    return read


def _separable(dims: int) -> Read:
    def read(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
        x = _one(inputs)
        _spatial(b, config, x, dims)
        layer = SeparableLayer(
            config.integer("filters"),
            config.sizes("kernel_size", dims),
            config.sizes("strides", dims, 1),
            _padding(config, dims == 1),
            config.sizes("dilation_rate", dims, 1),
            config.integer("depth_multiplier", 1),
            config.flag("use_bias", True),
        )
        return _activate(b, f"{name}_activation", config.get("activation"), b.add(name, "separable", layer, [x]))

    return read


def transposed_padding(padding: str, kernel: int, stride: int, dilation: int, output: int | None) -> tuple[int, int]:
    """Keras' transposed length (``deconv_output_length``) as PyTorch's rule writes it: (padding, output_padding).

    Keras: without output_padding, ``valid`` gives L·s + max(k' − s, 0) and ``same`` L·s (k' = d·(k − 1) + 1);
    with it, (L − 1)·s + k' − 2·pad + output_padding, pad k' // 2 (``same``) or 0. PyTorch's:
    (L − 1)·s − 2·p + k' + output_padding.

    >>> transposed_padding("valid", 3, 2, 1, None), transposed_padding("same", 3, 2, 1, None)
    ((0, 0), (1, 1))
    >>> transposed_padding("same", 4, 2, 1, None), transposed_padding("valid", 1, 2, 1, None)
    ((1, 0), (0, 1))
    """
    span = dilation * (kernel - 1) + 1
    if output is not None:
        return (span // 2 if padding == "same" else 0), output
    if padding == "valid":
        return 0, max(stride - span, 0)
    if span >= stride:  # 2p − op = k' − s
        pad = -(-(span - stride) // 2)
        return pad, 2 * pad - (span - stride)
    return 0, stride - span


def _transpose(dims: int) -> Read:
    def read(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
        x = _one(inputs)
        _spatial(b, config, x, dims)
        kernel = config.sizes("kernel_size", dims)
        stride = config.sizes("strides", dims, 1)
        padding = _padding(config)
        dilation = config.sizes("dilation_rate", dims, 1)
        given = config.get("output_padding")
        extra = config.sizes("output_padding", dims, low=0) if given is not None else (None,) * dims
        pads = [
            transposed_padding(padding, k, s, d, e) for k, s, d, e in zip(kernel, stride, dilation, extra, strict=True)
        ]
        layer = ConvTransposeLayer(
            config.integer("filters"), kernel, stride, tuple(p for p, _ in pads), tuple(o for _, o in pads), dilation,
            1, config.flag("use_bias", True),
        )  # fmt: skip
        kind = "convtranspose"
        return _activate(b, f"{name}_activation", config.get("activation"), b.add(name, kind, layer, [x]))

    return read


def _dense(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
    x = _one(inputs)
    out = config.integer("units")
    bias = config.flag("use_bias", True)
    if len(x.dims) == 1:
        y = b.add(name, "linear", LinearLayer(out, bias), [x], (out,))
    else:  # over the last axis at every position: channels-last only
        if not b.last:
            raise Invalid("input", f"a Dense layer on {dims_text(x.dims)} of a channels_first model: not read")
        b.image(x)
        y = b.add(name, "linear", LinearLayer(out, bias, per_position=True), [x])
    return _activate(b, f"{name}_activation", config.get("activation"), y)


def _axis(b: Builder, config: Config, x: Tensor, default: int) -> None:
    """A norm's ``axis`` must be the channels' (a list of that one axis too)."""
    value = config.get("axis", default)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    rank = len(x.dims) + 1
    if not (isinstance(value, int) and not isinstance(value, bool)) or value % rank != b.channel_axis(rank):
        expected = f"the channels' axis, {b.channel_axis(rank)} of {dims_text(x.dims)}"
        raise Invalid("axis", f"expected {expected}, found {found(value)}")


def _centered(config: Config, layer: str) -> None:
    for key in ("center", "scale"):
        if not config.flag(key, True):
            raise Unknown(f"{layer} without its {'shift' if key == 'center' else 'scale'} ({key}: false)")


def _batchnorm(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
    x = _one(inputs)
    _axis(b, config, x, -1)
    _centered(config, "BatchNormalization")
    if config.get("renorm", False):
        raise Unknown("BatchNormalization with renorm")
    b.image(x, (1, 2, 3, 4))
    return b.add(name, "batchnorm", BatchNormLayer(), [x], x.dims)


def _layernorm(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
    x = _one(inputs)
    _axis(b, config, x, -1)
    _centered(config, "LayerNormalization")
    if config.get("rms_scaling", False):
        raise Unknown("LayerNormalization with rms_scaling")
    b.image(x, (1, 2, 3, 4))
    return b.add(name, "layernorm", LayerNormLayer(), [x], x.dims)


def _activation(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
    return _activate(b, name, config.get("activation"), _one(inputs))


def _relu(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
    x = _one(inputs)
    high = config.number("max_value", None)
    if config.number("negative_slope", 0.0) or config.number("threshold", 0.0):
        raise Unknown("ReLU with a negative_slope or threshold")
    if high is None:
        return b.add(name, "activation", ActivationLayer("relu"), [x])
    if high == 6:
        return b.add(name, "activation", ActivationLayer("relu6"), [x])
    raise Unknown(f"ReLU with max_value {high:g} (6 or none only)")


def _nothing(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
    return _one(inputs)


def _normalization(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
    """Nothing; its mean, variance and count, where adapted (not given in the config), are values the model keeps."""
    x = _one(inputs)
    if config.get("mean") is None:
        axis = config.get("axis", -1)
        if axis is None:  # one mean and variance of every value
            b.statistics += 3
            return x
        axes = axis if isinstance(axis, list) else [axis]
        rank = len(x.dims) + 1
        if not all(isinstance(a, int) and not isinstance(a, bool) and -rank < a < rank and a % rank for a in axes):
            raise Invalid("axis", f"expected axes of {dims_text(x.dims)} (not the batch's), found {found(axis)}")
        b.statistics += 2 * prod(x.dims[a % rank - 1] for a in axes) + 1
    return x


def _zero_padding(dims: int) -> Read:
    def read(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
        x = _one(inputs)
        _spatial(b, config, x, dims)
        value = config.get("padding", 1)
        if isinstance(value, int) and not isinstance(value, bool):
            value = [[value, value]] * dims
        elif isinstance(value, list) and len(value) == dims and all(isinstance(v, int) for v in value):
            value = [[v, v] for v in value]
        if dims == 1 and isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
            value = [value]
        ok = isinstance(value, list) and len(value) == dims
        ok = ok and all(isinstance(v, list) and len(v) == 2 for v in value)
        ok = ok and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for v in value for n in v)
        if not ok:
            raise Invalid("padding", f"expected a whole number ≥ 0 or {dims} pairs of them, found {found(value)}")
        layer = PadLayer(tuple(v[0] for v in value), tuple(v[1] for v in value))
        return b.add(name, "pad", layer, [x])

    return read


def _pool(dims: int, mode: str) -> Read:
    def read(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
        x = _one(inputs)
        _spatial(b, config, x, dims)
        kernel = config.sizes("pool_size", dims, 2)
        stride = config.sizes("strides", dims, kernel) if config.get("strides") is not None else kernel
        layer = PoolLayer(mode, kernel, stride, _padding(config))  # type: ignore[arg-type]
        return b.add(name, "pool", layer, [x])

    return read


def _global_pool(dims: int, mode: str) -> Read:
    def read(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
        x = _one(inputs)
        _spatial(b, config, x, dims)
        keep = config.flag("keepdims", False)
        shape = b.shapes[x.ref]
        out = b.dims(Shape.of(shape.channels, (1,) * shape.dims)) if keep else (shape.channels,)
        return b.add(name, "pool", PoolLayer(mode, global_=True), [x], out)  # type: ignore[arg-type]

    return read


def _merge(b: Builder, name: str, kind: str, layer: Layer, inputs: list[Tensor]) -> Tensor:
    if len(inputs) < 2:
        raise Invalid("inputs", f"expected two or more inputs, found {len(inputs)}")
    rank = max(len(t.dims) for t in inputs)
    dims = tuple(max(t.dims[i] for t in inputs if len(t.dims) == rank) for i in range(rank))
    return b.add(name, kind, layer, inputs, dims)


def _add(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
    if len(inputs) == 1:  # x + 3.0, a keras.ops call on one tensor and a constant
        return inputs[0]
    return _merge(b, name, "add", AddLayer(), inputs)


def _constant(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
    if len(inputs) != 1:
        raise Unknown(f"of {len(inputs)} tensors (of one tensor and a constant only)")
    return inputs[0]


def _multiply(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
    if len(inputs) == 1:  # x * (1 / 6), a keras.ops call on one tensor and a constant
        return inputs[0]
    if len(inputs) > 2:
        raise Unknown(f"Multiply of {len(inputs)} inputs (two only)")
    return _merge(b, name, "mul", MulLayer(), inputs)


def _concatenate(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
    rank = len(inputs[0].dims) + 1 if inputs else 0
    axis = config.get("axis", -1)
    if not (isinstance(axis, int) and not isinstance(axis, bool)) or axis % max(rank, 1) != b.channel_axis(rank):
        raise Unknown(f"Concatenate on the axis {found(axis)} (the channels' only)")
    for x in inputs:
        b.image(x, (1, 2, 3, 4))
    if len(inputs) < 2:
        raise Invalid("inputs", f"expected two or more inputs, found {len(inputs)}")
    shape = b.shapes[inputs[0].ref]
    channels = sum(b.shapes[x.ref].channels for x in inputs)
    return b.add(name, "concat", ConcatLayer(), inputs, b.dims(shape._replace(channels=channels)))


def _reshape(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
    x = _one(inputs)
    target = config.get("target_shape")
    whole = isinstance(target, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in target)
    if not whole or not target:
        raise Invalid("target_shape", f"expected a list of whole numbers (one may be -1), found {found(target)}")
    size = prod(x.dims)
    known = prod(v for v in target if v != -1)
    if target.count(-1) > 1 or any(v < -1 or v == 0 for v in target) or (-1 not in target and known != size):
        expected = f"sizes of {size:,} values in all ({dims_text(x.dims)})"
        raise Invalid("target_shape", f"expected {expected}, found {found(target)}")
    if -1 in target:
        if size % known:
            raise Invalid("target_shape", f"{size:,} values ({dims_text(x.dims)}) do not fill {found(target)}")
        target = [size // known if v == -1 else v for v in target]
    return Tensor(x.ref, tuple(target))


def _flatten(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
    x = _one(inputs)
    return Tensor(x.ref, (prod(x.dims),))


def _upsampling(dims: int) -> Read:
    def read(b: Builder, name: str, config: Config, inputs: list[Tensor]) -> Tensor:
        x = _one(inputs)
        _spatial(b, config, x, dims)
        mode = config.get("interpolation", "nearest")
        if mode not in ("nearest", "bilinear"):
            raise Unknown(f"UpSampling with interpolation {found(mode)} (nearest and bilinear only)")
        layer = UpsampleLayer(config.sizes("size", dims, 2), None, mode)
        return b.add(name, "upsample", layer, [x])

    return read


class Handler(NamedTuple):
    """How the reader reads one layer class: ``read`` (the builder, the layer's name, its config, its inputs:
    its output), what it becomes (``costs``) and the config keys it reads (``reads``): a row of docs/keras.md."""

    read: Read
    costs: str
    reads: str = ""


_GEOMETRY = "kernel_size, strides, padding (valid, same), dilation_rate, data_format"
_ACT = "activation (as a layer after it, named NAME_activation)"
_NOTHING = "nothing: the same values"
_ND = {1: "1D", 2: "2D", 3: "3D"}

HANDLERS: dict[str, Handler] = {}
for _n, _d in _ND.items():
    HANDLERS[f"Conv{_d}"] = Handler(
        _conv(_n), "`conv` (grouped with groups); `pointwise` when 1×1 with one group",
        f"filters, {_GEOMETRY}{', causal' if _n == 1 else ''}, groups, use_bias, {_ACT}",
    )  # fmt: skip
for _n, _d in _ND.items():
    if _n < 3:
        HANDLERS[f"DepthwiseConv{_d}"] = Handler(
            _depthwise(_n), "`depthwise`", f"{_GEOMETRY}, depth_multiplier, use_bias, {_ACT}"
        )
for _n, _d in _ND.items():
    if _n < 3:
        HANDLERS[f"SeparableConv{_d}"] = Handler(
            _separable(_n), "`separable` (the bias on the pointwise step)",
            f"filters, {_GEOMETRY}, depth_multiplier, use_bias, {_ACT}",
        )  # fmt: skip
for _n, _d in _ND.items():
    HANDLERS[f"Conv{_d}Transpose"] = Handler(
        _transpose(_n), "`convtranspose` (Keras' output size, written as PyTorch's padding and output_padding)",
        f"filters, {_GEOMETRY}, output_padding, use_bias, {_ACT}",
    )  # fmt: skip
HANDLERS.update({
    "Dense": Handler(_dense, "`linear`; on a map, over its channels at each position: `per_position: true`",
                     f"units, use_bias, {_ACT}"),
    "BatchNormalization": Handler(
        _batchnorm, "`batchnorm`: 2 × C params, and its moving mean and variance (2 × C) non-trainable",
        "axis (the channels'), center and scale (true only)"),
    "LayerNormalization": Handler(
        _layernorm, "`layernorm` over the channels", "axis (the channels'), center and scale (true only)"),
    "Activation": Handler(
        _activation, "`activation` (relu, relu6, sigmoid, hard_sigmoid, hard_silu, silu, gelu, tanh); "
        "linear and softmax: nothing", "activation"),
    "ReLU": Handler(_relu, "`activation` relu, relu6 (max_value 6)", "max_value, negative_slope (0), threshold (0)"),
    "Softmax": Handler(_nothing, "nothing (no params, no mults)"),
})  # fmt: skip
for _n, _d in _ND.items():
    HANDLERS[f"ZeroPadding{_d}"] = Handler(_zero_padding(_n), "`pad` (zeros)", "padding, data_format")
for _n, _d in _ND.items():
    for _mode, _word in (("max", "Max"), ("avg", "Average")):
        HANDLERS[f"{_word}Pooling{_d}"] = Handler(
            _pool(_n, _mode), f"`pool` {_mode}", "pool_size, strides, padding (valid, same), data_format"
        )
for _n, _d in _ND.items():
    for _mode, _word in (("max", "Max"), ("avg", "Average")):
        HANDLERS[f"Global{_word}Pooling{_d}"] = Handler(
            _global_pool(_n, _mode), f"`pool` {_mode}, global", "keepdims, data_format"
        )
HANDLERS.update({
    "Add": Handler(_add, "`add`; of one tensor and a constant (`x + 3.0`, a keras.ops call): nothing"),
    "Multiply": Handler(_multiply, "`mul` (of two inputs); of one tensor and a constant: nothing"),
    "Subtract": Handler(_constant, "of one tensor and a constant (a keras.ops call): nothing"),
    "TrueDivide": Handler(_constant, "of one tensor and a constant (a keras.ops call): nothing"),
    "Concatenate": Handler(_concatenate, "`concat`", "axis (the channels' only)"),
    "Reshape": Handler(_reshape, _NOTHING + " (a view)", "target_shape"),
    "Flatten": Handler(_flatten, _NOTHING + " (a view)"),
    "Dropout": Handler(_nothing, _NOTHING),
    "SpatialDropout1D": Handler(_nothing, _NOTHING),
    "SpatialDropout2D": Handler(_nothing, _NOTHING),
    "SpatialDropout3D": Handler(_nothing, _NOTHING),
    "GaussianDropout": Handler(_nothing, _NOTHING),
    "GaussianNoise": Handler(_nothing, _NOTHING),
    "Identity": Handler(_nothing, _NOTHING),
    "Rescaling": Handler(_nothing, "nothing (a constant scale and offset)"),
    "Normalization": Handler(
        _normalization, "nothing; where adapted, its mean, variance and count (2 × C + 1) are values the model "
        "keeps, not weights (see below)", "axis, mean and variance (given: none kept)"),
})  # fmt: skip
for _n, _d in _ND.items():
    HANDLERS[f"UpSampling{_d}"] = Handler(_upsampling(_n), "`upsample`", "size, interpolation (nearest, bilinear)")

ALIASES = {"Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D",
           "Convolution2DTranspose": "Conv2DTranspose", "SeparableConvolution2D": "SeparableConv2D"}  # fmt: skip
"""Older names of the same classes."""
