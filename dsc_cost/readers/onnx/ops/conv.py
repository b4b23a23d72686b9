"""Conv and ConvTranspose: ``conv``, ``depthwise``, ``pointwise`` and ``convtranspose`` layers, and a depthwise conv
whose output goes only to a 1×1 conv fused with it into one ``separable`` layer."""

from __future__ import annotations

from typing import Any

from ....formulas import Bias
from ....layers.base import Layer
from ....layers.conv import ConvLayer
from ....layers.convtranspose import ConvTransposeLayer
from ....layers.depthwise import DepthwiseLayer
from ....layers.pointwise import PointwiseLayer
from ....layers.separable import SeparableLayer
from ..builder import _act, _auto_pad, _Builder, _const, _image, _new_image, _padding, _pairs
from ..registry import builtin
from ..values import Attrs, Data, InvalidValue, NotUnderstood, _found, _prod, _shown

_CONV = (
    "group, strides, pads (asymmetric: as the symmetric padding of the same output size), auto_pad, dilations, "
    "kernel_shape (must be the weight's); the weight's dims (must fit the input's channels and the groups) and bias"
)


def _conv_inputs(b: _Builder, node: Any) -> tuple[Data, tuple[int, ...], Attrs]:
    """A Conv's or ConvTranspose's image, the dims of its weight (a constant of 4, each at least 1) and its
    attributes."""
    x = _act(b, node.input[0])
    _image(x)
    weight = _const(b, node.input[1]) if len(node.input) > 1 else None
    if weight is None or weight.dims is None or len(weight.dims) != 4:
        raise NotUnderstood("a weight that is not a constant of 4 dims")
    if min(weight.dims) < 1:
        where = f"input 1 ({_shown(node.input[1])})"
        raise InvalidValue(where, f"expected a weight whose dims are each at least 1, found {_found(weight.dims)}")
    return x, weight.dims, b.attrs(node)


def _kernel_shape(attrs: Attrs, dims: tuple[int, ...]) -> None:
    """A conv's ``kernel_shape``, when given, is its weight's last dims."""
    given = attrs.integers("kernel_shape", 1)
    if given is not None and tuple(given) != dims[2:]:
        raise InvalidValue("kernel_shape", f"expected the weight's {_found(dims[2:])}, found {_found(given)}")


def _per_group(channels: int, groups: int) -> str:
    return f"{channels // groups:,}" if channels % groups == 0 else f"{channels:,}/{groups:,}"


def _bias_dims(b: _Builder, node: Any, out: int, index: int = 2) -> None:
    """A bias (input ``index``), when it is a constant of known dims, holds one value per output channel (or one,
    broadcast)."""
    bias = _const(b, node.input[index]) if len(node.input) > index and node.input[index] else None
    if bias is not None and bias.dims is not None and _prod(bias.dims) not in (1, out):
        where = f"input {index} ({_shown(node.input[index])})"
        raise InvalidValue(where, f"expected a bias of {out:,} values (one per output), found dims {_found(bias.dims)}")


def _conv(b: _Builder, node: Any) -> None:
    x, dims, attrs = _conv_inputs(b, node)
    shape = b.shapes[x.ref]
    out, _, kh, kw = dims
    _kernel_shape(attrs, dims)
    kernel, stride, dilation = (kh, kw), _pairs(attrs, "strides", 1), _pairs(attrs, "dilations", 1)
    groups = attrs.integer("group", 1, 1)
    if dims[1] * groups != shape.channels or out % groups:
        raise InvalidValue(
            f"input 1 ({_shown(node.input[1])})",
            f"expected a weight of {shape.channels:,} input channels in {groups:,} group{'s' if groups > 1 else ''}"
            f" (dims [O, {_per_group(shape.channels, groups)}, kH, kW], O divisible by the groups), found dims"
            f" {_found(dims)}",
        )
    _bias_dims(b, node, out)
    padding = _padding(attrs, (shape.height, shape.width), kernel, stride, dilation)
    bias = len(node.input) > 2 and bool(node.input[2])
    layer: Layer
    if kernel == (1, 1) and groups == 1 and padding in ((0, 0), "valid", "same") and dilation == (1, 1):
        kind, layer = "pointwise", PointwiseLayer(out, stride, bias)
        if _fuse_separable(b, node, x, layer):
            return
    elif groups == shape.channels and out % groups == 0 and groups > 1:
        kind, layer = "depthwise", DepthwiseLayer(kernel, stride, padding, dilation, out // groups, bias)
    else:
        kind, layer = "conv", ConvLayer(out, kernel, stride, padding, dilation, groups, bias)
    _new_image(b, node, b.add(node.name, kind, layer, (x.ref,), node.output[0]))


def _fuse_separable(b: _Builder, node: Any, x: Data, pointwise: PointwiseLayer) -> bool:
    """A 1×1 conv (stride 1) on a depthwise conv's output, straight or through one activation, each read
    only by the next: one separable layer, as specs write them (the activation between is left out)."""
    if pointwise.stride != (1, 1) or b.consumers[node.input[0]] != 1 or not b.nodes:
        return False
    chain = [x.ref]
    entry = b.entry(x.ref)
    if entry is None:  # the input, or a part of a split
        return False
    if entry[1] == "activation":
        source = entry[3][0]
        entry = b.entry(source)
        if entry is None or b.consumers[b.tensor_of.get(source, "")] != 1:
            return False
        chain.insert(0, source)
    if entry[1] != "depthwise":
        return False
    dw: DepthwiseLayer = entry[2]
    if dw.bias and not pointwise.bias:
        return False
    bias: Bias = "both" if dw.bias else pointwise.bias
    separable = SeparableLayer(pointwise.out, dw.kernel, dw.stride, dw.padding, dw.dilation, dw.multiplier, bias)
    if len(chain) == 2:
        del b.nodes[chain[1]]
    entry[1], entry[2] = "separable", separable
    b.shapes[entry[0]] = separable.evaluate((b.shapes[entry[3][0]],)).output
    _new_image(b, node, entry[0])
    return True


def _conv_transpose(b: _Builder, node: Any) -> None:
    x, dims, attrs = _conv_inputs(b, node)
    if attrs.integers("output_shape", 1) or _auto_pad(attrs) != "NOTSET":
        raise NotUnderstood("output_shape or auto_pad (give pads)")
    _, per_group, kh, kw = dims
    _kernel_shape(attrs, dims)
    groups = attrs.integer("group", 1, 1)
    channels = b.shapes[x.ref].channels
    if dims[0] != channels or channels % groups:
        raise InvalidValue(
            f"input 1 ({_shown(node.input[1])})",
            f"expected a weight of {channels:,} input channels (dims [{channels:,}, O/groups, kH, kW], in"
            f" {groups:,} group{'s' if groups > 1 else ''}), found dims {_found(dims)}",
        )
    _bias_dims(b, node, per_group * groups)
    pads = attrs.integers("pads", 0) or [0, 0, 0, 0]
    if len(pads) != 4 or pads[0] != pads[2] or pads[1] != pads[3]:
        raise NotUnderstood(f"pads {_found(pads)} (symmetric 2-D pads only)")
    layer = ConvTransposeLayer(
        per_group * groups, (kh, kw), _pairs(attrs, "strides", 1), (int(pads[0]), int(pads[1])),
        _pairs(attrs, "output_padding", 0), _pairs(attrs, "dilations", 1), groups,
        len(node.input) > 2 and bool(node.input[2]),
    )  # fmt: skip
    _new_image(b, node, b.add(node.name, "convtranspose", layer, (x.ref,), node.output[0]))


builtin(
    "Conv",
    _conv,
    "`conv`; `depthwise` with one group per input channel; `pointwise` when 1×1; a depthwise conv whose output "
    "goes only to a 1×1 conv (straight or through one activation) and that conv: one `separable` layer",
    _CONV,
    weights=(1, 2),
)
builtin(
    "ConvTranspose",
    _conv_transpose,
    "`convtranspose`",
    "group, strides, pads (symmetric), output_padding, dilations, kernel_shape; the weight's dims and bias "
    "(output_shape and auto_pad: not understood)",
    weights=(1, 2),
)
