"""The values an ONNX graph holds as the reader follows it, and how they are checked: :class:`Constant` (a weight, a
constant, a computed shape) and :class:`Data` (the network's data), the attributes of a node read by type
(:class:`Attrs`), and the two ways a node is not read: :class:`NotUnderstood` (an op, or a use of it, this reader
does not cost: refused, or costed as nothing with ``allow_unknown``) and :class:`InvalidValue` (a value no valid
model has: a problem located at its node and field)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any, NamedTuple

from ...errors import shorten


class Constant(NamedTuple):
    """A tensor that is not the network's data: a weight, a constant, a computed shape: its ``dims`` (``None``:
    not known) and its flat ``values`` where they are known (a constant of at most a few hundred bytes, or computed
    from such), ``floating`` for a float tensor (a weight) rather than integers (a shape)."""

    dims: tuple[int, ...] | None
    values: list[Any] | None  # flat, when known
    floating: bool = False


class Data(NamedTuple):
    """A tensor of the network's data: the values of the output ``ref`` (a node's name or ``input``) laid out
    as ``dims`` (batch first), channels on ``axis`` (``None``: not known); ``tag`` marks a pattern in
    progress (an erf of GELU, a channel shuffle's groups). ``ref`` and ``tag`` are the reader's own: a handler
    registered with :func:`~dsc_cost.readers.onnx.register_op` reads ``dims`` and ``axis``."""

    dims: tuple[int, ...]
    ref: str
    axis: int | None
    tag: tuple[Any, ...] = ()


class NotUnderstood(Exception):
    """An op this reader does not understand here (the message says why, for the warning)."""


class InvalidValue(Exception):
    """A value of the graph that no valid ONNX model has (a negative group, an infinite scale): a problem located
    at its node and ``field`` (an attribute, an input), ``message`` saying what was expected and what was found."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


INT64 = 2**63 - 1
"""The largest size, count or index of ONNX (its int64): a size, a computed shape or an index beyond it is not
one a valid model has."""

MAX_VALUES = 1024
"""The most values of a constant computed from shape constants (Concat, Gather, arithmetic): a larger one is not
evaluated (its values unknown, as an initializer's of more than :data:`KEEP_DATA` bytes), so that constants that
double through a chain of Concats cost no more than the chain."""

MAX_RANK = 64
"""The most dims a tensor of the network's data may have to be followed: more is an op not understood."""


def _prod(dims: Sequence[int]) -> int:
    return math.prod(dims)


_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _text(text: str | bytes) -> str:
    """A string of the graph (protobuf gives bytes for one that is not UTF-8) as text."""
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else text


def _shown(text: str | bytes) -> str:
    """A name of the graph as a message shows it: control characters replaced, at most 80 characters."""
    return shorten(_NAME_CHARS.sub("\ufffd", _text(text)))


def _found(value: Any) -> str:
    """A value as a message shows what was found."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return repr(value) if value.bit_length() < 64 else f"an integer of {len(str(abs(value)))} digits"
    if isinstance(value, bytes):
        return "the string " + shorten(repr(value.decode("utf-8", "replace")))
    if isinstance(value, (list, tuple)):
        if len(value) <= 6:
            return "[" + ", ".join(_found(v) for v in value) + "]"
        return f"a list of {len(value):,} values"
    return type(value).__name__


_ATTRIBUTE_TYPES = {
    1: "a float", 2: "an integer", 3: "a string", 4: "a tensor", 5: "a graph", 6: "a list of floats",
    7: "a list of integers", 8: "a list of strings", 9: "a list of tensors", 10: "a list of graphs",
    11: "a sparse tensor", 12: "a list of sparse tensors", 13: "a type proto", 14: "a list of type protos",
}  # fmt: skip


class Attrs:
    """The attributes of one node, each read as the type ONNX gives it and checked where it is read: an attribute
    of another type, or a value out of range, is :class:`InvalidValue` at its name."""

    def __init__(self, node: Any) -> None:
        self.by_name = {a.name: a for a in node.attribute}
        if len(self.by_name) != len(node.attribute):
            twice = Counter(a.name for a in node.attribute).most_common(1)[0][0]
            raise InvalidValue(_shown(twice), "expected an attribute given once, found it twice")

    def __contains__(self, name: str) -> bool:
        return name in self.by_name

    def _get(self, name: str, kind: int) -> Any:
        attribute = self.by_name.get(name)
        if attribute is None:
            return None
        if attribute.type != kind:
            found = _ATTRIBUTE_TYPES.get(attribute.type, f"an attribute of type {attribute.type}")
            raise InvalidValue(name, f"expected {_ATTRIBUTE_TYPES[kind]}, found {found}")
        return attribute

    def integer(self, name: str, default: int, low: int | None = None, high: int | None = None) -> int:
        attribute = self._get(name, 2)
        if attribute is None:
            return default
        value = int(attribute.i)
        _in_range(name, value, low, high)
        return value

    def integers(self, name: str, low: int | None = None) -> list[int] | None:
        attribute = self._get(name, 7)
        if attribute is None:
            return None
        values = [int(v) for v in attribute.ints]
        for value in values:
            _in_range(name, value, low, None, values)
        return values

    def number(self, name: str) -> float | None:
        attribute = self._get(name, 1)
        return None if attribute is None else float(attribute.f)

    def numbers(self, name: str) -> list[float] | None:
        attribute = self._get(name, 6)
        return None if attribute is None else [float(v) for v in attribute.floats]

    def string(self, name: str, default: str) -> str:
        attribute = self._get(name, 3)
        return default if attribute is None else bytes(attribute.s).decode("utf-8", "replace")

    def tensor(self, name: str) -> Any:
        attribute = self._get(name, 4)
        return None if attribute is None else attribute.t


def _in_range(field: str, value: int, low: int | None, high: int | None, shown: Any = None) -> None:
    if (low is not None and value < low) or (high is not None and value > high):
        one = shown is None
        if low is not None and high is not None:
            expected = f"{low} or {high}" if high - low == 1 else f"integers from {low} to {high}"
        elif low is not None:
            expected = {0: "non-negative integers", 1: "positive integers"}.get(low, f"integers ≥ {low}")
        else:
            expected = f"integers ≤ {high}"
        if one and not expected[0].isdigit():  # one value: "a positive integer", "an integer from 0 to 3"
            expected = expected.replace("integers", "integer", 1)
            expected = ("an " if expected[0] in "aeiou" else "a ") + expected
        raise InvalidValue(field, f"expected {expected}, found {_found(value if one else shown)}")


def _whole(field: str, values: Sequence[Any], low: int = -INT64 - 1, what: str = "whole numbers") -> list[int]:
    """``values`` (of a constant) as the integers an input that takes int64 reads: each a whole number from
    ``low`` to :data:`INT64` (a float that is one is taken: shape arithmetic is evaluated without the casts)."""
    result = []
    for value in values:
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= INT64:
            bound = "" if low < 0 else f" ≥ {low}"
            raise InvalidValue(field, f"expected {what}{bound} (int64), found {_found(list(values))}")
        result.append(value)
    return result
