"""Shape ops on the data: Reshape, Flatten, Squeeze, Unsqueeze and Transpose are views (nothing counted), the
channels' axis followed through them; a Reshape, Transpose and Reshape of grouped channels is a ``shuffle``."""

from __future__ import annotations

from typing import Any

from ....layers.shuffle import ShuffleLayer
from ..builder import _act, _axis, _Builder, _const, _set
from ..registry import NOTHING as _NOTHING
from ..registry import builtin
from ..values import MAX_RANK, Data, InvalidValue, NotUnderstood, _found, _prod, _whole


def _reshape_dims(b: _Builder, node: Any, x: Data) -> tuple[int, ...]:
    """The dims a Reshape, Flatten, Squeeze or Unsqueeze gives ``x``."""
    op, attrs, dims = node.op_type, b.attrs(node), list(x.dims)
    if op == "Flatten":
        axis = attrs.integer("axis", 1)
        if not -len(dims) <= axis <= len(dims):
            expected = f"expected an axis from {-len(dims)} to {len(dims)} (of a {len(dims)}-D tensor)"
            raise InvalidValue("axis", f"{expected}, found {_found(axis)}")
        axis %= len(dims) + 1
        return (_prod(dims[:axis]), _prod(dims[axis:]))
    argument: list[int] | None = None
    field = "shape" if op == "Reshape" else "axes"
    if len(node.input) > 1 and node.input[1]:
        const = _const(b, node.input[1])
        argument = _whole(field, const.values) if const is not None and const.values is not None else None
        if argument is None:
            raise NotUnderstood("a shape that is not a constant")
    if op == "Reshape":
        if argument is None:
            raise NotUnderstood("a shape that is not given")
        if len(argument) > MAX_RANK:
            raise NotUnderstood(f"a shape of {len(argument):,} dims")
        zero = not attrs.integer("allowzero", 0, 0, 1)
        if any(v < -1 for v in argument) or argument.count(-1) > 1:
            raise InvalidValue(field, f"expected sizes ≥ 0 and at most one -1, found {_found(argument)}")
        if zero and len(argument) > len(dims) and 0 in argument[len(dims) :]:
            raise NotUnderstood("a 0 (copy the size) beyond the input's dims")
        shape = [dims[i] if v == 0 and zero else v for i, v in enumerate(argument)]
        if -1 in shape:
            known = _prod([v for v in shape if v != -1])
            shape[shape.index(-1)] = _prod(dims) // known if known else 0
        return tuple(shape)
    axes = argument if argument is not None else attrs.integers("axes") or []
    if op == "Squeeze":
        drop = {_axis(b, field, a, len(dims)) for a in axes} if axes else {i for i, d in enumerate(dims) if d == 1}
        return tuple(d for i, d in enumerate(dims) if i not in drop)
    rank = len(dims) + len(axes)
    if rank > MAX_RANK:
        raise NotUnderstood(f"a tensor of {rank:,} dims")
    for axis in sorted(_axis(b, field, a, rank) for a in axes):
        dims.insert(axis, 1)
    return tuple(dims)


def _reshape(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    _view(b, node, x, _reshape_dims(b, node, x))


def _view(b: _Builder, node: Any, x: Data, dims: tuple[int, ...]) -> None:
    """``x`` seen as ``dims``: the same output, its channel axis found again where it can be."""
    if _prod(dims) != _prod(x.dims):
        raise NotUnderstood(f"{'×'.join(map(str, x.dims))} to {'×'.join(map(str, dims))}")
    shape = b.shapes[x.ref]
    axis: int | None = None
    tag: tuple[Any, ...] = ()
    if len(dims) == 4 and dims[1:] == (shape.channels, shape.height, shape.width):
        axis = 1
        if x.tag[:1] == ("shuffled",):  # a channel shuffle: split, transposed, merged
            ref = b.add(node.name, "shuffle", ShuffleLayer(x.tag[1]), (x.ref,), node.output[0])
            _set(b, node, Data(dims, ref, 1))
            return
    elif len(dims) == 4 and x.axis == 3 and dims[3] == x.dims[3] and dims[1:3] == x.dims[1:3]:
        axis = 3
    elif len(dims) == 2 and dims[1] == shape.numel:
        axis = 1
    elif (
        len(dims) == 5 and x.axis == 1 and len(x.dims) == 4 and dims[3:] == x.dims[2:]
        and dims[1] * dims[2] == x.dims[1]
    ):  # fmt: skip
        tag = ("grouped", dims[1])
    _set(b, node, Data(dims, x.ref, axis, tag))


def _transpose(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    perm = b.attrs(node).integers("perm") or list(reversed(range(len(x.dims))))
    if sorted(perm) != list(range(len(x.dims))):
        found = f"found {_found(perm)} (of a {len(x.dims)}-D tensor)"
        raise InvalidValue("perm", f"expected a permutation of 0 to {len(x.dims) - 1}, {found}")
    dims = tuple(x.dims[p] for p in perm)
    tag: tuple[Any, ...] = ()
    if x.tag[:1] == ("grouped",) and perm == [0, 2, 1, 3, 4]:
        tag = ("shuffled", x.tag[1])
    axis = perm.index(x.axis) if x.axis is not None else None
    _set(b, node, Data(dims, x.ref, axis, tag))


builtin(
    "Reshape",
    _reshape,
    "nothing (a view); with Transpose and Reshape after it, a channel shuffle: `shuffle`",
    "shape (a constant input, evaluated from the shapes), allowzero",
)
builtin("Flatten", _reshape, _NOTHING + " (a view)", "axis")
builtin("Squeeze", _reshape, _NOTHING + " (a view)", "axes (attribute or constant input)")
builtin("Unsqueeze", _reshape, _NOTHING + " (a view)", "axes (attribute or constant input)")
builtin("Transpose", _transpose, _NOTHING + " (the channels' axis followed)", "perm")
