"""An ONNX file read without its weights: the file is mapped, not loaded, and parsed as protocol buffers field by
field, so that the data of each initializer (and of a large node's tensor attributes) larger than
:data:`KEEP_DATA` bytes is skipped unread while the graph's description is kept, within the run's bounds (its
bytes, its nodes). :func:`read_model` gives the ``onnx.ModelProto`` of what is kept."""

from __future__ import annotations

import mmap
import os
import stat
from collections.abc import Callable
from typing import Any

from ...errors import BoundError, Located, SpecError
from ..bounds import MAX_FILE_SIZE, MAX_LAYERS

INSTALL = "reading ONNX needs the onnx package: pip install 'dsc-cost[onnx]'"

KEEP_DATA = 512
"""Initializer data up to this many bytes is kept (shapes and axes written as constants); larger data is
dropped unread."""

FLOAT_TYPES = frozenset({1, 10, 11, 16})
"""ONNX's float element types: FLOAT, FLOAT16, DOUBLE, BFLOAT16 (weights are these; integers are shapes)."""


class Problem(Located):
    """A problem of an ONNX file: it has no lines, so it is located by the file and the node alone."""

    def __str__(self) -> str:
        parts = [self.file, *(p for p in (self.where, self.field) if p)]
        return ": ".join(parts) + f": {self.message}"


def _problem(file: str, message: str, where: str = "", field: str = "") -> SpecError:
    return SpecError([Problem(file, 0, 0, where, field, message)])


def is_onnx(path: str) -> bool:
    """Whether ``path`` names an ONNX file (by its suffix)."""
    return path.lower().endswith(".onnx")


class _Wire(Exception):
    """The bytes are not the protocol buffer they should be."""


def _varint(data: memoryview, pos: int, end: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= end:
            raise _Wire("truncated")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise _Wire("a malformed number")


def _fields(data: memoryview, start: int, end: int) -> list[tuple[int, int, int, int, int]]:
    """(field number, wire type, start of the field's key, start of its value, end) of each field."""
    fields = []
    pos = start
    while pos < end:
        key_at = pos
        key, pos = _varint(data, pos, end)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise _Wire("field number 0")
        if wire == 0:
            _, after = _varint(data, pos, end)
        elif wire == 1:
            after = pos + 8
        elif wire == 2:
            length, pos = _varint(data, pos, end)
            after = pos + length
        elif wire == 5:
            after = pos + 4
        else:
            raise _Wire(f"wire type {wire}")
        if after > end:
            raise _Wire("truncated")
        fields.append((number, wire, key_at, pos, after))
        pos = after
    return fields


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _message(number: int, body: bytes) -> bytes:
    return _encode_varint(number << 3 | 2) + _encode_varint(len(body)) + body


_TENSOR_DATA = frozenset({4, 5, 6, 7, 9, 10, 11})
"""TensorProto's data fields: float_data, int32_data, string_data, int64_data, raw_data, double_data, uint64_data."""

BIG_NODE = 4096
"""A node of more bytes than this is looked into, so that the data of its tensor attributes (a Constant's value)
is dropped as an initializer's is; smaller nodes are kept whole, unread."""


class _Over(Exception):
    """A bound of the graph's description was passed: ``"size"`` (bytes kept) or ``"nodes"``."""


class _Budget:
    """What the graph's description may still take: bytes (its weights' data left out) and nodes."""

    def __init__(self, size: int, nodes: int) -> None:
        self.size, self.nodes, self.counted = size, nodes, 0

    def take(self, size: int) -> None:
        self.size -= size
        if self.size < 0:
            raise _Over("size")

    def node(self) -> None:
        self.counted += 1
        if self.counted > self.nodes:
            raise _Over("nodes")


def _tensor(data: memoryview, start: int, end: int) -> bytes:
    """A TensorProto's bytes without data larger than :data:`KEEP_DATA`."""
    kept = [
        data[key_at:after]
        for number, _, key_at, value_at, after in _fields(data, start, end)
        if not (number in _TENSOR_DATA and after - value_at > KEEP_DATA)
    ]
    return b"".join(kept)


Rewrite = Callable[[memoryview, int, int], bytes]


def _rewritten(data: memoryview, start: int, end: int, rewrites: dict[int, Rewrite]) -> bytes:
    """A message's bytes with each of its fields numbered in ``rewrites`` (messages) rewritten."""
    parts: list[bytes | memoryview] = []
    for field_number, wire, key_at, value_at, after in _fields(data, start, end):
        rewrite = rewrites.get(field_number)
        if rewrite is not None and wire == 2:
            parts.append(_message(field_number, rewrite(data, value_at, after)))
        else:
            parts.append(data[key_at:after])
    return b"".join(parts)


def _attribute(data: memoryview, start: int, end: int) -> bytes:
    """An AttributeProto's bytes, its tensors (``t``, field 5; ``tensors``, field 11) without their data."""
    return _rewritten(data, start, end, {5: _tensor, 11: _tensor})


def _node(data: memoryview, start: int, end: int) -> bytes:
    """A NodeProto's bytes, its attributes (field 5) without their tensors' data."""
    return _rewritten(data, start, end, {5: _attribute})


def _graph(data: memoryview, start: int, end: int, budget: _Budget) -> bytes:
    """A GraphProto's bytes, its initializers (field 5) and the tensors of its large nodes (field 1) without their
    data, within ``budget``."""
    parts: list[bytes | memoryview] = []
    for number, wire, key_at, value_at, after in _fields(data, start, end):
        part: bytes | memoryview
        if number == 5 and wire == 2:
            part = _message(5, _tensor(data, value_at, after))
        elif number == 1 and wire == 2:
            budget.node()
            part = _message(1, _node(data, value_at, after)) if after - value_at > BIG_NODE else data[key_at:after]
        else:
            part = data[key_at:after]
        budget.take(len(part))
        parts.append(part)
    return b"".join(parts)


def _stripped(data: memoryview, budget: _Budget) -> bytes:
    """A ModelProto's bytes, its graph's (field 7) weights without their data, within ``budget``."""
    parts: list[bytes | memoryview] = []
    for number, wire, key_at, value_at, after in _fields(data, 0, len(data)):
        if number == 7 and wire == 2:
            parts.append(_message(7, _graph(data, value_at, after, budget)))
        else:
            part = data[key_at:after]
            budget.take(len(part))
            parts.append(part)
    return b"".join(parts)


def _onnx(file: str) -> Any:
    try:
        import onnx
    except ImportError:
        raise _problem(file, INSTALL) from None
    return onnx


def _size_message(bound: int, what: str) -> str:
    return f"{what} is larger than {bound:,} bytes (the bound of one file; --max-file-size SIZE raises it)"


def _nodes_message(bound: int) -> str:
    return (
        f"the files would have more than {bound:,} layers in all, each node of an ONNX graph counted as one"
        " (the bound of one run; --max-layers N raises it)"
    )


def read_model(path: str, max_size: int = MAX_FILE_SIZE, max_nodes: int = MAX_LAYERS, layer_bound: int = 0) -> Any:
    """The ``onnx.ModelProto`` of ``path`` with its initializers' dims but none of their data (larger than a
    few hundred bytes; a large node's tensor attributes likewise).

    The bounds apply to the graph's description: at most ``max_size`` bytes once the weights' data is left out
    (the data is skipped unread, so a model of any size whose graph is within it is read), and at most
    ``max_nodes`` nodes (what is left of the run's ``layer_bound``, which the message names; 0: ``max_nodes``).
    A file that is not a regular file (a pipe) is read whole, at most ``max_size`` bytes.

    :raises SpecError: one problem naming the file: it cannot be read, is empty, is not an ONNX model, or passes
        a bound (:class:`~dsc_cost.errors.BoundError` for the nodes).
    """
    onnx = _onnx(path)
    try:
        with open(path, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):  # a pipe, a device: read, bounded as a whole
                mapped: Any = handle.read(max_size + 1)
                if len(mapped) > max_size:
                    raise _problem(path, _size_message(max_size, "the file"))
            elif status.st_size == 0:
                mapped = b""
            else:
                try:
                    mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
                except (OSError, ValueError):  # cannot be mapped: read it
                    mapped = handle.read()
    except OSError as error:
        raise _problem(path, f"cannot read the file: {error.strerror or error}") from None
    if not len(mapped):
        raise _problem(path, "the file is empty: expected an ONNX model")
    view = memoryview(mapped)
    budget = _Budget(max_size, max_nodes)
    try:
        stripped = _stripped(view, budget)
    except _Wire as error:
        reason = "it ends too soon (truncated?)" if str(error) == "truncated" else "its bytes do not parse as one"
        raise _problem(path, f"not an ONNX model: {reason}") from None
    except _Over as over:
        if str(over) == "nodes":
            raise BoundError([Problem(path, 0, 0, "", "", _nodes_message(layer_bound or max_nodes))]) from None
        raise _problem(path, _size_message(max_size, "the graph, its weights' data left out,")) from None
    finally:
        try:
            view.release()
            if isinstance(mapped, mmap.mmap):
                mapped.close()
        except BufferError:  # slices still held by the error being raised: closed when they are collected
            pass
    model = onnx.ModelProto()
    try:
        model.ParseFromString(stripped)
    except Exception:  # google.protobuf's DecodeError, or a RuntimeError of its C++ implementation
        raise _problem(path, "not an ONNX model: its bytes do not parse as one") from None
    if not model.HasField("graph") or not model.graph.node or model.ir_version <= 0:
        raise _problem(path, "not an ONNX model: no graph of nodes and no IR version")
    return model
