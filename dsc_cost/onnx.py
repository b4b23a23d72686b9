"""ONNX models in: a graph read as a :class:`~dsc_cost.network.Network`, so that every command that costs
spec files costs ``.onnx`` files too, and :func:`spec_text` writes the equivalent spec.

Weights are never read: the file is mapped, not loaded, and its initializers are kept without their data
(their dims are all that counts), so that a 100 MB model is read in a fraction of a second and in little
memory. Shapes are propagated here, through the ops that costing needs (convolutions, linear layers,
pooling, norms, element-wise ops, concatenation and splits, and the reshapes between them); the small
integer subgraphs that compute shapes are evaluated, then ignored. Every shape propagated is checked against
the one the file declares or ``onnx.shape_inference`` infers, every weight's dims against the channels it meets. An
op that is not understood is a problem (``allow_unknown``: it costs nothing, and the network's notes say the result
is approximate); a weight that several layers read counts once per use (``shared_weights="once"``: once).
:data:`HANDLERS` lists every op read, what it costs and what it reads.

Each op is mapped onto a layer type of the registry: a Conv is ``conv``, ``depthwise`` (one group per input
channel) or ``pointwise`` (1×1), and a depthwise conv whose output goes only to a 1×1 conv (straight, or
through one activation, as MobileNetV2's blocks run them) is one ``separable`` layer; Gemm, and MatMul
with a weight, are ``linear`` (``per_position`` on a channels-last map), a bias added after them is theirs;
Mul by a per-channel weight is ``scale``; x·sigmoid(x) is ``silu`` and x·½(1 + erf(x/√2)) is ``gelu``.

The package ``onnx`` is optional (``pip install 'dsc-cost[onnx]'``): without it, an ONNX file is one
problem naming it.
"""

from __future__ import annotations

import bisect
import math
import mmap
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from .errors import BoundError, Located, SpecError, shorten
from .formulas import Bias, Padding, Shape, ShapeError
from .layers.activation import ActivationLayer
from .layers.add import AddLayer
from .layers.base import Layer, new
from .layers.batchnorm import BatchNormLayer
from .layers.concat import ConcatLayer
from .layers.conv import ConvLayer
from .layers.convtranspose import ConvTransposeLayer
from .layers.depthwise import DepthwiseLayer
from .layers.groupnorm import GroupNormLayer
from .layers.layernorm import LayerNormLayer
from .layers.linear import LinearLayer
from .layers.mul import MulLayer
from .layers.pad import PadLayer
from .layers.pixelshuffle import PixelShuffleLayer, PixelUnshuffleLayer
from .layers.pointwise import PointwiseLayer
from .layers.pool import PoolLayer
from .layers.scale import ScaleLayer
from .layers.separable import SeparableLayer
from .layers.shuffle import ShuffleLayer
from .layers.split import SplitLayer
from .layers.upsample import UpsampleLayer
from .network import Network, Node, Notes
from .readers.bounds import DEFAULT_BOUNDS, MAX_FILE_SIZE, MAX_LAYERS, Bounds, Tally

if TYPE_CHECKING:
    from .spec import Spec

INSTALL = "reading ONNX needs the onnx package: pip install 'dsc-cost[onnx]'"

KEEP_DATA = 512
"""Initializer data up to this many bytes is kept (shapes and axes written as constants); larger data is
dropped unread."""

FLOAT_TYPES = frozenset({1, 10, 11, 16})
"""ONNX's float element types: FLOAT, FLOAT16, DOUBLE, BFLOAT16 (weights are these; integers are shapes)."""


SharedWeights = Literal["per-use", "once"]


class OnnxOptions(NamedTuple):
    """How an ONNX file is read: ``input`` sets the input's shape (one sample: channels, height, width) where
    the graph's is dynamic or to override it; ``allow_unknown`` costs an op that is not understood as nothing (the
    network is then approximate) where it is otherwise a problem; ``shared_weights`` counts a weight read by
    several layers once per use (``per-use``, the architecture's count) or ``once``. ``strict`` is what every
    read does now (an op not understood is a problem): kept so that code that sets it still reads."""

    input: Shape | None = None
    strict: bool = False
    allow_unknown: bool = False
    shared_weights: SharedWeights = "per-use"


DEFAULTS = OnnxOptions()


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


# ---------------------------------------------------------------- reading without the weights


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


# ---------------------------------------------------------------- values of the graph


class _Const(NamedTuple):
    """A tensor that is not the network's data: a weight, a constant, a computed shape."""

    dims: tuple[int, ...] | None
    values: list[Any] | None  # flat, when known
    floating: bool = False


class _Act(NamedTuple):
    """A tensor of the network's data: the values of the output ``ref`` (a node's name or ``input``) laid out
    as ``dims`` (batch first), channels on ``axis`` (``None``: not known); ``tag`` marks a pattern in
    progress (an erf of GELU, a channel shuffle's groups)."""

    dims: tuple[int, ...]
    ref: str
    axis: int | None
    tag: tuple[Any, ...] = ()


class _Unknown(Exception):
    """An op this reader does not understand here (the message says why, for the warning)."""


class _Invalid(Exception):
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


class _Attrs:
    """The attributes of one node, each read as the type ONNX gives it and checked where it is read: an attribute
    of another type, or a value out of range, is :class:`_Invalid` at its name."""

    def __init__(self, node: Any) -> None:
        self.by_name = {a.name: a for a in node.attribute}
        if len(self.by_name) != len(node.attribute):
            twice = Counter(a.name for a in node.attribute).most_common(1)[0][0]
            raise _Invalid(_shown(twice), "expected an attribute given once, found it twice")

    def __contains__(self, name: str) -> bool:
        return name in self.by_name

    def _get(self, name: str, kind: int) -> Any:
        attribute = self.by_name.get(name)
        if attribute is None:
            return None
        if attribute.type != kind:
            found = _ATTRIBUTE_TYPES.get(attribute.type, f"an attribute of type {attribute.type}")
            raise _Invalid(name, f"expected {_ATTRIBUTE_TYPES[kind]}, found {found}")
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
        raise _Invalid(field, f"expected {expected}, found {_found(value if one else shown)}")


def _whole(field: str, values: Sequence[Any], low: int = -INT64 - 1, what: str = "whole numbers") -> list[int]:
    """``values`` (of a constant) as the integers an input that takes int64 reads: each a whole number from
    ``low`` to :data:`INT64` (a float that is one is taken: shape arithmetic is evaluated without the casts)."""
    result = []
    for value in values:
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= INT64:
            bound = "" if low < 0 else f" ≥ {low}"
            raise _Invalid(field, f"expected {what}{bound} (int64), found {_found(list(values))}")
        result.append(value)
    return result


def _check_layer(kind: str, layer: Layer) -> None:
    """``layer`` as a spec would hold it, each field read back as a spec's is: what ``import`` writes, ``network``
    reads (a value no spec takes is a problem here, named by the spec's field)."""
    from .layers import REGISTRY
    from .layers.base import Invalid

    defaults = type(layer)._field_defaults  # type: ignore[attr-defined]
    for field in REGISTRY[kind].fields:
        if field.attribute is None or field.name == "inputs":
            continue
        value = getattr(layer, field.attribute)
        if field.attribute in defaults and value == defaults[field.attribute]:  # left out, as spec_data does
            continue
        try:
            field.parse(_plain(field, value))
        except Invalid as invalid:
            expected = invalid.expected or field.expected
            raise _Invalid(field.name, f"expected {expected} (as a {kind} layer), found {_found(value)}") from None


def _declared_shapes(onnx: Any, model: Any) -> dict[str, tuple[int | None, ...]]:
    """The shape of each tensor that the graph declares (its inputs, outputs and ``value_info``) or that
    ``onnx.shape_inference`` infers from it (``None`` for a size that is not a fixed number)."""
    graph = model.graph
    try:
        inferred = onnx.shape_inference.infer_shapes(model).graph
    except Exception:  # a graph it cannot infer (an op of a newer opset, a bad attribute): what it declares
        inferred = graph
    shapes: dict[str, tuple[int | None, ...]] = {}
    infos = (*inferred.value_info, *graph.input, *graph.output)  # the inferred graph's holds the file's value_info
    for info in infos if inferred is not graph else (*graph.value_info, *graph.input, *graph.output):
        tensor = info.type.tensor_type
        if not tensor.HasField("shape"):
            continue
        shapes[info.name] = tuple(
            d.dim_value if d.dim_value or d.HasField("dim_value") else None for d in tensor.shape.dim
        )
    return shapes


def _disagrees(declared: tuple[int | None, ...], dims: tuple[int, ...]) -> bool:
    """Whether a propagated shape (batch 1) is not the one the file gives (its batch, the first size of a tensor
    of several dims, not compared)."""
    if len(declared) != len(dims):
        return True
    first = 1 if len(dims) > 1 else 0
    return any(d is not None and d != v for d, v in zip(declared[first:], dims[first:], strict=True))


def _dims_text(dims: Sequence[int | None]) -> str:
    return "×".join("?" if d is None else f"{d:,}" for d in dims) or "a scalar"


class _Builder:
    def __init__(self, file: str, onnx: Any, graph: Any, input_shape: Shape | None) -> None:
        self.file = file
        self.onnx = onnx
        self.graph = graph
        self.values: dict[str, _Const | _Act] = {}
        self.nodes: dict[str, list[Any]] = {}  # name → [name, type, layer, inputs (explicit refs)], in order
        self.shapes: dict[str, Shape] = {}
        self.names: set[str] = {"input"}
        self.counts: dict[str, int] = {}  # a base name → the last number unique() gave it
        self.unknown: Counter[str] = Counter()
        self.problems: list[Located] = []
        self.poisoned: set[str] = set()  # tensors of nodes with a problem: the nodes that read them are not read
        self.first_unknown: dict[str, str] = {}  # an op type not understood → its first node, and why
        self.skipped = 0  # nodes not costed because they read the output of an op not understood
        self.lost: set[str] = set()  # the outputs of those ops and nodes
        self.declared: dict[str, tuple[int | None, ...]] = {}  # a tensor → its shape as the file declares or infers
        self.readers: dict[str, list[str]] = {}  # a weight (initializer) → the layers that read it, in order
        self.alias: dict[str, str] = {}  # the output of an Identity of a constant → the tensor it is
        self.shared: Counter[str] = Counter()  # a layer → the params of weights an earlier layer reads too
        self.consumers: Counter[str] = Counter()
        self.producer: dict[str, Any] = {}
        self.tensor_of: dict[str, str] = {}  # a node's name → the graph's tensor it makes
        self.cuts: dict[str, list[_Cuts]] = {}  # an output → the splits made of Slices of its channels
        self.parts: dict[str, str] = {}  # a split's part (NAME.i) → the split's name
        self.part_users: dict[str, list[Any]] = {}  # a split's name → the tensors and nodes that read its parts
        for node in graph.node:
            for name in node.input:
                if name:
                    self.consumers[name] += 1
        for output in graph.output:
            self.consumers[output.name] += 1
        for tensor in graph.initializer:
            dims = tuple(int(d) for d in tensor.dims)
            if any(d < 0 for d in dims):
                self.invalid(f"initializer {_shown(tensor.name)}", "dims", f"expected sizes ≥ 0, found {_found(dims)}")
                self.poisoned.add(tensor.name)
                continue
            floating = tensor.data_type in FLOAT_TYPES
            self.values[tensor.name] = _Const(dims, self._small(tensor), floating)
        self.input = self._input(input_shape)

    def invalid(self, where: str, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, 0, 0, where, field, message))

    # -- reading

    def _small(self, tensor: Any) -> list[Any] | None:
        if _prod(tensor.dims) > KEEP_DATA // 4 or tensor.data_location == 1:
            return None
        try:
            return list(self.onnx.numpy_helper.to_array(tensor).reshape(-1).tolist())
        except Exception:  # data dropped as too large, or a type not read
            return None

    def _input(self, override: Shape | None) -> Shape:
        initializers = {t.name for t in self.graph.initializer}
        inputs = [i for i in self.graph.input if i.name not in initializers]
        if len(inputs) != 1:
            names = ", ".join(_shown(i.name) for i in inputs[:8]) or "none"
            more = f" and {len(inputs) - 8:,} more" if len(inputs) > 8 else ""
            raise _problem(
                self.file, f"expected one input (an N×C×H×W image batch), found {len(inputs):,}: {names}{more}"
            )
        (graph_input,) = inputs
        dims: list[int | str] = []
        for dim in graph_input.type.tensor_type.shape.dim:
            dims.append(dim.dim_value if dim.HasField("dim_value") else _shown(dim.dim_param or "?"))
        name = _shown(graph_input.name)
        if len(dims) != 4:
            shown = "×".join(map(str, dims[:8])) + ("×…" if len(dims) > 8 else "") or "no shape"
            raise _problem(self.file, f"input {name}: expected N×C×H×W (an image batch), found {shown}")
        if override is not None:
            shape = override
        else:
            sample = dims[1:]
            if not all(isinstance(d, int) and d > 0 for d in sample):
                shown = "×".join(map(str, dims))
                raise _problem(
                    self.file,
                    f"input {name} is {shown}, its size not fixed: give --input CxHxW",
                    field="input",
                )
            shape = Shape(*sample)  # type: ignore[arg-type]
        self.values[graph_input.name] = _Act((1, *shape), "input", 1)
        self.shapes["input"] = shape
        return shape

    def attrs(self, node: Any) -> _Attrs:
        return _Attrs(node)

    # -- the network being built

    def add(self, onnx_name: str, kind: str, layer: Layer, inputs: Sequence[str], tensor: str) -> str:
        """Append a node (named from ``onnx_name``) that reads ``inputs`` and makes the graph's ``tensor``."""
        try:
            output = layer.evaluate(tuple(self.shapes[ref] for ref in inputs)).output
        except ShapeError as error:  # a geometry that does not fit its input (a kernel larger than the map)
            raise _Invalid(error.field, error.message) from None
        for size in output:
            if size > INT64:
                raise _Invalid("output", f"expected sizes of at most {INT64:,} (int64), found {_found(size)}")
        _check_layer(kind, layer)
        name = self.unique(onnx_name or kind)
        entry = [name, kind, layer, tuple(inputs)]
        self.nodes[name] = entry
        for ref in inputs:
            split = self.parts.get(ref)
            if split is not None:
                self.part_users.setdefault(split, []).append(entry)
        self.shapes[name] = output
        self.tensor_of[name] = tensor
        return name

    def unique(self, raw: str | bytes) -> str:
        base = _NAME_CHARS.sub("_", _text(raw).strip("/").strip() or "node")[:200]
        name, count = base, self.counts.get(base, 1)
        if name in self.names:
            while True:  # each base's count goes on from where it stopped: linear in the nodes
                count += 1
                name = f"{base}_{count}"
                if name not in self.names:
                    break
            self.counts[base] = count
        self.names.add(name)
        return name

    def entry(self, name: str) -> list[Any] | None:
        """The node ``name`` (``None``: none, as for ``input`` or a split's part)."""
        return self.nodes.get(name)


# ---------------------------------------------------------------- the ops


def _pairs(attrs: _Attrs, key: str, default: int, low: int = 1) -> tuple[int, int]:
    """An attribute of one integer per spatial axis (each at least ``low``), 2-D only."""
    value = attrs.integers(key, low)
    if not value:
        return (default, default)
    if len(value) != 2:
        raise _Unknown(f"{key} of {len(value)} axes (2-D only)")
    return (value[0], value[1])


def _padding(
    attrs: _Attrs, size: tuple[int, int], kernel: tuple[int, int], stride: tuple[int, int],
    dilation: tuple[int, int], ceil: bool = False,
) -> Padding:  # fmt: skip
    """The spec's padding that gives the output size of ONNX's pads or auto_pad (what counts is the size)."""
    auto = _auto_pad(attrs)
    if auto in ("SAME_UPPER", "SAME_LOWER"):
        return "same"
    if auto == "VALID":
        return "valid"
    pads = attrs.integers("pads", 0) or [0, 0, 0, 0]
    if len(pads) != 4:
        raise _Unknown(f"pads of {len(pads) // 2} axes (2-D only)")
    if pads[0] == pads[2] and pads[1] == pads[3]:
        return (int(pads[0]), int(pads[1]))
    chosen = []
    for axis in range(2):
        total = pads[axis] + pads[axis + 2]
        span = dilation[axis] * (kernel[axis] - 1) + 1
        rounding = stride[axis] - 1 if ceil else 0
        want = (size[axis] + total - span + rounding) // stride[axis] + 1
        for p in (total // 2, total // 2 + 1, (total + 1) // 2 - 1):
            if p >= 0 and (size[axis] + 2 * p - span + rounding) // stride[axis] + 1 == want:
                chosen.append(p)
                break
        else:
            raise _Unknown(f"asymmetric pads {list(pads)} with no symmetric equivalent")
    return (chosen[0], chosen[1])


def _axis(b: _Builder, field: str, axis: int, rank: int) -> int:
    """``axis`` of a tensor of ``rank`` dims, from 0 (ONNX's negative axes count from the last). One out of range
    is a problem, unless an op not understood came before (then the rank may be what is wrong: not understood)."""
    if -rank <= axis < rank:
        return axis % rank
    raise _Invalid(field, f"expected an axis from {-rank} to {rank - 1} (of a {rank}-D tensor), found {_found(axis)}")


def _auto_pad(attrs: _Attrs) -> str:
    auto = attrs.string("auto_pad", "NOTSET")
    if auto not in ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"):
        raise _Invalid("auto_pad", f"expected NOTSET, SAME_UPPER, SAME_LOWER or VALID, found {_found(auto.encode())}")
    return auto


def _act(b: _Builder, name: str) -> _Act:
    value = b.values.get(name)
    if not isinstance(value, _Act):
        raise _Unknown("an input that is not the network's data")
    return value


def _const(b: _Builder, name: str) -> _Const | None:
    value = b.values.get(name)
    return value if isinstance(value, _Const) else None


def _image(act: _Act) -> None:
    if len(act.dims) != 4 or act.axis != 1:
        raise _Unknown("an input that is not N×C×H×W")


def _set(b: _Builder, node: Any, value: _Const | _Act, index: int = 0) -> None:
    if isinstance(value, _Act) and len(value.dims) > MAX_RANK:
        raise _Unknown(f"a tensor of {len(value.dims):,} dims")
    if isinstance(value, _Const) and value.values is not None and len(value.values) > MAX_VALUES:
        value = value._replace(values=None)
    if index < len(node.output) and node.output[index]:
        tensor = node.output[index]
        declared = b.declared.get(tensor)
        if declared is not None and isinstance(value, _Act) and _disagrees(declared, value.dims):
            raise _Invalid(
                f"output {_shown(tensor)}",
                f"the file's shape (declared or inferred) is {_dims_text(declared)}, the shape propagated"
                f" {_dims_text(value.dims)}",
            )
        b.values[tensor] = value
        b.producer[tensor] = node
        if isinstance(value, _Act):  # a part of a split, or a sigmoid of one: renamed where the split's parts move
            split = b.parts.get(value.ref) or (b.parts.get(value.tag[1]) if value.tag[:1] == ("sigmoid",) else None)
            if split is not None:
                b.part_users.setdefault(split, []).append(tensor)


def _new_image(b: _Builder, node: Any, ref: str) -> None:
    shape = b.shapes[ref]
    _set(b, node, _Act((1, shape.channels, shape.height, shape.width), ref, 1))


def _conv_inputs(b: _Builder, node: Any) -> tuple[_Act, tuple[int, ...], _Attrs]:
    """A Conv's or ConvTranspose's image, the dims of its weight (a constant of 4, each at least 1) and its
    attributes."""
    x = _act(b, node.input[0])
    _image(x)
    weight = _const(b, node.input[1]) if len(node.input) > 1 else None
    if weight is None or weight.dims is None or len(weight.dims) != 4:
        raise _Unknown("a weight that is not a constant of 4 dims")
    if min(weight.dims) < 1:
        where = f"input 1 ({_shown(node.input[1])})"
        raise _Invalid(where, f"expected a weight whose dims are each at least 1, found {_found(weight.dims)}")
    return x, weight.dims, b.attrs(node)


def _kernel_shape(attrs: _Attrs, dims: tuple[int, ...]) -> None:
    """A conv's ``kernel_shape``, when given, is its weight's last dims."""
    given = attrs.integers("kernel_shape", 1)
    if given is not None and tuple(given) != dims[2:]:
        raise _Invalid("kernel_shape", f"expected the weight's {_found(dims[2:])}, found {_found(given)}")


def _per_group(channels: int, groups: int) -> str:
    return f"{channels // groups:,}" if channels % groups == 0 else f"{channels:,}/{groups:,}"


def _bias_dims(b: _Builder, node: Any, out: int, index: int = 2) -> None:
    """A bias (input ``index``), when it is a constant of known dims, holds one value per output channel (or one,
    broadcast)."""
    bias = _const(b, node.input[index]) if len(node.input) > index and node.input[index] else None
    if bias is not None and bias.dims is not None and _prod(bias.dims) not in (1, out):
        where = f"input {index} ({_shown(node.input[index])})"
        raise _Invalid(where, f"expected a bias of {out:,} values (one per output), found dims {_found(bias.dims)}")


def _conv(b: _Builder, node: Any) -> None:
    x, dims, attrs = _conv_inputs(b, node)
    shape = b.shapes[x.ref]
    out, _, kh, kw = dims
    _kernel_shape(attrs, dims)
    kernel, stride, dilation = (kh, kw), _pairs(attrs, "strides", 1), _pairs(attrs, "dilations", 1)
    groups = attrs.integer("group", 1, 1)
    if dims[1] * groups != shape.channels or out % groups:
        raise _Invalid(
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


def _fuse_separable(b: _Builder, node: Any, x: _Act, pointwise: PointwiseLayer) -> bool:
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
        raise _Unknown("output_shape or auto_pad (give pads)")
    _, per_group, kh, kw = dims
    _kernel_shape(attrs, dims)
    groups = attrs.integer("group", 1, 1)
    channels = b.shapes[x.ref].channels
    if dims[0] != channels or channels % groups:
        raise _Invalid(
            f"input 1 ({_shown(node.input[1])})",
            f"expected a weight of {channels:,} input channels (dims [{channels:,}, O/groups, kH, kW], in"
            f" {groups:,} group{'s' if groups > 1 else ''}), found dims {_found(dims)}",
        )
    _bias_dims(b, node, per_group * groups)
    pads = attrs.integers("pads", 0) or [0, 0, 0, 0]
    if len(pads) != 4 or pads[0] != pads[2] or pads[1] != pads[3]:
        raise _Unknown(f"pads {_found(pads)} (symmetric 2-D pads only)")
    layer = ConvTransposeLayer(
        per_group * groups, (kh, kw), _pairs(attrs, "strides", 1), (int(pads[0]), int(pads[1])),
        _pairs(attrs, "output_padding", 0), _pairs(attrs, "dilations", 1), groups,
        len(node.input) > 2 and bool(node.input[2]),
    )  # fmt: skip
    _new_image(b, node, b.add(node.name, "convtranspose", layer, (x.ref,), node.output[0]))


def _linear_out(b: _Builder, node: Any, x: _Act, out: int, bias: bool, per_position: bool) -> None:
    ref = b.add(node.name, "linear", LinearLayer(out, bias, False, per_position), (x.ref,), node.output[0])
    dims = (*x.dims[:-1], out)
    _set(b, node, _Act(dims, ref, len(dims) - 1 if per_position else 1))


def _features(b: _Builder, x: _Act) -> bool:
    """Whether ``x`` is N × features, the features all of its output's values (a flattened map): a layer on
    it is the fully connected one; otherwise (channels last) it applies at every position."""
    if len(x.dims) == 2 and x.dims[1] == b.shapes[x.ref].numel:
        return True
    if len(x.dims) == 4 and x.axis == 3:
        return False
    raise _Unknown("an input that is neither N×features nor channels last")


def _gemm(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    weight = _const(b, node.input[1])
    attrs = b.attrs(node)
    if weight is None or weight.dims is None or len(weight.dims) != 2 or attrs.integer("transA", 0, 0, 1):
        raise _Unknown("a weight that is not a constant matrix")
    transposed = attrs.integer("transB", 0, 0, 1)
    out = weight.dims[0] if transposed else weight.dims[1]
    if out < 1:
        raise _Invalid(f"input 1 ({_shown(node.input[1])})", f"expected a weight of at least 1 output, found {out}")
    if not _features(b, x):
        raise _Unknown("an input that is not N×features")
    features = weight.dims[1] if transposed else weight.dims[0]
    if features != x.dims[-1]:
        layout = "[out, in] (transB 1)" if transposed else "[in, out]"
        raise _Invalid(
            f"input 1 ({_shown(node.input[1])})",
            f"expected a weight of {x.dims[-1]:,} input features, dims {layout}, found dims {_found(weight.dims)}",
        )
    _bias_dims(b, node, out)
    _linear_out(b, node, x, out, len(node.input) > 2 and bool(node.input[2]), False)


def _matmul(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    weight = _const(b, node.input[1])
    if weight is None or weight.dims is None or len(weight.dims) != 2:
        raise _Unknown("a second input that is not a constant matrix")
    flat = _features(b, x)
    if weight.dims[0] != x.dims[-1]:
        raise _Invalid(
            f"input 1 ({_shown(node.input[1])})",
            f"expected a weight of {x.dims[-1]:,} rows (the input's features), found dims {_found(weight.dims)}",
        )
    if weight.dims[1] < 1:
        found = weight.dims[1]
        raise _Invalid(f"input 1 ({_shown(node.input[1])})", f"expected a weight of at least 1 column, found {found}")
    _linear_out(b, node, x, weight.dims[1], False, not flat)


def _einsum(b: _Builder, node: Any) -> None:
    """An Einsum of the data by a constant matrix over its channels, the output in the data's layout with the
    matrix's other index in the channels' place (``bchw,oc->bohw``, ``nhwc,cd->nhwd``, ``bc,oc->bo``): a
    ``pointwise`` conv on N×C×H×W, ``linear`` at every position on a channels-last map, ``linear`` on N×features.
    Any other equation is not understood."""
    equation = b.attrs(node).string("equation", "").replace(" ", "")
    operands, arrow, output = equation.partition("->")
    terms = operands.split(",")
    if not arrow or len(terms) != 2 or len(node.input) != 2 or "." in equation:
        raise _Unknown("an equation that is not of two operands with an explicit output")
    values = [b.values.get(n) for n in node.input]
    data = next((i for i, v in enumerate(values) if isinstance(v, _Act)), 0)
    x, weight = _act(b, node.input[data]), _const(b, node.input[1 - data])
    subscripts, matrix = terms[data], terms[1 - data]
    if weight is None or weight.dims is None or len(weight.dims) != 2 or len(matrix) != 2:
        raise _Unknown("an operand that is not a constant matrix")
    if len(subscripts) != len(x.dims) or len(set(subscripts)) != len(subscripts) or x.axis is None:
        raise _Unknown("an equation that is not a contraction of the channels")
    channel = subscripts[x.axis]
    other = matrix.replace(channel, "", 1)
    expected = subscripts.replace(channel, other)
    if len(other) != 1 or other in subscripts or output != expected:
        raise _Unknown("an equation that is not a contraction of the channels")
    features, out = weight.dims[matrix.index(channel)], weight.dims[matrix.index(other)]
    if features != x.dims[x.axis] or out < 1:
        found = f"found dims {_found(weight.dims)} for {matrix!r}"
        raise _Invalid(
            f"input {1 - data} ({_shown(node.input[1 - data])})",
            f"expected a matrix of {x.dims[x.axis]:,} in channels ({channel!r}) and at least 1 out, {found}",
        )
    if len(x.dims) == 4 and x.axis == 1:
        _new_image(b, node, b.add(node.name, "pointwise", PointwiseLayer(out), (x.ref,), node.output[0]))
        return
    if x.axis != len(x.dims) - 1:
        raise _Unknown("an equation that is not a contraction of the channels")
    _linear_out(b, node, x, out, False, not _features(b, x))


def _channel_vector(b: _Builder, x: _Act, const: _Const) -> bool:
    """Whether ``const`` holds one value per channel of ``x``, laid out along its channel axis."""
    if const.dims is None or x.axis is None:
        return False
    channels = x.dims[x.axis]
    if _prod(const.dims) != channels or channels == 1:
        return False
    if len(const.dims) == 1:
        return x.axis == len(x.dims) - 1
    rank = len(x.dims)
    aligned = (1,) * (rank - len(const.dims)) + tuple(const.dims)
    return aligned[x.axis] == channels


def _elementwise(b: _Builder, node: Any) -> None:
    """Add, Mul, Sub and Div: of two data tensors (add, mul), or of the data and a constant (a bias that
    joins the layer before, a per-channel scale, or a scalar: free)."""
    op = node.op_type
    inputs = [b.values.get(name) for name in node.input]
    acts = [v for v in inputs if isinstance(v, _Act)]
    if len(acts) == 2 and op in ("Add", "Mul"):
        x, y = acts
        if op == "Mul" and _silu(b, node, x, y):
            return
        if op == "Mul" and _gelu(b, node, x, y):
            return
        kind, layer = ("add", AddLayer()) if op == "Add" else ("mul", MulLayer())
        full = x if _prod(x.dims) >= _prod(y.dims) else y
        if x.axis is None or y.axis is None:
            raise _Unknown("inputs whose channels are not known")
        ref = b.add(node.name, kind, layer, (x.ref, y.ref), node.output[0])
        _set(b, node, full._replace(ref=ref, tag=()))
        return
    if len(acts) != 1:
        raise _Unknown("inputs that are not the network's data")
    (x,) = acts
    const = next((v for v in inputs if isinstance(v, _Const)), None)
    if const is None or len(inputs) != 2:
        raise _Unknown("inputs that are not two")
    if const.dims is not None and _prod(const.dims) == 1:  # a scalar: free, and a step of GELU's pattern
        _set(b, node, x)
        return
    if const.dims is None or not const.floating or not _channel_vector(b, x, const):
        raise _Unknown("a constant that is not one value per channel")
    if op in ("Add", "Sub") and _bias(b, node, x, next(n for n in node.input if b.values.get(n) is x)):
        return
    if op in ("Mul", "Div"):
        ref = b.add(node.name, "scale", ScaleLayer(), (x.ref,), node.output[0])
        _set(b, node, x._replace(ref=ref, tag=()))
        return
    raise _Unknown("a per-channel constant that is not a bias of the layer before")


def _bias(b: _Builder, node: Any, x: _Act, tensor: str) -> bool:
    """A per-channel constant added to the output of a conv or linear layer without bias (read only here)."""
    if b.consumers[tensor] != 1 or not b.nodes:
        return False
    entry = b.entry(x.ref)
    if entry is None or entry[1] not in ("conv", "depthwise", "pointwise", "linear", "convtranspose"):
        return False
    layer = entry[2]
    if layer.bias:
        return False
    entry[2] = layer._replace(bias=True)
    _set(b, node, x)
    return True


def _silu(b: _Builder, node: Any, x: _Act, y: _Act) -> bool:
    for data, gate in ((x, y), (y, x)):
        if gate.tag[:1] == ("sigmoid",) and gate.tag[1] == data.ref and b.consumers[gate.tag[2]] == 1:
            entry = b.nodes[gate.ref]
            entry[2] = ActivationLayer("silu")
            _set(b, node, data._replace(ref=gate.ref, tag=()))
            return True
    return False


def _gelu(b: _Builder, node: Any, x: _Act, y: _Act) -> bool:
    for data, gate in ((x, y), (y, x)):
        if gate.tag[:1] == ("erf",) and gate.ref == data.ref:
            ref = b.add(node.name, "activation", ActivationLayer("gelu"), (data.ref,), node.output[0])
            _set(b, node, data._replace(ref=ref, tag=()))
            return True
    return False


_ACTIVATIONS = {
    "Relu": "relu", "Sigmoid": "sigmoid", "HardSigmoid": "hardsigmoid", "HardSwish": "hardswish", "Tanh": "tanh",
    "Gelu": "gelu",
}  # fmt: skip


def _activation(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    if node.op_type == "Clip":
        low, high = _clip_bounds(b, node)
        if (low, high) == (0, 6):
            fn = "relu6"
        elif low == 0 and high is None:
            fn = "relu"
        else:
            raise _Unknown(f"bounds {low} and {high} (ReLU and ReLU6 only)")
    else:
        fn = _ACTIVATIONS[node.op_type]
    ref = b.add(node.name, "activation", ActivationLayer(fn), (x.ref,), node.output[0])
    tag = ("sigmoid", x.ref, node.output[0]) if fn == "sigmoid" else ()
    _set(b, node, x._replace(ref=ref, tag=tag))


def _clip_bounds(b: _Builder, node: Any) -> tuple[float | None, float | None]:
    attrs = b.attrs(node)
    bounds: list[float | None] = [attrs.number("min"), attrs.number("max")]
    for index in (1, 2):
        if len(node.input) > index and node.input[index]:
            const = _const(b, node.input[index])
            if const is None or not const.values:
                raise _Unknown("bounds that are not constants")
            value = const.values[0]
            if not isinstance(value, (int, float)) or isinstance(value, bool) or math.isnan(value):
                raise _Invalid(("min", "max")[index - 1], f"expected a number, found {_found(value)}")
            bounds[index - 1] = value
    return bounds[0], bounds[1]


def _erf(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    _set(b, node, x._replace(tag=("erf",)))


def _alias(b: _Builder, node: Any) -> None:
    _set(b, node, _act(b, node.input[0]))


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
            raise _Unknown("dilated pooling")
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
        raise _Unknown("axes other than the spatial ones")
    ref = b.add(node.name, "pool", PoolLayer("avg", global_=True), (x.ref,), node.output[0])
    channels = b.shapes[ref].channels
    dims = (1, channels, 1, 1) if keep else (1, channels)
    _set(b, node, _Act(dims, ref, 1))


def _norm(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    attrs = b.attrs(node)
    layer: Layer
    if node.op_type == "BatchNormalization":
        _image(x)
        kind, layer = "batchnorm", BatchNormLayer()
    elif node.op_type == "LayerNormalization":
        axis = _axis(b, "axis", attrs.integer("axis", -1), len(x.dims))
        if x.axis is None or axis != len(x.dims) - 1 or x.axis != axis:
            raise _Unknown("normalization over axes other than the channels alone")
        kind, layer = "layernorm", LayerNormLayer()
    else:
        _image(x)
        if "num_groups" not in attrs:
            raise _Invalid("num_groups", "expected a positive integer (a required attribute), found none")
        kind, layer = "groupnorm", GroupNormLayer(attrs.integer("num_groups", 1, 1))
    ref = b.add(node.name, kind, layer, (x.ref,), node.output[0])
    _set(b, node, x._replace(ref=ref, tag=()))


def _concat(b: _Builder, node: Any) -> None:
    acts = [_act(b, name) for name in node.input]
    attrs = b.attrs(node)
    if "axis" not in attrs:
        raise _Invalid("axis", "expected an integer (a required attribute), found none")
    first = acts[0]
    axis = _axis(b, "axis", attrs.integer("axis", 0), len(first.dims))
    if any(a.axis is None or len(a.dims) != len(first.dims) for a in acts):
        raise _Unknown("inputs whose channels are not known")
    if axis != first.axis or any(a.axis != first.axis for a in acts):
        raise _Unknown("concatenation along an axis that is not the channels'")
    if first.axis != 1 or len(first.dims) != 4:
        raise _Unknown("inputs that are not N×C×H×W")
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
        raise _Unknown("a split along an axis that is not the channels'")
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
            raise _Unknown(f"{count:,} parts of {channels:,} channels")
        size = -(-channels // count)
        sizes = [size] * (count - 1) + [channels - size * (count - 1)]
    if sizes is None or sum(sizes) != channels or len(sizes) != len(node.output) or min(sizes) < 1:
        raise _Unknown("split sizes that are not known")
    if len(sizes) == 1:
        _set(b, node, x)
        return
    equal = len(set(sizes)) == 1 and "split" not in attrs and not (len(node.input) > 1 and node.input[1])
    layer = SplitLayer(None, len(sizes)) if equal else SplitLayer(tuple(sizes))
    name = _split_node(b, node.name, x.ref, layer, node.output[0])
    for index in range(len(sizes)):
        _new_image(b, _Output(node, index), f"{name}.{index}")


class _Output:
    """One output of a node, as the node whose only output it is."""

    def __init__(self, node: Any, index: int) -> None:
        self.output = [node.output[index]]


MAX_CUTS = 64
"""The most parts of a ``split`` made of Slices: a Slice that would cut one into more starts another (splits cost
nothing: this bounds the work, not the count)."""


class _Cuts:
    """A ``split`` made of Slices of one output's channels (as ``x.chunk(n, dim=1)`` is exported without a
    Split): the channels it is cut at (0 and C included) and the runs of channels read so far (start → end)."""

    def __init__(self, name: str, bounds: list[int]) -> None:
        self.name = name
        self.bounds = bounds
        self.read: dict[int, int] = {}

    def fits(self, lo: int, hi: int) -> bool:
        """Whether the run ``lo`` to ``hi`` is a part, or can be made one by cutting parts no one reads yet."""
        if (lo, hi) in self.read.items():
            return True
        inside = bisect.bisect_right(self.bounds, lo), bisect.bisect_left(self.bounds, hi)
        if inside[0] < inside[1]:  # a cut inside the run
            return False
        cuts = [c for c in (lo, hi) if c not in self.bounds]
        if len(self.bounds) - 1 + len(cuts) > MAX_CUTS:
            return False
        for cut in cuts:  # the part the cut falls in must not have been read
            below = self.bounds[bisect.bisect_left(self.bounds, cut) - 1]
            if self.read.get(below, -1) > cut:
                return False
        return True


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
        if isinstance(value, _Act):
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
                raise _Unknown("bounds that are not constants")
            values.append(_whole(field, const.values))
        else:
            values.append(None)
    starts, ends, axes, steps = values
    if starts is None or ends is None:
        raise _Unknown("bounds that are not constants")
    axes = axes or list(range(len(starts)))
    steps = steps or [1] * len(starts)
    if not len(starts) == len(ends) == len(axes) == len(steps):
        raise _Invalid("axes", f"expected as many starts, ends, axes and steps, found {len(starts)}, {len(ends)},"
                       f" {len(axes)} and {len(steps)}")  # fmt: skip
    if 0 in steps:
        raise _Invalid("steps", f"expected steps other than 0, found {_found(steps)}")
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
        raise _Unknown("a slice of anything but a run of channels")
    _, lo, hi, _ = cut[0]
    if hi <= lo:
        raise _Unknown("a slice of no channels")
    _new_image(b, node, _slice_part(b, node.name, x.ref, lo, hi))


def _reshape_dims(b: _Builder, node: Any, x: _Act) -> tuple[int, ...]:
    """The dims a Reshape, Flatten, Squeeze or Unsqueeze gives ``x``."""
    op, attrs, dims = node.op_type, b.attrs(node), list(x.dims)
    if op == "Flatten":
        axis = attrs.integer("axis", 1)
        if not -len(dims) <= axis <= len(dims):
            expected = f"expected an axis from {-len(dims)} to {len(dims)} (of a {len(dims)}-D tensor)"
            raise _Invalid("axis", f"{expected}, found {_found(axis)}")
        axis %= len(dims) + 1
        return (_prod(dims[:axis]), _prod(dims[axis:]))
    argument: list[int] | None = None
    field = "shape" if op == "Reshape" else "axes"
    if len(node.input) > 1 and node.input[1]:
        const = _const(b, node.input[1])
        argument = _whole(field, const.values) if const is not None and const.values is not None else None
        if argument is None:
            raise _Unknown("a shape that is not a constant")
    if op == "Reshape":
        if argument is None:
            raise _Unknown("a shape that is not given")
        if len(argument) > MAX_RANK:
            raise _Unknown(f"a shape of {len(argument):,} dims")
        zero = not attrs.integer("allowzero", 0, 0, 1)
        if any(v < -1 for v in argument) or argument.count(-1) > 1:
            raise _Invalid(field, f"expected sizes ≥ 0 and at most one -1, found {_found(argument)}")
        if zero and len(argument) > len(dims) and 0 in argument[len(dims) :]:
            raise _Unknown("a 0 (copy the size) beyond the input's dims")
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
        raise _Unknown(f"a tensor of {rank:,} dims")
    for axis in sorted(_axis(b, field, a, rank) for a in axes):
        dims.insert(axis, 1)
    return tuple(dims)


def _reshape(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    _view(b, node, x, _reshape_dims(b, node, x))


def _gather(b: _Builder, node: Any) -> None:
    """A Gather of every value of a flat tensor (the dynamo exporter's as_strided): a reshape to the indices'
    dims."""
    x = _act(b, node.input[0])
    indices = _const(b, node.input[1]) if len(node.input) > 1 else None
    if b.attrs(node).integer("axis", 0) != 0 or len(x.dims) != 1 or indices is None or indices.dims is None:
        raise _Unknown("a gather that is not a view of every value")
    if _prod(indices.dims) != x.dims[0]:
        raise _Unknown("a gather that is not a view of every value")
    _view(b, node, x, tuple(indices.dims))


def _view(b: _Builder, node: Any, x: _Act, dims: tuple[int, ...]) -> None:
    """``x`` seen as ``dims``: the same output, its channel axis found again where it can be."""
    if _prod(dims) != _prod(x.dims):
        raise _Unknown(f"{'×'.join(map(str, x.dims))} to {'×'.join(map(str, dims))}")
    shape = b.shapes[x.ref]
    axis: int | None = None
    tag: tuple[Any, ...] = ()
    if len(dims) == 4 and dims[1:] == (shape.channels, shape.height, shape.width):
        axis = 1
        if x.tag[:1] == ("shuffled",):  # a channel shuffle: split, transposed, merged
            ref = b.add(node.name, "shuffle", ShuffleLayer(x.tag[1]), (x.ref,), node.output[0])
            _set(b, node, _Act(dims, ref, 1))
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
    _set(b, node, _Act(dims, x.ref, axis, tag))


def _transpose(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    perm = b.attrs(node).integers("perm") or list(reversed(range(len(x.dims))))
    if sorted(perm) != list(range(len(x.dims))):
        found = f"found {_found(perm)} (of a {len(x.dims)}-D tensor)"
        raise _Invalid("perm", f"expected a permutation of 0 to {len(x.dims) - 1}, {found}")
    dims = tuple(x.dims[p] for p in perm)
    tag: tuple[Any, ...] = ()
    if x.tag[:1] == ("grouped",) and perm == [0, 2, 1, 3, 4]:
        tag = ("shuffled", x.tag[1])
    axis = perm.index(x.axis) if x.axis is not None else None
    _set(b, node, _Act(dims, x.ref, axis, tag))


def _depth_to_space(b: _Builder, node: Any) -> None:
    """DepthToSpace (either mode: the same shape) and SpaceToDepth: ``pixelshuffle`` and ``pixelunshuffle``."""
    x = _act(b, node.input[0])
    _image(x)
    attrs = b.attrs(node)
    if "blocksize" not in attrs:
        raise _Invalid("blocksize", "expected a positive integer (a required attribute), found none")
    factor = attrs.integer("blocksize", 1, 1)
    layer: Layer
    if node.op_type == "DepthToSpace":
        mode = attrs.string("mode", "DCR")
        if mode not in ("DCR", "CRD"):
            raise _Invalid("mode", f"expected DCR or CRD, found {_found(mode.encode())}")
        kind, layer = "pixelshuffle", PixelShuffleLayer(factor)
    else:
        kind, layer = "pixelunshuffle", PixelUnshuffleLayer(factor)
    try:
        layer.evaluate((b.shapes[x.ref],))
    except ShapeError as error:
        raise _Invalid("blocksize", f"{error.message}") from None
    _new_image(b, node, b.add(node.name, kind, layer, (x.ref,), node.output[0]))


_PAD_MODES = ("constant", "reflect", "edge", "wrap")


def _pad(b: _Builder, node: Any) -> None:
    """Pad of H and W (each side its own count, every mode: a copy, nothing counted): ``pad``. Pads of the batch
    or the channels, and negative pads (a crop), are not understood."""
    x = _act(b, node.input[0])
    _image(x)
    attrs = b.attrs(node)
    mode = attrs.string("mode", "constant")
    if mode not in _PAD_MODES:
        raise _Invalid("mode", f"expected constant, reflect, edge or wrap, found {_found(mode.encode())}")
    pads: list[int] | None = attrs.integers("pads")  # opsets before 11
    if len(node.input) > 1 and node.input[1]:
        const = _const(b, node.input[1])
        if const is None or const.values is None:
            raise _Unknown("pads that are not a constant")
        pads = _whole("pads", const.values)
    if pads is None:
        raise _Invalid("pads", "expected pads (an input or, before opset 11, an attribute), found none")
    axes = list(range(4))
    if len(node.input) > 3 and node.input[3]:
        const = _const(b, node.input[3])
        if const is None or const.values is None:
            raise _Unknown("axes that are not a constant")
        axes = [_axis(b, "axes", a, 4) for a in _whole("axes", const.values)]
    if len(pads) != 2 * len(axes) or len(set(axes)) != len(axes):
        found = f"found {len(pads)} pads for {len(axes)} axes"
        raise _Invalid("pads", f"expected two pads (begin and end) per axis, once each, {found}")
    before, after = [0] * 4, [0] * 4
    for axis, begin, end in zip(axes, pads[: len(axes)], pads[len(axes) :], strict=True):
        before[axis], after[axis] = begin, end
    if any(before[:2]) or any(after[:2]):
        raise _Unknown("a pad of the batch or the channels")
    if min(before + after) < 0:
        raise _Unknown("a negative pad (a crop)")
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
        raise _Unknown(f"mode {_shown(mode)!r} (nearest and linear only)")
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
                raise _Invalid("scales", f"expected finite numbers above 0, found {_found(list(scales))}")
    axes = attrs.integers("axes")
    if axes is not None:  # opset 18: scales or sizes of these axes only
        axes = [_axis(b, "axes", a, 4) for a in axes]
        given = sizes if sizes is not None else scales
        if len(set(axes)) != len(axes) or (given is not None and len(given) != len(axes)):
            raise _Invalid("axes", f"expected distinct axes, one per scale or size, found {_found(axes)}")
        if sizes is not None:
            sizes = [sizes[axes.index(i)] if i in axes else d for i, d in enumerate(x.dims)]
        elif scales is not None:
            scales = [scales[axes.index(i)] if i in axes else 1 for i in range(4)]
    if sizes is not None and len(sizes) == 4 and tuple(sizes[:2]) != x.dims[:2]:
        raise _Unknown("a resize of the batch or the channels")
    if sizes is None and scales is not None and len(scales) == 4 and list(scales[:2]) != [1, 1]:
        raise _Unknown("a resize of the batch or the channels")
    if sizes is not None and attrs.string("keep_aspect_ratio_policy", "stretch") != "stretch":
        raise _Unknown("an aspect-ratio policy other than stretch")
    if sizes is not None and len(sizes) == 4:
        layer = UpsampleLayer(None, (sizes[2], sizes[3]), fn)
    elif scales is not None and len(scales) == 4 and all(float(s).is_integer() and s >= 1 for s in scales[2:]):
        layer = UpsampleLayer((int(scales[2]), int(scales[3])), None, fn)
    elif scales is not None and len(scales) == 4:
        size = (int(shape.height * scales[2]), int(shape.width * scales[3]))
        if min(size) < 1:
            found = f"found {_found(list(scales))}, which makes {shape.height}×{shape.width} {size[0]}×{size[1]}"
            raise _Invalid("scales", f"expected scales that leave at least 1×1, {found}")
        layer = UpsampleLayer(None, size, fn)
    else:
        raise _Unknown("scales or sizes that are not constants")
    shrinks = layer.size is not None and (layer.size[0] < shape.height or layer.size[1] < shape.width)
    if mode == "linear" and shrinks and attrs.integer("antialias", 0, 0, 1):
        raise _Unknown("antialiasing where the map shrinks")
    _new_image(b, node, b.add(node.name, "upsample", layer, (x.ref,), node.output[0]))


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


def _constant(b: _Builder, node: Any) -> _Const:
    """The value of a Constant node: its tensor, or one of its value_* attributes."""
    attrs = b.attrs(node)
    if "value" in attrs:
        tensor = attrs.tensor("value")
        dims = tuple(int(d) for d in tensor.dims)
        if any(d < 0 for d in dims):
            raise _Invalid("value", f"expected a tensor of sizes ≥ 0, found dims {_found(dims)}")
        return _Const(dims, b._small(tensor), tensor.data_type in FLOAT_TYPES)
    for attribute in node.attribute:
        if attribute.type in (1, 2):  # value_float, value_int
            value = attribute.f if attribute.type == 1 else attribute.i
            return _Const((), [value], attribute.type == 1)
        if attribute.type in (6, 7):  # value_floats, value_ints
            values = list(attribute.floats if attribute.type == 6 else attribute.ints)
            return _Const((len(values),), values, attribute.type == 6)
    return _Const(None, None)


def _evaluated(b: _Builder, node: Any, inputs: list[Any]) -> list[Any] | None:
    """The values of a simple op on constants (1-D, as shapes are), or ``None`` where they are not known."""
    op = node.op_type
    known = [v.values if isinstance(v, _Const) else None for v in inputs]
    flat = [isinstance(v, _Const) and v.dims is not None and len(v.dims) <= 1 for v in inputs]
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
        _set(b, node, _Const((len(sizes),) if sizes is not None else None, sizes))
        return
    if op == "Constant":
        _set(b, node, _constant(b, node))
        return
    first = inputs[0] if inputs else None
    if op == "Cast" and isinstance(first, _Const):
        to = b.attrs(node).integer("to", 0)
        values = first.values
        if values is not None and to in INT_TYPES:
            numbers = all(_number(v) and math.isfinite(v) for v in values)
            values = [int(v) for v in values] if numbers else None
        elif values is not None and to in FLOAT_TYPES:
            values = [float(v) for v in values] if all(_number(v) for v in values) else None
        else:
            values = None
        _set(b, node, _Const(first.dims, values, to in FLOAT_TYPES))
        return
    if op == "Identity" and isinstance(first, _Const):
        _set(b, node, first)
        return
    value = _evaluated(b, node, inputs)
    floating = isinstance(first, _Const) and first.floating
    length = (len(value),) if value is not None else None
    for index in range(len(node.output)):
        _set(b, node, _Const(length, value, floating), index)


class Handler(NamedTuple):
    """How the reader reads one op type: ``read`` (the builder, the node), what it becomes (``costs``: the layer
    type and when) and the attributes and constant inputs it reads (``reads``): a row of docs/onnx.md's table."""

    read: Callable[[_Builder, Any], None]
    costs: str
    reads: str = ""


_CONV = (
    "group, strides, pads (asymmetric: as the symmetric padding of the same output size), auto_pad, dilations, "
    "kernel_shape (must be the weight's); the weight's dims (must fit the input's channels and the groups) and bias"
)
_NOTHING = "nothing: the same values"
HANDLERS: dict[str, Handler] = {
    "Conv": Handler(
        _conv,
        "`conv`; `depthwise` with one group per input channel; `pointwise` when 1×1; a depthwise conv whose output "
        "goes only to a 1×1 conv (straight or through one activation) and that conv: one `separable` layer",
        _CONV,
    ),
    "ConvTranspose": Handler(
        _conv_transpose,
        "`convtranspose`",
        "group, strides, pads (symmetric), output_padding, dilations, kernel_shape; the weight's dims and bias "
        "(output_shape and auto_pad: not understood)",
    ),
    "Gemm": Handler(
        _gemm,
        "`linear` (on N×features); an Add of a per-channel constant right after is its bias",
        "transA (0 only), transB; the weight's dims (must fit the input's features) and bias",
    ),
    "MatMul": Handler(
        _matmul,
        "`linear` by a constant weight (on a channels-last map: `per_position: true`)",
        "the weight's dims (must fit the input's features)",
    ),
    "Einsum": Handler(
        _einsum,
        "a contraction of the channels by a constant matrix, the output in the input's layout: `pointwise` on "
        "N×C×H×W (`bchw,oc->bohw`), `linear` on a channels-last map (`per_position: true`, `nhwc,cd->nhwd`) or on "
        "N×features (`bc,oc->bo`); any other equation: not understood",
        "equation; the matrix's dims (must fit the input's channels)",
    ),
    "Add": Handler(
        _elementwise,
        "`add` of two outputs; of a per-channel constant: the bias of the conv or linear layer before; of a scalar: "
        "nothing",
    ),
    "Sub": Handler(_elementwise, "of a per-channel constant: the bias of the layer before; of a scalar: nothing"),
    "Mul": Handler(
        _elementwise,
        "`mul` of two outputs (a gate: C×1×1 over C×H×W); by a per-channel constant: `scale`; by a scalar: nothing; "
        "x·sigmoid(x): `activation` silu; x·½(1 + erf(x/√2)): `activation` gelu",
    ),
    "Div": Handler(_elementwise, "by a per-channel constant: `scale`; by a scalar: nothing"),
    "Relu": Handler(_activation, "`activation` relu"),
    "Clip": Handler(
        _activation,
        "`activation` relu6 (bounds 0 and 6), relu (0 and none)",
        "min, max (attributes or constant inputs)",
    ),
    "Sigmoid": Handler(_activation, "`activation` sigmoid"),
    "HardSigmoid": Handler(_activation, "`activation` hardsigmoid"),
    "HardSwish": Handler(_activation, "`activation` hardswish"),
    "Tanh": Handler(_activation, "`activation` tanh"),
    "Gelu": Handler(_activation, "`activation` gelu"),
    "Erf": Handler(_erf, "a step of GELU's pattern (nothing alone)"),
    "Dropout": Handler(_alias, _NOTHING),
    "Identity": Handler(_alias, _NOTHING),
    "Cast": Handler(_alias, _NOTHING, "to (evaluated on constants)"),
    "MaxPool": Handler(_pool, "`pool` max", "kernel_shape, strides, pads, auto_pad, ceil_mode (dilations: 1 only)"),
    "AveragePool": Handler(_pool, "`pool` avg", "kernel_shape, strides, pads, auto_pad, ceil_mode (dilations: 1 only)"),
    "GlobalAveragePool": Handler(_pool, "`pool` avg, global"),
    "GlobalMaxPool": Handler(_pool, "`pool` max, global"),
    "ReduceMean": Handler(
        _reduce_mean,
        "`pool` avg, global (over H and W only)",
        "axes (attribute or constant input), keepdims",
    ),
    "BatchNormalization": Handler(_norm, "`batchnorm` (γ and β: 2 per channel)"),
    "LayerNormalization": Handler(_norm, "`layernorm` (over the channels alone)", "axis"),
    "GroupNormalization": Handler(_norm, "`groupnorm`", "num_groups"),
    "Concat": Handler(_concat, "`concat` (on the channels)", "axis"),
    "Split": Handler(
        _split,
        "`split` on the channels (`parts: n` for equal parts, else `sizes`), its parts read as `NAME.0`, `NAME.1`, …",
        "axis, split (attribute or constant input), num_outputs",
    ),
    "Slice": Handler(
        _slice,
        "a part of a `split` of the channels: the Slices of one output into runs that do not overlap are the parts of"
        " one `split`; a Slice of every value: nothing",
        "starts, ends, axes, steps (constant inputs)",
    ),
    "Reshape": Handler(
        _reshape,
        "nothing (a view); with Transpose and Reshape after it, a channel shuffle: `shuffle`",
        "shape (a constant input, evaluated from the shapes), allowzero",
    ),
    "Flatten": Handler(_reshape, _NOTHING + " (a view)", "axis"),
    "Squeeze": Handler(_reshape, _NOTHING + " (a view)", "axes (attribute or constant input)"),
    "Unsqueeze": Handler(_reshape, _NOTHING + " (a view)", "axes (attribute or constant input)"),
    "Transpose": Handler(_transpose, _NOTHING + " (the channels' axis followed)", "perm"),
    "DepthToSpace": Handler(
        _depth_to_space,
        "`pixelshuffle` (C×H×W → C/r² × H·r × W·r)",
        "blocksize, mode (DCR or CRD: the same shape)",
    ),
    "SpaceToDepth": Handler(_depth_to_space, "`pixelunshuffle` (C×H×W → C·r² × H/r × W/r)", "blocksize"),
    "Resize": Handler(
        _resize,
        "`upsample` of H and W (nearest; bilinear for linear); cubic: not understood (no count of its 4×4 taps)",
        "mode (nearest or linear), scales or sizes (constant inputs), axes, keep_aspect_ratio_policy (stretch only "
        "with sizes), antialias (linear: not where the map shrinks); scales or sizes of N or C: not understood",
    ),
    "Upsample": Handler(
        _resize,
        "`upsample` of H and W (nearest; bilinear for linear); cubic: not understood",
        "mode (nearest or linear), scales (attribute or constant input)",
    ),
    "Pad": Handler(
        _pad,
        "`pad` of H and W (each side its own count; every mode a copy: nothing counted); pads of 0: nothing",
        "pads (a constant input; before opset 11, an attribute), mode (constant, reflect, edge or wrap), "
        "constant_value (any: the same cost), axes (a constant input); pads of N or C and negative pads: not "
        "understood",
    ),
    "Shape": Handler(_shape_op, "evaluated (the shape computation), then ignored", "start, end"),
    "Gather": Handler(
        _gather,
        "on constants: evaluated; of every value of a flat output (the dynamo exporter's as_strided): nothing (a view)",
        "axis (0 only), indices (a constant)",
    ),
}
"""Every op type the reader reads, with what it costs and what it reads (docs/onnx.md's op table is made from
it). Constant and the arithmetic of shape constants are evaluated wherever they read no data."""

_OPS: dict[str, Callable[[_Builder, Any], None]] = {op: handler.read for op, handler in HANDLERS.items()}


def _where(node: Any, index: int) -> str:
    """A node as a problem names it: ``node NAME (OP)``, ``node #INDEX (OP)`` when it has no name."""
    return f"node {_shown(node.name) if node.name else f'#{index}'} ({_shown(node.op_type)})"


def _order(file: str, graph: Any, known: set[str]) -> list[int]:
    """The indices of the graph's nodes in an order where each comes after the nodes whose outputs it reads.

    :raises SpecError: each tensor that a node reads and no node makes (at its first reader), or a cycle."""
    producer: dict[str, int] = {}
    for index, node in enumerate(graph.node):
        for name in node.output:
            if name:
                producer[name] = index
    waiting: list[int] = []
    readers: dict[int, list[int]] = {}
    problems: list[Located] = []
    missing: set[str] = set()
    for index, node in enumerate(graph.node):
        count = 0
        for name in node.input:
            if not name or name in known:
                continue
            if name not in producer:
                if name in missing:  # said once, at the first node that reads it
                    continue
                missing.add(name)
                message = f"reads the tensor {_shown(repr(name))}, which no node makes"
                problems.append(Problem(file, 0, 0, _where(node, index), "", message))
                continue
            readers.setdefault(producer[name], []).append(index)
            count += 1
        waiting.append(count)
    if problems:
        raise SpecError(problems)
    ready = [i for i, n in enumerate(waiting) if n == 0]
    ready.reverse()
    order = []
    while ready:
        index = ready.pop()
        order.append(index)
        for reader in reversed(readers.get(index, [])):
            waiting[reader] -= 1
            if waiting[reader] == 0:
                ready.append(reader)
    if len(order) != len(graph.node):
        stuck = next(i for i, n in enumerate(waiting) if n > 0)
        where = _where(graph.node[stuck], stuck)
        raise _problem(file, "the graph has a cycle: this node reads its own output through others", where)
    return order


class Imported(NamedTuple):
    """A network read from an ONNX file, with the ops that were not understood (op type → count; only with
    ``allow_unknown``: otherwise they are a problem)."""

    network: Network
    unknown: dict[str, int]


UNKNOWN_HINT = (
    "dsc-cost costs only the ops it understands (docs/onnx.md lists them); --allow-unknown costs these as nothing"
    " and marks the result approximate"
)


def read_network(
    path: str, options: OnnxOptions = DEFAULTS, bounds: Bounds = DEFAULT_BOUNDS, tally: Tally | None = None
) -> Imported:
    """The network of the ONNX file ``path``, read within ``bounds``: its graph's description (its weights' data
    left out) of at most ``bounds.max_file_size`` bytes, and its nodes, each counted as one layer, with the
    layers ``tally`` counted so far (``None``: none), at most ``bounds.max_layers``.

    Every shape propagated is checked against the one the file declares or ``onnx.shape_inference`` infers
    (unless ``options.input`` changes the input), every weight's dims against the channels it is applied to.
    An op that is not understood is a problem; with ``options.allow_unknown`` it costs nothing, its output is
    followed only where the file gives its shape and that shape is its input's (element-wise), and the
    network's :class:`~dsc_cost.network.Notes` say it is approximate.

    :raises SpecError: one problem naming the file when it cannot be read as an ONNX model of one image
        input; one problem per value no valid model has (a negative group, an infinite scale, a weight of the
        wrong channels, a shape that is not the file's), each located at its node and attribute or input, and
        one listing the ops not understood (unless ``options.allow_unknown``), all at once;
        a :class:`~dsc_cost.errors.BoundError` when a bound is passed.
    """
    onnx = _onnx(path)
    listed = tally.listed if tally is not None else 0
    model = read_model(path, bounds.max_file_size, bounds.max_layers - listed, bounds.max_layers)
    graph = model.graph
    if tally is not None:
        tally.listed += len(graph.node)
    builder = _Builder(path, onnx, graph, options.input)
    if options.input is None:  # --input changes every size: the file's shapes are then not this network's
        builder.declared = _declared_shapes(onnx, model)
    weights = {t.name: _prod(t.dims) for t in graph.initializer if t.data_type in FLOAT_TYPES}
    known = set(builder.values) | builder.poisoned
    for index in _order(path, graph, known):
        node = graph.node[index]
        if any(n in builder.poisoned for n in node.input if n):  # after a node with a problem: not read
            builder.poisoned.update(n for n in node.output if n)
            continue
        try:
            _read_node(builder, node, index)
        except _Invalid as invalid:
            builder.invalid(_where(node, index), invalid.field, invalid.message)
            builder.poisoned.update(n for n in node.output if n)
            continue
        _weights_read(builder, node, weights)
    if builder.unknown and not options.allow_unknown:
        builder.problems.append(Problem(path, 0, 0, "", "", _unknown_problem(builder)))
    if builder.problems:
        raise SpecError(builder.problems)
    nodes = []
    previous = "input"
    for name, kind, layer, inputs in builder.nodes.values():
        same = len(inputs) == 1 and inputs[0] == previous  # a split's part is always named
        reads = () if same else tuple(inputs)
        nodes.append(Node(name, kind, layer, reads))
        previous = name
    shared = tuple((name, n) for name, n in builder.shared.items() if name in builder.nodes)
    notes = Notes(
        tuple(sorted(builder.unknown.items(), key=lambda item: (-item[1], item[0]))),
        builder.skipped,
        shared,
        sum(1 for readers in builder.readers.values() if len(readers) > 1),
        options.shared_weights == "once",
    )
    stem = os.path.splitext(os.path.basename(path))[0]
    return Imported(Network(stem, builder.input, tuple(nodes), notes), dict(builder.unknown))


PARAM_INPUTS = {
    "Conv": (1, 2), "ConvTranspose": (1, 2), "Gemm": (1, 2), "MatMul": (1,), "Add": (0, 1), "Sub": (0, 1),
    "Mul": (0, 1), "Div": (0, 1), "BatchNormalization": (1, 2), "LayerNormalization": (1, 2),
    "GroupNormalization": (1, 2),
}  # fmt: skip
"""The inputs of each op that are a layer's params where they are weights (a BatchNormalization's running mean
and variance are not: they are statistics)."""


def _weights_read(b: _Builder, node: Any, weights: dict[str, int]) -> None:
    """The weights (float initializers of more than one value, read straight or through Identity nodes) that
    ``node`` read into the layer its output is of: each read after the first is params of that layer counted again
    (:attr:`_Builder.shared`)."""
    positions = PARAM_INPUTS.get(node.op_type)
    if positions is None or not node.output:
        return
    value = b.values.get(node.output[0])
    if not isinstance(value, _Act) or value.ref not in b.nodes:
        return
    for position in positions:
        name = node.input[position] if position < len(node.input) else ""
        name = b.alias.get(name, name)
        size = weights.get(name, 0)
        if size <= 1:
            continue
        readers = b.readers.setdefault(name, [])
        if readers:
            b.shared[value.ref] += size
        readers.append(value.ref)


def _read_node(builder: _Builder, node: Any, index: int) -> None:
    """One node read into the network being built: costed, evaluated (shapes), or counted as not understood (its
    output followed where the file says it is its input's shape: the ops after it are read, and their own
    problems said).

    :raises _Invalid: a value no valid model has."""
    if builder.lost and any(n in builder.lost for n in node.input if n):  # after an op not understood: not costed
        builder.skipped += 1
        builder.lost.update(n for n in node.output if n)
        return
    reads_data = any(isinstance(builder.values.get(n), _Act) for n in node.input if n)
    if not reads_data:
        if node.op_type == "Identity" and node.input and node.output:  # a weight under another name (the legacy
            builder.alias[node.output[0]] = builder.alias.get(node.input[0], node.input[0])  # exporter's dedup)
        _shape_op(builder, node)
        return
    handler = _OPS.get(node.op_type)
    try:
        if handler is None:
            raise _Unknown("")
        handler(builder, node)
    except (_Unknown, IndexError, KeyError, TypeError, ValueError, ZeroDivisionError) as error:  # not as expected
        builder.unknown[node.op_type] += 1
        if node.op_type not in builder.first_unknown:
            reason = str(error) if isinstance(error, _Unknown) else ""
            builder.first_unknown[node.op_type] = _where(node, index) + (f": {reason}" if reason else "")
        builder.lost.update(n for n in node.output if n)
        inputs = [builder.values.get(n) for n in node.input if n]
        data = [v for v in inputs if isinstance(v, _Act)]
        declared = builder.declared.get(node.output[0]) if len(node.output) == 1 else None
        if len(data) == 1 and declared is not None and None not in declared[1:]:
            if not _disagrees(declared, data[0].dims):  # element-wise, as the file says: the data passes on
                builder.lost.discard(node.output[0])
                _set(builder, node, data[0]._replace(tag=()))


def _unknown_text(unknown: dict[str, int]) -> str:
    ops = sorted(unknown.items(), key=lambda item: (-item[1], item[0]))
    total = sum(unknown.values())
    return f"{total} op{'s' if total != 1 else ''} ({', '.join(f'{op} ×{n}' for op, n in ops)})"


def _unknown_problem(b: _Builder) -> str:
    """The one problem of the ops not understood: each type, its count and its first node, and the hint."""
    ops = sorted(b.unknown.items(), key=lambda item: (-item[1], item[0]))
    total = sum(b.unknown.values())
    listed = "; ".join(f"{_shown(op)} ×{n} (first: {b.first_unknown[op]})" for op, n in ops[:20])
    more = f"; and {len(ops) - 20:,} more op types" if len(ops) > 20 else ""
    after = f", and {b.skipped:,} node{'s' if b.skipped != 1 else ''} after them" if b.skipped else ""
    return f"{total:,} op{'s' if total != 1 else ''} not understood{after}: {listed}{more}. {UNKNOWN_HINT}"


def notes_warnings(path: str, notes: Notes) -> list[str]:
    """What a network read from ``path`` warns of: the ops costed as nothing, the weights read by several
    layers."""
    lines = []
    if notes.approximate:
        ops = ", ".join(f"{op} ×{n}" for op, n in notes.unknown)
        total = sum(n for _, n in notes.unknown)
        after = f", and {notes.skipped:,} node{'s' if notes.skipped != 1 else ''} after them," if notes.skipped else ""
        lines.append(
            f"{path}: {total:,} op{'s' if total != 1 else ''} not understood ({ops}){after} costed as nothing"
            " (--allow-unknown): the result is approximate"
        )
    if notes.shared_weights:
        count = notes.shared_weights
        how = (
            "counted once (--shared-weights once)"
            if notes.shared_once
            else "counted once per use (--shared-weights once counts each once)"
        )
        lines.append(
            f"{path}: {count:,} weight{'s are' if count != 1 else ' is'} read by several layers:"
            f" {notes.shared_params:,} params {how}"
        )
    return lines


def load_onnx(
    path: str,
    options: OnnxOptions = DEFAULTS,
    warn: Callable[[str], None] | None = None,
    bounds: Bounds = DEFAULT_BOUNDS,
    tally: Tally | None = None,
) -> list[Spec]:
    """The spec of the ONNX file ``path`` (as :func:`~dsc_cost.spec.load_files` gives one for each network of a
    spec file), read within ``bounds`` and ``tally`` as :func:`read_network` reads it; ``warn`` hears the ops
    costed as nothing and the weights read by several layers (:func:`notes_warnings`), a line each.

    :raises SpecError: as :func:`read_network`.
    """
    from .spec import Spec

    imported = read_network(path, options, bounds, tally)
    network = imported.network
    if warn is not None and network.notes is not None:
        for line in notes_warnings(path, network.notes):
            warn(line)
    return [Spec(network, None, path, 0, "", tuple(range(len(network.nodes))))]


# ---------------------------------------------------------------- writing the spec


def _plain(field: Any, value: Any) -> Any:
    """``value`` as the spec writes it: a pair of equal numbers as one where the field reads it back so."""
    if isinstance(value, tuple):
        if len(value) == 2 and value[0] == value[1]:
            try:
                if field.parse(value[0]) == value:
                    return value[0]
            except Exception:  # the field takes lists only (a split's sizes)
                pass
        return list(value)
    return value


def spec_data(network: Network) -> dict[str, Any]:
    """The spec of ``network`` as plain data: every field of a layer that is not its default, ``from`` where
    a layer reads an output that is not the previous one's."""
    from .layers import REGISTRY

    layers = []
    for node in network.nodes:
        item: dict[str, Any] = {"name": node.name, "type": node.type}
        layer_type = REGISTRY.get(node.type)
        if layer_type is not None:
            defaults = type(node.layer)._field_defaults  # type: ignore[attr-defined]
            for field in layer_type.fields:
                if field.attribute is None or field.name == "inputs":
                    continue
                value = getattr(node.layer, field.attribute)
                if field.attribute in defaults and value == defaults[field.attribute]:
                    continue
                item[field.name] = _plain(field, value)
        if node.inputs:
            if layer_type is not None and layer_type.multi_input:
                item["inputs"] = list(node.inputs)
            else:
                item["from"] = node.inputs[0]
        layers.append(item)
    shape = network.input
    return {"name": network.name, "input": [shape.channels, shape.height, shape.width], "layers": layers}


def spec_text(network: Network, format: str = "yaml") -> str:
    """The spec of ``network`` as YAML (one layer a line, in flow style) or JSON."""
    import json

    data = spec_data(network)
    if format == "json":
        return json.dumps(data, indent=2) + "\n"
    lines = [f"name: {json.dumps(data['name'])}", f"input: {json.dumps(data['input'])}", "layers:"]
    for item in data["layers"]:
        fields = ", ".join(f"{key}: {json.dumps(value)}" for key, value in item.items())
        lines.append(f"  - {{{fields}}}")
    return "\n".join(lines) + "\n"


__all__ = [
    "HANDLERS", "INSTALL", "Handler", "Imported", "OnnxOptions", "Problem", "is_onnx", "load_onnx", "read_model",
    "read_network", "spec_data", "spec_text",
]  # fmt: skip

_ = new  # the layers' fast constructor is not needed here
