"""The channels taken apart and put together: Concat, Split, and the Slices of one output's channels, which
are the parts of one ``split`` layer however many Slices take them."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from ....formulas import Shape
from ....layers.concat import ConcatLayer
from ....layers.split import SplitLayer
from ..builder import _act, _axis, _Builder, _const, _Cuts, _image, _new_image, _Output, _set
from ..registry import builtin
from ..values import Data, InvalidValue, NotUnderstood, _found, _whole


def _concat(b: _Builder, node: Any) -> None:
    acts = [_act(b, name) for name in node.input]
    attrs = b.attrs(node)
    if "axis" not in attrs:
        raise InvalidValue("axis", "expected an integer (a required attribute), found none")
    first = acts[0]
    axis = _axis(b, "axis", attrs.integer("axis", 0), len(first.dims))
    if any(a.axis is None or len(a.dims) != len(first.dims) for a in acts):
        raise NotUnderstood("inputs whose channels are not known")
    if axis != first.axis or any(a.axis != first.axis for a in acts):
        raise NotUnderstood("concatenation along an axis that is not the channels'")
    if first.axis != 1 or len(first.dims) != 4:
        raise NotUnderstood("inputs that are not N×C×H×W")
    if len(acts) == 1:
        _set(b, node, first)
        return
    _new_image(b, node, b.add(node.name, "concat", ConcatLayer(), [a.ref for a in acts], node.output[0]))


def _split_node(b: _Builder, onnx_name: str, source: str, layer: SplitLayer, tensor: str) -> str:
    """A ``split`` layer of ``source`` (its name), its parts read as ``NAME.0``, ``NAME.1``, ..."""
    name = b.add(onnx_name or "split", "split", layer, (source,), tensor)
    _parts(b, name, layer.outputs(b.shapes[source]))
    return name


def _parts(b: _Builder, name: str, shapes: Sequence[Shape]) -> None:
    for index, shape in enumerate(shapes):
        part = f"{name}.{index}"
        b.names.add(part)
        b.shapes[part] = shape
        b.parts[part] = name


def _split(b: _Builder, node: Any) -> None:
    """A Split on the channels: a ``split`` layer, ``parts: n`` for equal parts (``num_outputs``), else its
    ``sizes``."""
    x = _act(b, node.input[0])
    _image(x)
    attrs = b.attrs(node)
    if _axis(b, "axis", attrs.integer("axis", 0), 4) != 1:
        raise NotUnderstood("a split along an axis that is not the channels'")
    channels = x.dims[1]
    sizes: list[int] | None = None
    if len(node.input) > 1 and node.input[1]:
        const = _const(b, node.input[1])
        sizes = _whole("split", const.values, 0) if const is not None and const.values is not None else None
    elif "split" in attrs:
        sizes = attrs.integers("split", 0)
    else:  # equal parts, the last smaller where they do not divide the channels (as ONNX's num_outputs)
        count = attrs.integer("num_outputs", len(node.output), 1)
        if count > channels or count != len(node.output):
            raise NotUnderstood(f"{count:,} parts of {channels:,} channels")
        size = -(-channels // count)
        sizes = [size] * (count - 1) + [channels - size * (count - 1)]
    if sizes is None or sum(sizes) != channels or len(sizes) != len(node.output) or min(sizes) < 1:
        raise NotUnderstood("split sizes that are not known")
    if len(sizes) == 1:
        _set(b, node, x)
        return
    equal = len(set(sizes)) == 1 and "split" not in attrs and not (len(node.input) > 1 and node.input[1])
    layer = SplitLayer(None, len(sizes)) if equal else SplitLayer(tuple(sizes))
    name = _split_node(b, node.name, x.ref, layer, node.output[0])
    for index in range(len(sizes)):
        _new_image(b, _Output(node, index), f"{name}.{index}")


def _slice_part(b: _Builder, onnx_name: str, source: str, lo: int, hi: int) -> str:
    """The part of a ``split`` of ``source`` that holds its channels ``lo`` to ``hi``: a part of a split already
    made of Slices of ``source`` where the run is one (or can be made one by cutting a part no one reads yet:
    the split is then one layer, however many Slices take its parts), otherwise a part of a new split."""
    channels = b.shapes[source].channels
    for cuts in b.cuts.get(source, [])[-4:]:  # the latest splits of the source: a bounded search
        if not cuts.fits(lo, hi):
            continue
        bounds = sorted({*cuts.bounds, lo, hi})
        if bounds != cuts.bounds:  # more parts: the parts already read may move
            index = {cut: i for i, cut in enumerate(bounds)}
            old = {cut: i for i, cut in enumerate(cuts.bounds)}
            moved = {f"{cuts.name}.{old[a]}": f"{cuts.name}.{index[a]}" for a in cuts.read}
            _rename_refs(b, cuts.name, {o: n for o, n in moved.items() if o != n})
            entry = b.nodes[cuts.name]
            entry[2] = _runs(bounds)
            _parts(b, cuts.name, entry[2].outputs(b.shapes[source]))
            cuts.bounds = bounds
        cuts.read[lo] = hi
        return f"{cuts.name}.{bisect.bisect_left(cuts.bounds, lo)}"
    bounds = sorted({0, lo, hi, channels})
    layer = _runs(bounds)
    name = _split_node(b, onnx_name or "slice", source, layer, "")
    cuts = _Cuts(name, bounds)
    cuts.read[lo] = hi
    b.cuts.setdefault(source, []).append(cuts)
    return f"{name}.{bounds.index(lo)}"


def _runs(bounds: list[int]) -> SplitLayer:
    """The split at ``bounds`` (0 and C included): ``parts: n`` where the runs are equal, as a spec writes
    ``x.chunk(n, dim=1)``, else their sizes."""
    sizes = tuple(z - a for a, z in pairwise(bounds))
    return SplitLayer(None, len(sizes)) if len(set(sizes)) == 1 else SplitLayer(sizes)


def _rename_refs(b: _Builder, split: str, renamed: dict[str, str]) -> None:
    """Every reference to a part of ``split`` renamed (all at once): the values of the graph and the layers'
    inputs that read its parts (no others: the work is that of the split's readers)."""
    if not renamed:
        return
    for user in b.part_users.get(split, []):
        if isinstance(user, list):  # a layer's entry
            user[3] = tuple(renamed.get(ref, ref) for ref in user[3])
            continue
        value = b.values[user]
        if isinstance(value, Data):
            tag = value.tag
            if tag[:1] == ("sigmoid",):  # ("sigmoid", the output it is of, its tensor)
                tag = (tag[0], renamed.get(tag[1], tag[1]), *tag[2:])
            b.values[user] = value._replace(ref=renamed.get(value.ref, value.ref), tag=tag)


def _slice(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    values: list[list[int] | None] = []
    for index, field in enumerate(("starts", "ends", "axes", "steps"), 1):
        if len(node.input) > index and node.input[index]:
            const = _const(b, node.input[index])
            if const is None or const.values is None:
                raise NotUnderstood("bounds that are not constants")
            values.append(_whole(field, const.values))
        else:
            values.append(None)
    starts, ends, axes, steps = values
    if starts is None or ends is None:
        raise NotUnderstood("bounds that are not constants")
    axes = axes or list(range(len(starts)))
    steps = steps or [1] * len(starts)
    if not len(starts) == len(ends) == len(axes) == len(steps):
        raise InvalidValue("axes", f"expected as many starts, ends, axes and steps, found {len(starts)}, {len(ends)},"
                       f" {len(axes)} and {len(steps)}")  # fmt: skip
    if 0 in steps:
        raise InvalidValue("steps", f"expected steps other than 0, found {_found(steps)}")
    dims = list(x.dims)
    cut = []
    for start, end, axis, step in zip(starts, ends, axes, steps, strict=True):
        axis = _axis(b, "axes", axis, len(dims))
        size = dims[axis]
        lo = max(0, min(size, start + size if start < 0 else start))
        hi = max(0, min(size, end + size if end < 0 else end))
        if (lo, hi) == (0, size) and step == 1:
            continue
        cut.append((axis, lo, hi, step))
    if not cut:
        _set(b, node, x)
        return
    if len(cut) != 1 or cut[0][0] != x.axis or cut[0][3] != 1 or len(dims) != 4 or x.axis != 1:
        raise NotUnderstood("a slice of anything but a run of channels")
    _, lo, hi, _ = cut[0]
    if hi <= lo:
        raise NotUnderstood("a slice of no channels")
    _new_image(b, node, _slice_part(b, node.name, x.ref, lo, hi))


builtin("Concat", _concat, "`concat` (on the channels)", "axis")
builtin(
    "Split",
    _split,
    "`split` on the channels (`parts: n` for equal parts, else `sizes`), its parts read as `NAME.0`, `NAME.1`, …",
    "axis, split (attribute or constant input), num_outputs",
)
builtin(
    "Slice",
    _slice,
    "a part of a `split` of the channels: the Slices of one output into runs that do not overlap are the parts of"
    " one `split`; a Slice of every value: nothing",
    "starts, ends, axes, steps (constant inputs)",
)
