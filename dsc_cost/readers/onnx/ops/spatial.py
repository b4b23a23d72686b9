"""Ops of the spatial sizes: DepthToSpace and SpaceToDepth (``pixelshuffle``, ``pixelunshuffle``), Pad (``pad``),
Resize and Upsample (``upsample``)."""

from __future__ import annotations

import math
from typing import Any

from ....formulas import ShapeError
from ....layers.base import Layer
from ....layers.pad import PadLayer
from ....layers.pixelshuffle import PixelShuffleLayer, PixelUnshuffleLayer
from ....layers.upsample import UpsampleLayer
from ..builder import _act, _axis, _Builder, _const, _image, _new_image, _set
from ..registry import OpNode, builtin, register_op
from ..values import Data, InvalidValue, NotUnderstood, _found, _shown, _whole


def _depth_to_space(op: OpNode) -> Layer:
    """DepthToSpace (either mode: the same shape) and SpaceToDepth: ``pixelshuffle`` and ``pixelunshuffle``. A
    handler of the public form (:func:`~dsc_cost.readers.onnx.register_op`), as a plugin's would be."""
    if not isinstance(op.inputs[0], Data):
        raise NotUnderstood("an input that is not the network's data")
    if len(op.shape) != 3:
        raise NotUnderstood("an input that is not N×C×H×W")
    if "blocksize" not in op.attrs:
        raise InvalidValue("blocksize", "expected a positive integer (a required attribute), found none")
    factor = op.attrs.integer("blocksize", 1, 1)
    layer: Layer
    if op.node.op_type == "DepthToSpace":
        mode = op.attrs.string("mode", "DCR")
        if mode not in ("DCR", "CRD"):
            raise InvalidValue("mode", f"expected DCR or CRD, found {_found(mode.encode())}")
        layer = PixelShuffleLayer(factor)
    else:
        layer = PixelUnshuffleLayer(factor)
    try:
        layer.evaluate((op.shape,))
    except ShapeError as error:
        raise InvalidValue("blocksize", f"{error.message}") from None
    return layer


_PAD_MODES = ("constant", "reflect", "edge", "wrap")


def _pad(b: _Builder, node: Any) -> None:
    """Pad of H and W (each side its own count, every mode: a copy, nothing counted): ``pad``. Pads of the batch
    or the channels, and negative pads (a crop), are not understood."""
    x = _act(b, node.input[0])
    _image(x)
    attrs = b.attrs(node)
    mode = attrs.string("mode", "constant")
    if mode not in _PAD_MODES:
        raise InvalidValue("mode", f"expected constant, reflect, edge or wrap, found {_found(mode.encode())}")
    pads: list[int] | None = attrs.integers("pads")  # opsets before 11
    if len(node.input) > 1 and node.input[1]:
        const = _const(b, node.input[1])
        if const is None or const.values is None:
            raise NotUnderstood("pads that are not a constant")
        pads = _whole("pads", const.values)
    if pads is None:
        raise InvalidValue("pads", "expected pads (an input or, before opset 11, an attribute), found none")
    axes = list(range(4))
    if len(node.input) > 3 and node.input[3]:
        const = _const(b, node.input[3])
        if const is None or const.values is None:
            raise NotUnderstood("axes that are not a constant")
        axes = [_axis(b, "axes", a, 4) for a in _whole("axes", const.values)]
    if len(pads) != 2 * len(axes) or len(set(axes)) != len(axes):
        found = f"found {len(pads)} pads for {len(axes)} axes"
        raise InvalidValue("pads", f"expected two pads (begin and end) per axis, once each, {found}")
    before, after = [0] * 4, [0] * 4
    for axis, begin, end in zip(axes, pads[: len(axes)], pads[len(axes) :], strict=True):
        before[axis], after[axis] = begin, end
    if any(before[:2]) or any(after[:2]):
        raise NotUnderstood("a pad of the batch or the channels")
    if min(before + after) < 0:
        raise NotUnderstood("a negative pad (a crop)")
    if not any(before) and not any(after):
        _set(b, node, x)
        return
    layer = PadLayer((before[2], before[3]), (after[2], after[3]), mode)
    _new_image(b, node, b.add(node.name, "pad", layer, (x.ref,), node.output[0]))


def _resize(b: _Builder, node: Any) -> None:
    """Resize (and Upsample, its older form) of H and W: ``upsample``, nearest or bilinear (ONNX's linear). Cubic
    is not understood (dsc-cost has no count for its 4×4 taps), nor a resize of the batch or the channels, an
    aspect-ratio policy other than stretch, nor antialiasing where the map shrinks (its filter is wider)."""
    x = _act(b, node.input[0])
    _image(x)
    attrs = b.attrs(node)
    mode = attrs.string("mode", "nearest")
    if mode not in ("nearest", "linear"):
        raise NotUnderstood(f"mode {_shown(mode)!r} (nearest and linear only)")
    shape = b.shapes[x.ref]
    names = list(node.input[1:])
    if node.op_type == "Resize":  # X, roi, scales, sizes
        names = names[1:]
    sizes: list[int] | None = None
    scales: list[Any] | None = None
    for index, name in enumerate(names[:2]):
        const = _const(b, name) if name else None
        if const is not None and const.values:
            if index == 0:
                scales = const.values
            else:
                sizes = _whole("sizes", const.values, 1, "sizes")
    if "scales" in attrs:
        scales = attrs.numbers("scales")
    fn = "bilinear" if mode == "linear" else "nearest"
    if scales is not None and sizes is None:
        for value in scales:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < math.inf:
                raise InvalidValue("scales", f"expected finite numbers above 0, found {_found(list(scales))}")
    axes = attrs.integers("axes")
    if axes is not None:  # opset 18: scales or sizes of these axes only
        axes = [_axis(b, "axes", a, 4) for a in axes]
        given = sizes if sizes is not None else scales
        if len(set(axes)) != len(axes) or (given is not None and len(given) != len(axes)):
            raise InvalidValue("axes", f"expected distinct axes, one per scale or size, found {_found(axes)}")
        if sizes is not None:
            sizes = [sizes[axes.index(i)] if i in axes else d for i, d in enumerate(x.dims)]
        elif scales is not None:
            scales = [scales[axes.index(i)] if i in axes else 1 for i in range(4)]
    if sizes is not None and len(sizes) == 4 and tuple(sizes[:2]) != x.dims[:2]:
        raise NotUnderstood("a resize of the batch or the channels")
    if sizes is None and scales is not None and len(scales) == 4 and list(scales[:2]) != [1, 1]:
        raise NotUnderstood("a resize of the batch or the channels")
    if sizes is not None and attrs.string("keep_aspect_ratio_policy", "stretch") != "stretch":
        raise NotUnderstood("an aspect-ratio policy other than stretch")
    if sizes is not None and len(sizes) == 4:
        layer = UpsampleLayer(None, (sizes[2], sizes[3]), fn)
    elif scales is not None and len(scales) == 4 and all(float(s).is_integer() and s >= 1 for s in scales[2:]):
        layer = UpsampleLayer((int(scales[2]), int(scales[3])), None, fn)
    elif scales is not None and len(scales) == 4:
        size = (int(shape.height * scales[2]), int(shape.width * scales[3]))
        if min(size) < 1:
            found = f"found {_found(list(scales))}, which makes {shape.height}×{shape.width} {size[0]}×{size[1]}"
            raise InvalidValue("scales", f"expected scales that leave at least 1×1, {found}")
        layer = UpsampleLayer(None, size, fn)
    else:
        raise NotUnderstood("scales or sizes that are not constants")
    shrinks = layer.size is not None and (layer.size[0] < shape.height or layer.size[1] < shape.width)
    if mode == "linear" and shrinks and attrs.integer("antialias", 0, 0, 1):
        raise NotUnderstood("antialiasing where the map shrinks")
    _new_image(b, node, b.add(node.name, "upsample", layer, (x.ref,), node.output[0]))


register_op(
    "DepthToSpace",
    _depth_to_space,
    costs="`pixelshuffle` (C×H×W → C/r² × H·r × W·r)",
    reads="blocksize, mode (DCR or CRD: the same shape)",
)
register_op("SpaceToDepth", _depth_to_space, costs="`pixelunshuffle` (C×H×W → C·r² × H/r × W/r)", reads="blocksize")
builtin(
    "Resize",
    _resize,
    "`upsample` of H and W (nearest; bilinear for linear); cubic: not understood (no count of its 4×4 taps)",
    "mode (nearest or linear), scales or sizes (constant inputs), axes, keep_aspect_ratio_policy (stretch only "
    "with sizes), antialias (linear: not where the map shrinks); scales or sizes of N or C: not understood",
)
builtin(
    "Upsample",
    _resize,
    "`upsample` of H and W (nearest; bilinear for linear); cubic: not understood",
    "mode (nearest or linear), scales (attribute or constant input)",
)
builtin(
    "Pad",
    _pad,
    "`pad` of H and W (each side its own count; every mode a copy: nothing counted); pads of 0: nothing",
    "pads (a constant input; before opset 11, an attribute), mode (constant, reflect, edge or wrap), "
    "constant_value (any: the same cost), axes (a constant input); pads of N or C and negative pads: not "
    "understood",
)
