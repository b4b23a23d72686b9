"""Pooling: MaxPool, AveragePool, their global forms, and a ReduceMean over H and W (``pool`` layers)."""

from __future__ import annotations

from typing import Any, Literal

from ....layers.pool import PoolLayer
from ..builder import _act, _axis, _Builder, _const, _image, _new_image, _padding, _pairs, _set
from ..registry import builtin
from ..values import Data, NotUnderstood, _whole


def _pool(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    _image(x)
    mode: Literal["max", "avg"] = "max" if "Max" in node.op_type else "avg"
    if node.op_type.startswith("Global"):
        layer = PoolLayer(mode, global_=True)
    else:
        attrs = b.attrs(node)
        kernel = _pairs(attrs, "kernel_shape", 1)
        stride, dilation = _pairs(attrs, "strides", 1), _pairs(attrs, "dilations", 1)
        if dilation != (1, 1):
            raise NotUnderstood("dilated pooling")
        shape = b.shapes[x.ref]
        ceil = bool(attrs.integer("ceil_mode", 0, 0, 1))
        padding = _padding(attrs, (shape.height, shape.width), kernel, stride, dilation, ceil)
        layer = PoolLayer(mode, kernel, stride, padding, False, ceil)
    _new_image(b, node, b.add(node.name, "pool", layer, (x.ref,), node.output[0]))


def _reduce_mean(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    _image(x)
    attrs = b.attrs(node)
    axes = attrs.integers("axes")
    if axes is None and len(node.input) > 1 and node.input[1]:
        const = _const(b, node.input[1])
        axes = _whole("axes", const.values) if const is not None and const.values is not None else None
    keep = attrs.integer("keepdims", 1, 0, 1)
    if axes is None or sorted(_axis(b, "axes", a, 4) for a in axes) != [2, 3]:
        raise NotUnderstood("axes other than the spatial ones")
    ref = b.add(node.name, "pool", PoolLayer("avg", global_=True), (x.ref,), node.output[0])
    channels = b.shapes[ref].channels
    dims = (1, channels, 1, 1) if keep else (1, channels)
    _set(b, node, Data(dims, ref, 1))


builtin("MaxPool", _pool, "`pool` max", "kernel_shape, strides, pads, auto_pad, ceil_mode (dilations: 1 only)")
builtin("AveragePool", _pool, "`pool` avg", "kernel_shape, strides, pads, auto_pad, ceil_mode (dilations: 1 only)")
builtin("GlobalAveragePool", _pool, "`pool` avg, global")
builtin("GlobalMaxPool", _pool, "`pool` max, global")
builtin(
    "ReduceMean", _reduce_mean, "`pool` avg, global (over H and W only)", "axes (attribute or constant input), keepdims"
)
