"""The shape computations: Shape, Constant and the arithmetic of shape constants, evaluated where they read no
data (then ignored), and Gather (evaluated on constants; a view of every value of a flat output)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ..builder import _act, _Builder, _const, _set
from ..modelfile import FLOAT_TYPES
from ..registry import builtin
from ..values import INT64, MAX_VALUES, Constant, InvalidValue, NotUnderstood, _found, _prod, _whole
from .views import _view

INT_TYPES = frozenset({2, 3, 4, 5, 6, 7, 12, 13})
"""ONNX's integer element types (UINT8 … INT64, UINT32, UINT64): a Cast to one of them truncates."""

_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "Add": lambda p, q: p + q,
    "Sub": lambda p, q: p - q,
    "Mul": lambda p, q: p * q,
    "Div": lambda p, q: p // q if isinstance(p, int) and isinstance(q, int) else p / q,
}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _constant(b: _Builder, node: Any) -> Constant:
    """The value of a Constant node: its tensor, or one of its value_* attributes."""
    attrs = b.attrs(node)
    if "value" in attrs:
        tensor = attrs.tensor("value")
        dims = tuple(int(d) for d in tensor.dims)
        if any(d < 0 for d in dims):
            raise InvalidValue("value", f"expected a tensor of sizes ≥ 0, found dims {_found(dims)}")
        return Constant(dims, b._small(tensor), tensor.data_type in FLOAT_TYPES)
    for attribute in node.attribute:
        if attribute.type in (1, 2):  # value_float, value_int
            value = attribute.f if attribute.type == 1 else attribute.i
            return Constant((), [value], attribute.type == 1)
        if attribute.type in (6, 7):  # value_floats, value_ints
            values = list(attribute.floats if attribute.type == 6 else attribute.ints)
            return Constant((len(values),), values, attribute.type == 6)
    return Constant(None, None)


def _evaluated(b: _Builder, node: Any, inputs: list[Any]) -> list[Any] | None:
    """The values of a simple op on constants (1-D, as shapes are), or ``None`` where they are not known."""
    op = node.op_type
    known = [v.values if isinstance(v, Constant) else None for v in inputs]
    flat = [isinstance(v, Constant) and v.dims is not None and len(v.dims) <= 1 for v in inputs]
    if op in ("Unsqueeze", "Squeeze", "Reshape", "Identity"):
        return known[0] if known else None
    if op == "Gather" and len(known) > 1 and known[0] is not None and known[1] is not None and flat[0]:
        if b.attrs(node).integer("axis", 0) != 0:
            return None
        try:
            return [known[0][i] for i in _whole("indices", known[1])]
        except IndexError:  # an index out of range: of a shape not known exactly, perhaps
            return None
    if op == "Concat" and known:
        parts = [k for k in known if k is not None]
        if len(parts) != len(known) or sum(len(k) for k in parts) > MAX_VALUES:
            return None
        return [v for k in parts for v in k]
    if op in _ARITHMETIC and len(known) == 2 and known[0] and known[1]:
        a, c = known[0], known[1]
        if not all(_number(v) for v in (*a, *c)):
            return None
        fn = _ARITHMETIC[op]
        try:
            values = [fn(a[i % len(a)], c[i % len(c)]) for i in range(max(len(a), len(c)))]
        except (ZeroDivisionError, OverflowError):
            return None
        if any(isinstance(v, int) and not -INT64 - 1 <= v <= INT64 for v in values):
            return None  # beyond int64: not what ONNX computes
        return values
    if op == "Slice" and len(known) > 2 and known[0] is not None and known[1] and known[2] and flat[0]:
        if len(known) > 4 and known[4] is not None and known[4] != [1]:
            return None
        start, end = _whole("starts", known[1])[0], _whole("ends", known[2])[0]
        return known[0][start:end]
    return None


def _shape_op(b: _Builder, node: Any) -> None:
    """An op on constants or on shapes: evaluated where it is simple, otherwise a constant of unknown value."""
    op = node.op_type
    inputs = [b.values.get(n) if n else None for n in node.input]
    if op == "Shape":
        x = inputs[0] if inputs else None
        sizes = list(x.dims) if x is not None and x.dims is not None else None
        if sizes is not None:
            attrs = b.attrs(node)
            sizes = sizes[attrs.integer("start", 0) : attrs.integer("end", len(sizes))]
        _set(b, node, Constant((len(sizes),) if sizes is not None else None, sizes))
        return
    if op == "Constant":
        _set(b, node, _constant(b, node))
        return
    first = inputs[0] if inputs else None
    if op == "Cast" and isinstance(first, Constant):
        to = b.attrs(node).integer("to", 0)
        values = first.values
        if values is not None and to in INT_TYPES:
            numbers = all(_number(v) and math.isfinite(v) for v in values)
            values = [int(v) for v in values] if numbers else None
        elif values is not None and to in FLOAT_TYPES:
            values = [float(v) for v in values] if all(_number(v) for v in values) else None
        else:
            values = None
        _set(b, node, Constant(first.dims, values, to in FLOAT_TYPES))
        return
    if op == "Identity" and isinstance(first, Constant):
        _set(b, node, first)
        return
    value = _evaluated(b, node, inputs)
    floating = isinstance(first, Constant) and first.floating
    length = (len(value),) if value is not None else None
    for index in range(len(node.output)):
        _set(b, node, Constant(length, value, floating), index)


def _gather(b: _Builder, node: Any) -> None:
    """A Gather of every value of a flat tensor (the dynamo exporter's as_strided): a reshape to the indices'
    dims."""
    x = _act(b, node.input[0])
    indices = _const(b, node.input[1]) if len(node.input) > 1 else None
    if b.attrs(node).integer("axis", 0) != 0 or len(x.dims) != 1 or indices is None or indices.dims is None:
        raise NotUnderstood("a gather that is not a view of every value")
    if _prod(indices.dims) != x.dims[0]:
        raise NotUnderstood("a gather that is not a view of every value")
    _view(b, node, x, tuple(indices.dims))


builtin("Shape", _shape_op, "evaluated (the shape computation), then ignored", "start, end")
builtin(
    "Gather",
    _gather,
    "on constants: evaluated; of every value of a flat output (the dynamo exporter's as_strided): nothing (a view)",
    "axis (0 only), indices (a constant)",
)
