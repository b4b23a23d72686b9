"""ONNX models in: a graph read as a :class:`~dsc_cost.network.Network`, so that every command that costs
spec files costs ``.onnx`` files too, and :func:`spec_text` writes the equivalent spec.

Weights are never read: the file is mapped, not loaded, and its initializers are kept without their data
(their dims are all that counts), so that a 100 MB model is read in a fraction of a second and in little
memory. Shapes are propagated here, through the ops that costing needs (convolutions, linear layers,
pooling, norms, element-wise ops, concatenation and splits, and the reshapes between them); the small
integer subgraphs that compute shapes are evaluated, then ignored. An op that is not understood costs
nothing and is named in one warning (``strict``: a problem).

Each op is mapped onto a layer type of the registry: a Conv is ``conv``, ``depthwise`` (one group per input
channel) or ``pointwise`` (1×1), and a depthwise conv whose output goes only to a 1×1 conv (straight, or
through one activation, as MobileNetV2's blocks run them) is one ``separable`` layer; Gemm, and MatMul
with a weight, are ``linear`` (``per_position`` on a channels-last map), a bias added after them is theirs;
Mul by a per-channel weight is ``scale``; x·sigmoid(x) is ``silu`` and x·½(1 + erf(x/√2)) is ``gelu``.

The package ``onnx`` is optional (``pip install 'dsc-cost[onnx]'``): without it, an ONNX file is one
problem naming it.
"""

from __future__ import annotations

import math
import mmap
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from .errors import Located, SpecError
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
from .layers.pointwise import PointwiseLayer
from .layers.pool import PoolLayer
from .layers.scale import ScaleLayer
from .layers.separable import SeparableLayer
from .layers.shuffle import ShuffleLayer
from .layers.split import SplitLayer
from .layers.upsample import UpsampleLayer
from .network import Network, Node

if TYPE_CHECKING:
    from .spec import Spec

INSTALL = "reading ONNX needs the onnx package: pip install 'dsc-cost[onnx]'"

KEEP_DATA = 512
"""Initializer data up to this many bytes is kept (shapes and axes written as constants); larger data is
dropped unread."""

FLOAT_TYPES = frozenset({1, 10, 11, 16})
"""ONNX's float element types: FLOAT, FLOAT16, DOUBLE, BFLOAT16 (weights are these; integers are shapes)."""


class OnnxOptions(NamedTuple):
    """How an ONNX file is read: ``input`` sets the input's shape (one sample: channels, height, width) where
    the graph's is dynamic or to override it; ``strict`` makes an op that is not understood a problem."""

    input: Shape | None = None
    strict: bool = False


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


def _tensor(data: memoryview, start: int, end: int) -> bytes:
    """A TensorProto's bytes without data larger than :data:`KEEP_DATA`."""
    kept = [
        data[key_at:after]
        for number, _, key_at, value_at, after in _fields(data, start, end)
        if not (number in _TENSOR_DATA and after - value_at > KEEP_DATA)
    ]
    return b"".join(kept)


def _rewritten(
    data: memoryview, start: int, end: int, number: int, rewrite: Callable[[memoryview, int, int], bytes]
) -> bytes:
    """A message's bytes with each of its field ``number`` (a message) rewritten by ``rewrite``."""
    parts: list[bytes | memoryview] = []
    for field_number, wire, key_at, value_at, after in _fields(data, start, end):
        if field_number == number and wire == 2:
            parts.append(_message(number, rewrite(data, value_at, after)))
        else:
            parts.append(data[key_at:after])
    return b"".join(parts)


def _graph(data: memoryview, start: int, end: int) -> bytes:
    """A GraphProto's bytes, its initializers (field 5) without their data."""
    return _rewritten(data, start, end, 5, _tensor)


def _stripped(data: memoryview) -> bytes:
    """A ModelProto's bytes, its graph's (field 7) initializers without their data."""
    return _rewritten(data, 0, len(data), 7, _graph)


def _onnx(file: str) -> Any:
    try:
        import onnx
    except ImportError:
        raise _problem(file, INSTALL) from None
    return onnx


def read_model(path: str) -> Any:
    """The ``onnx.ModelProto`` of ``path`` with its initializers' dims but none of their data (larger than a
    few hundred bytes).

    :raises SpecError: one problem naming the file: it cannot be read, is empty, or is not an ONNX model.
    """
    onnx = _onnx(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size == 0:
                raise _problem(path, "the file is empty: expected an ONNX model")
            try:
                mapped: Any = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # not a regular file: read it
                mapped = handle.read()
    except OSError as error:
        raise _problem(path, f"cannot read the file: {error.strerror or error}") from None
    view = memoryview(mapped)
    try:
        stripped = _stripped(view)
    except _Wire as error:
        reason = "it ends too soon (truncated?)" if str(error) == "truncated" else "its bytes do not parse as one"
        raise _problem(path, f"not an ONNX model: {reason}") from None
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


def _prod(dims: Sequence[int]) -> int:
    return math.prod(dims)


_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class _Builder:
    def __init__(self, file: str, onnx: Any, graph: Any, input_shape: Shape | None) -> None:
        self.file = file
        self.onnx = onnx
        self.graph = graph
        self.values: dict[str, _Const | _Act] = {}
        self.nodes: list[list[Any]] = []  # [name, type, layer, inputs (explicit refs)]
        self.shapes: dict[str, Shape] = {}
        self.names: set[str] = {"input"}
        self.unknown: Counter[str] = Counter()
        self.problems: list[Located] = []
        self.consumers: Counter[str] = Counter()
        self.producer: dict[str, Any] = {}
        self.tensor_of: dict[str, str] = {}  # a node's name → the graph's tensor it makes
        self.cuts: dict[str, list[_Cuts]] = {}  # an output → the splits made of Slices of its channels
        for node in graph.node:
            for name in node.input:
                if name:
                    self.consumers[name] += 1
        for output in graph.output:
            self.consumers[output.name] += 1
        for tensor in graph.initializer:
            floating = tensor.data_type in FLOAT_TYPES
            self.values[tensor.name] = _Const(tuple(tensor.dims), self._small(tensor), floating)
        self.input = self._input(input_shape)

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
            names = ", ".join(i.name for i in inputs) or "none"
            raise _problem(self.file, f"expected one input (an N×C×H×W image batch), found {len(inputs)}: {names}")
        (graph_input,) = inputs
        dims: list[int | str] = []
        for dim in graph_input.type.tensor_type.shape.dim:
            dims.append(dim.dim_value if dim.HasField("dim_value") else (dim.dim_param or "?"))
        if len(dims) != 4:
            shown = "×".join(map(str, dims)) or "no shape"
            raise _problem(self.file, f"input {graph_input.name}: expected N×C×H×W (an image batch), found {shown}")
        if override is not None:
            shape = override
        else:
            sample = dims[1:]
            if not all(isinstance(d, int) and d > 0 for d in sample):
                shown = "×".join(map(str, dims))
                raise _problem(
                    self.file,
                    f"input {graph_input.name} is {shown}, its size not fixed: give --input CxHxW",
                    field="input",
                )
            shape = Shape(*sample)  # type: ignore[arg-type]
        self.values[graph_input.name] = _Act((1, *shape), "input", 1)
        self.shapes["input"] = shape
        return shape

    def attrs(self, node: Any) -> dict[str, Any]:
        return {a.name: self.onnx.helper.get_attribute_value(a) for a in node.attribute}

    # -- the network being built

    def add(self, onnx_name: str, kind: str, layer: Layer, inputs: Sequence[str], tensor: str) -> str:
        """Append a node (named from ``onnx_name``) that reads ``inputs`` and makes the graph's ``tensor``."""
        name = self.unique(onnx_name or kind)
        try:
            output = layer.evaluate(tuple(self.shapes[ref] for ref in inputs)).output
        except ShapeError as error:
            raise _Unknown(f"{error.field}: {error.message}") from None
        self.nodes.append([name, kind, layer, tuple(inputs)])
        self.shapes[name] = output
        self.tensor_of[name] = tensor
        return name

    def unique(self, raw: str) -> str:
        base = _NAME_CHARS.sub("_", raw.strip("/").strip() or "node")[:200]
        name, count = base, 1
        while name in self.names:
            count += 1
            name = f"{base}_{count}"
        self.names.add(name)
        return name

    def index(self, name: str) -> int:
        """The index in :attr:`nodes` of the node ``name`` (-1: none, as for ``input`` or a split's part)."""
        return next((i for i, entry in enumerate(self.nodes) if entry[0] == name), -1)


# ---------------------------------------------------------------- the ops


def _pairs(attrs: dict[str, Any], key: str, default: int) -> tuple[int, int]:
    value = attrs.get(key)
    if not value:
        return (default, default)
    if len(value) != 2:
        raise _Unknown(f"{key} of {len(value)} axes (2-D only)")
    return (int(value[0]), int(value[1]))


def _padding(
    attrs: dict[str, Any], size: tuple[int, int], kernel: tuple[int, int], stride: tuple[int, int],
    dilation: tuple[int, int], ceil: bool = False,
) -> Padding:  # fmt: skip
    """The spec's padding that gives the output size of ONNX's pads or auto_pad (what counts is the size)."""
    auto = attrs.get("auto_pad", b"NOTSET")
    auto = auto.decode() if isinstance(auto, bytes) else str(auto)
    if auto in ("SAME_UPPER", "SAME_LOWER"):
        return "same"
    if auto == "VALID":
        return "valid"
    pads = attrs.get("pads") or [0, 0, 0, 0]
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
    if index < len(node.output) and node.output[index]:
        b.values[node.output[index]] = value
        b.producer[node.output[index]] = node


def _new_image(b: _Builder, node: Any, ref: str) -> None:
    shape = b.shapes[ref]
    _set(b, node, _Act((1, shape.channels, shape.height, shape.width), ref, 1))


def _conv_inputs(b: _Builder, node: Any) -> tuple[_Act, tuple[int, ...], dict[str, Any]]:
    """A Conv's or ConvTranspose's image, the dims of its weight (a constant of 4) and its attributes."""
    x = _act(b, node.input[0])
    _image(x)
    weight = _const(b, node.input[1])
    if weight is None or weight.dims is None or len(weight.dims) != 4:
        raise _Unknown("a weight that is not a constant of 4 dims")
    return x, weight.dims, b.attrs(node)


def _conv(b: _Builder, node: Any) -> None:
    x, dims, attrs = _conv_inputs(b, node)
    shape = b.shapes[x.ref]
    out, _, kh, kw = dims
    kernel, stride, dilation = (kh, kw), _pairs(attrs, "strides", 1), _pairs(attrs, "dilations", 1)
    groups = int(attrs.get("group", 1))
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
    at = b.index(x.ref)
    if at < 0:  # the input, or a part of a split
        return False
    entry = b.nodes[at]
    if entry[1] == "activation":
        source = entry[3][0]
        at = b.index(source)
        if at < 0 or b.consumers[b.tensor_of.get(source, "")] != 1:
            return False
        chain.insert(0, source)
        entry = b.nodes[at]
    if entry[1] != "depthwise":
        return False
    dw: DepthwiseLayer = entry[2]
    if dw.bias and not pointwise.bias:
        return False
    bias: Bias = "both" if dw.bias else pointwise.bias
    separable = SeparableLayer(pointwise.out, dw.kernel, dw.stride, dw.padding, dw.dilation, dw.multiplier, bias)
    if len(chain) == 2:
        del b.nodes[b.index(chain[1])]
    entry[1], entry[2] = "separable", separable
    b.shapes[entry[0]] = separable.evaluate((b.shapes[entry[3][0]],)).output
    _new_image(b, node, entry[0])
    return True


def _conv_transpose(b: _Builder, node: Any) -> None:
    x, dims, attrs = _conv_inputs(b, node)
    if attrs.get("output_shape") or attrs.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise _Unknown("output_shape or auto_pad (give pads)")
    _, per_group, kh, kw = dims
    groups = int(attrs.get("group", 1))
    pads = attrs.get("pads") or [0, 0, 0, 0]
    if len(pads) != 4 or pads[0] != pads[2] or pads[1] != pads[3]:
        raise _Unknown(f"pads {list(pads)} (symmetric 2-D pads only)")
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
    if weight is None or weight.dims is None or len(weight.dims) != 2 or attrs.get("transA", 0):
        raise _Unknown("a weight that is not a constant matrix")
    out = weight.dims[0] if attrs.get("transB", 0) else weight.dims[1]
    if not _features(b, x):
        raise _Unknown("an input that is not N×features")
    _linear_out(b, node, x, out, len(node.input) > 2 and bool(node.input[2]), False)


def _matmul(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    weight = _const(b, node.input[1])
    if weight is None or weight.dims is None or len(weight.dims) != 2:
        raise _Unknown("a second input that is not a constant matrix")
    flat = _features(b, x)
    if weight.dims[0] != x.dims[-1]:
        raise _Unknown(f"a weight of {weight.dims[0]} rows on {x.dims[-1]} features")
    _linear_out(b, node, x, weight.dims[1], False, not flat)


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
    const = next(v for v in inputs if isinstance(v, _Const))
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
    at = b.index(x.ref)
    entry = b.nodes[at] if at >= 0 else None
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
            entry = b.nodes[b.index(gate.ref)]
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
    bounds: list[float | None] = [attrs.get("min"), attrs.get("max")]
    for index in (1, 2):
        if len(node.input) > index and node.input[index]:
            const = _const(b, node.input[index])
            if const is None or not const.values:
                raise _Unknown("bounds that are not constants")
            bounds[index - 1] = const.values[0]
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
        ceil = bool(attrs.get("ceil_mode", 0))
        padding = _padding(attrs, (shape.height, shape.width), kernel, stride, dilation, ceil)
        layer = PoolLayer(mode, kernel, stride, padding, False, ceil)
    _new_image(b, node, b.add(node.name, "pool", layer, (x.ref,), node.output[0]))


def _reduce_mean(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    _image(x)
    attrs = b.attrs(node)
    axes = attrs.get("axes")
    if axes is None and len(node.input) > 1 and node.input[1]:
        const = _const(b, node.input[1])
        axes = const.values if const is not None else None
    if axes is None or sorted(a % 4 for a in axes) != [2, 3]:
        raise _Unknown("axes other than the spatial ones")
    ref = b.add(node.name, "pool", PoolLayer("avg", global_=True), (x.ref,), node.output[0])
    channels = b.shapes[ref].channels
    dims = (1, channels, 1, 1) if attrs.get("keepdims", 1) else (1, channels)
    _set(b, node, _Act(dims, ref, 1))


def _norm(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    attrs = b.attrs(node)
    layer: Layer
    if node.op_type == "BatchNormalization":
        _image(x)
        kind, layer = "batchnorm", BatchNormLayer()
    elif node.op_type == "LayerNormalization":
        axis = int(attrs.get("axis", -1)) % len(x.dims)
        if x.axis is None or axis != len(x.dims) - 1 or x.axis != axis:
            raise _Unknown("normalization over axes other than the channels alone")
        kind, layer = "layernorm", LayerNormLayer()
    else:
        _image(x)
        kind, layer = "groupnorm", GroupNormLayer(int(attrs["num_groups"]))
    ref = b.add(node.name, kind, layer, (x.ref,), node.output[0])
    _set(b, node, x._replace(ref=ref, tag=()))


def _concat(b: _Builder, node: Any) -> None:
    acts = [_act(b, name) for name in node.input]
    axis = int(b.attrs(node)["axis"])
    first = acts[0]
    if any(a.axis is None or len(a.dims) != len(first.dims) for a in acts):
        raise _Unknown("inputs whose channels are not known")
    if axis % len(first.dims) != first.axis or any(a.axis != first.axis for a in acts):
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
    for index, shape in enumerate(layer.outputs(b.shapes[source])):
        b.names.add(f"{name}.{index}")
        b.shapes[f"{name}.{index}"] = shape
    return name


def _split(b: _Builder, node: Any) -> None:
    """A Split on the channels: a ``split`` layer, ``parts: n`` for equal parts (``num_outputs``), else its
    ``sizes``."""
    x = _act(b, node.input[0])
    _image(x)
    attrs = b.attrs(node)
    if int(attrs.get("axis", 0)) % 4 != 1:
        raise _Unknown("a split along an axis that is not the channels'")
    channels = x.dims[1]
    sizes: list[int] | None = None
    if len(node.input) > 1 and node.input[1]:
        const = _const(b, node.input[1])
        sizes = [int(v) for v in const.values] if const is not None and const.values is not None else None
    elif "split" in attrs:
        sizes = [int(v) for v in attrs["split"]]
    else:  # equal parts, the last smaller where they do not divide the channels (as ONNX's num_outputs)
        count = int(attrs.get("num_outputs", len(node.output)))
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


class _Cuts:
    """A ``split`` made of Slices of one output's channels (as ``x.chunk(n, dim=1)`` is exported without a
    Split): the channels it is cut at (0 and C included) and the runs of channels read so far."""

    def __init__(self, name: str, bounds: list[int]) -> None:
        self.name = name
        self.bounds = bounds
        self.read: set[tuple[int, int]] = set()


def _slice_part(b: _Builder, onnx_name: str, source: str, lo: int, hi: int) -> str:
    """The part of a ``split`` of ``source`` that holds its channels ``lo`` to ``hi``: a part of a split already
    made of Slices of ``source`` where the run is one (or can be made one by cutting a part no one reads yet:
    the split is then one layer, however many Slices take its parts), otherwise a part of a new split."""
    channels = b.shapes[source].channels
    for cuts in b.cuts.get(source, []):
        bounds = sorted({*cuts.bounds, lo, hi})
        if any(a < cut < z for a, z in (*cuts.read, (lo, hi)) for cut in bounds):
            continue  # a run already read would be cut, or this run overlaps one
        if bounds != cuts.bounds:  # more parts: the parts already read may move
            moved = {f"{cuts.name}.{cuts.bounds.index(a)}": f"{cuts.name}.{bounds.index(a)}" for a, _ in cuts.read}
            _rename_refs(b, {old: new for old, new in moved.items() if old != new})
            entry = b.nodes[b.index(cuts.name)]
            entry[2] = _runs(bounds)
            for index, shape in enumerate(entry[2].outputs(b.shapes[source])):
                b.shapes[f"{cuts.name}.{index}"] = shape
                b.names.add(f"{cuts.name}.{index}")
            cuts.bounds = bounds
        cuts.read.add((lo, hi))
        return f"{cuts.name}.{bounds.index(lo)}"
    bounds = sorted({0, lo, hi, channels})
    layer = _runs(bounds)
    name = _split_node(b, onnx_name or "slice", source, layer, "")
    cuts = _Cuts(name, bounds)
    cuts.read.add((lo, hi))
    b.cuts.setdefault(source, []).append(cuts)
    return f"{name}.{bounds.index(lo)}"


def _runs(bounds: list[int]) -> SplitLayer:
    """The split at ``bounds`` (0 and C included): ``parts: n`` where the runs are equal, as a spec writes
    ``x.chunk(n, dim=1)``, else their sizes."""
    sizes = tuple(z - a for a, z in pairwise(bounds))
    return SplitLayer(None, len(sizes)) if len(set(sizes)) == 1 else SplitLayer(sizes)


def _rename_refs(b: _Builder, renamed: dict[str, str]) -> None:
    """Every reference to an output renamed (all at once): the values of the graph and the layers' inputs."""
    if not renamed:
        return
    for tensor, value in list(b.values.items()):
        if isinstance(value, _Act):
            tag = value.tag
            if tag[:1] == ("sigmoid",):  # ("sigmoid", the output it is of, its tensor)
                tag = (tag[0], renamed.get(tag[1], tag[1]), *tag[2:])
            b.values[tensor] = value._replace(ref=renamed.get(value.ref, value.ref), tag=tag)
    for entry in b.nodes:
        entry[3] = tuple(renamed.get(ref, ref) for ref in entry[3])


def _slice(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    values: list[list[int] | None] = []
    for index in range(1, 5):
        if len(node.input) > index and node.input[index]:
            const = _const(b, node.input[index])
            if const is None or const.values is None:
                raise _Unknown("bounds that are not constants")
            values.append([int(v) for v in const.values])
        else:
            values.append(None)
    starts, ends, axes, steps = values
    if starts is None or ends is None:
        raise _Unknown("bounds that are not constants")
    axes = axes or list(range(len(starts)))
    steps = steps or [1] * len(starts)
    dims = list(x.dims)
    cut = []
    for start, end, axis, step in zip(starts, ends, axes, steps, strict=True):
        axis %= len(dims)
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
        axis = int(attrs.get("axis", 1)) % (len(dims) + 1)
        return (_prod(dims[:axis]), _prod(dims[axis:]))
    argument: list[int] | None = None
    if len(node.input) > 1 and node.input[1]:
        const = _const(b, node.input[1])
        argument = [int(v) for v in const.values] if const is not None and const.values is not None else None
        if argument is None:
            raise _Unknown("a shape that is not a constant")
    if op == "Reshape":
        assert argument is not None
        shape = [dims[i] if v == 0 and not attrs.get("allowzero", 0) else v for i, v in enumerate(argument)]
        if -1 in shape:
            known = _prod([v for v in shape if v != -1])
            shape[shape.index(-1)] = _prod(dims) // known if known else 0
        return tuple(shape)
    axes = argument if argument is not None else list(attrs.get("axes", []))
    if op == "Squeeze":
        drop = {a % len(dims) for a in axes} if axes else {i for i, d in enumerate(dims) if d == 1}
        return tuple(d for i, d in enumerate(dims) if i not in drop)
    rank = len(dims) + len(axes)
    for axis in sorted(a % rank for a in axes):
        dims.insert(axis, 1)
    return tuple(dims)


def _reshape(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    _view(b, node, x, _reshape_dims(b, node, x))


def _gather(b: _Builder, node: Any) -> None:
    """A Gather of every value of a flat tensor (the dynamo exporter's as_strided): a reshape to the indices'
    dims."""
    x = _act(b, node.input[0])
    indices = _const(b, node.input[1])
    if int(b.attrs(node).get("axis", 0)) != 0 or len(x.dims) != 1 or indices is None or indices.dims is None:
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
    perm = list(b.attrs(node).get("perm") or reversed(range(len(x.dims))))
    dims = tuple(x.dims[p] for p in perm)
    tag: tuple[Any, ...] = ()
    if x.tag[:1] == ("grouped",) and perm == [0, 2, 1, 3, 4]:
        tag = ("shuffled", x.tag[1])
    axis = perm.index(x.axis) if x.axis is not None else None
    _set(b, node, _Act(dims, x.ref, axis, tag))


def _resize(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    _image(x)
    attrs = b.attrs(node)
    mode = attrs.get("mode", b"nearest")
    mode = mode.decode() if isinstance(mode, bytes) else str(mode)
    if mode not in ("nearest", "linear"):
        raise _Unknown(f"mode {mode}")
    shape = b.shapes[x.ref]
    names = list(node.input[1:])
    if node.op_type == "Resize":  # X, roi, scales, sizes
        names = names[1:]
    sizes = scales = None
    for index, name in enumerate(names[:2]):
        const = _const(b, name) if name else None
        if const is not None and const.values:
            if index == 0:
                scales = const.values
            else:
                sizes = [int(v) for v in const.values]
    if "scales" in attrs:
        scales = attrs["scales"]
    fn = "bilinear" if mode == "linear" else "nearest"
    if sizes is not None and len(sizes) == 4:
        layer = UpsampleLayer(None, (sizes[2], sizes[3]), fn)
    elif scales is not None and len(scales) == 4 and all(float(s).is_integer() and s >= 1 for s in scales[2:]):
        layer = UpsampleLayer((int(scales[2]), int(scales[3])), None, fn)
    elif scales is not None and len(scales) == 4:
        size = (int(shape.height * scales[2]), int(shape.width * scales[3]))
        layer = UpsampleLayer(None, size, fn)
    else:
        raise _Unknown("scales or sizes that are not constants")
    _new_image(b, node, b.add(node.name, "upsample", layer, (x.ref,), node.output[0]))


def _shape_op(b: _Builder, node: Any) -> None:
    """An op on constants or on shapes: evaluated where it is simple, otherwise a constant of unknown value."""
    op = node.op_type
    inputs = [b.values.get(n) if n else None for n in node.input]
    if op == "Shape":
        x = inputs[0]
        sizes = list(x.dims) if x is not None and x.dims is not None else None
        attrs = b.attrs(node)
        if sizes is not None:
            sizes = sizes[attrs.get("start", 0) : attrs.get("end", len(sizes))]
        _set(b, node, _Const((len(sizes),) if sizes is not None else None, sizes))
        return
    if op == "Constant":
        attrs = b.attrs(node)
        if "value" in attrs:
            tensor = attrs["value"]
            floating = tensor.data_type in FLOAT_TYPES
            _set(b, node, _Const(tuple(tensor.dims), b._small(tensor), floating))
        else:
            given = next(iter(attrs.values()), None)
            items = list(given) if isinstance(given, (list, tuple)) else [given]
            shape: tuple[int, ...] = (len(items),) if isinstance(given, (list, tuple)) else ()
            _set(b, node, _Const(shape, items, isinstance(items[0], float) if items else False))
        return
    if op in ("Identity", "Cast") and isinstance(inputs[0], _Const):
        _set(b, node, inputs[0])
        return
    known = [v.values if isinstance(v, _Const) else None for v in inputs]
    value: list[Any] | None = None
    try:
        if op in ("Unsqueeze", "Squeeze", "Reshape"):
            value = known[0]
        elif op == "Gather" and known[0] is not None and known[1] is not None:
            value = [known[0][int(i)] for i in known[1]]
        elif op == "Concat" and all(k is not None for k in known):
            value = [v for k in known for v in k]  # type: ignore[union-attr]
        elif op in ("Add", "Sub", "Mul", "Div") and len(known) == 2 and known[0] and known[1]:
            a, c = known[0], known[1]
            n = max(len(a), len(c))
            pairs = [(a[i % len(a)], c[i % len(c)]) for i in range(n)]
            fns: dict[str, Callable[[Any, Any], Any]] = {
                "Add": lambda p, q: p + q,
                "Sub": lambda p, q: p - q,
                "Mul": lambda p, q: p * q,
                "Div": lambda p, q: p // q if isinstance(p, int) and isinstance(q, int) else p / q,
            }
            value = [fns[op](p, q) for p, q in pairs]
        elif op == "Slice" and known[0] is not None and known[1] is not None and known[2] is not None:
            value = known[0][int(known[1][0]) : int(known[2][0])]
    except (IndexError, ZeroDivisionError, TypeError, ValueError):
        value = None
    first = inputs[0] if inputs else None
    floating = isinstance(first, _Const) and first.floating
    length = (len(value),) if value is not None else None
    for index in range(len(node.output)):
        _set(b, node, _Const(length, value, floating), index)


_OPS: dict[str, Callable[[_Builder, Any], None]] = {
    "Conv": _conv, "ConvTranspose": _conv_transpose, "Gemm": _gemm, "MatMul": _matmul,
    "Add": _elementwise, "Sub": _elementwise, "Mul": _elementwise, "Div": _elementwise,
    "Relu": _activation, "Clip": _activation, "Sigmoid": _activation, "HardSigmoid": _activation,
    "HardSwish": _activation, "Tanh": _activation, "Gelu": _activation, "Erf": _erf,
    "Dropout": _alias, "Identity": _alias, "Cast": _alias,
    "MaxPool": _pool, "AveragePool": _pool, "GlobalAveragePool": _pool, "GlobalMaxPool": _pool,
    "ReduceMean": _reduce_mean,
    "BatchNormalization": _norm, "LayerNormalization": _norm, "GroupNormalization": _norm,
    "Concat": _concat, "Split": _split, "Slice": _slice,
    "Reshape": _reshape, "Flatten": _reshape, "Squeeze": _reshape, "Unsqueeze": _reshape,
    "Transpose": _transpose, "Resize": _resize, "Upsample": _resize, "Shape": _shape_op, "Gather": _gather,
}  # fmt: skip


def _order(file: str, graph: Any, known: set[str]) -> list[Any]:
    """The graph's nodes in an order where each comes after the nodes whose outputs it reads.

    :raises SpecError: a node that reads a tensor no node makes, or a cycle."""
    producer: dict[str, int] = {}
    for index, node in enumerate(graph.node):
        for name in node.output:
            if name:
                producer[name] = index
    waiting: dict[int, int] = {}
    readers: dict[int, list[int]] = {}
    for index, node in enumerate(graph.node):
        count = 0
        for name in node.input:
            if not name or name in known:
                continue
            if name not in producer:
                where = f"node {node.name or index} ({node.op_type})"
                raise _problem(file, f"reads the tensor {name!r}, which no node makes", where)
            readers.setdefault(producer[name], []).append(index)
            count += 1
        waiting[index] = count
    ready = [i for i, n in waiting.items() if n == 0]
    ready.reverse()
    order = []
    while ready:
        index = ready.pop()
        order.append(graph.node[index])
        for reader in reversed(readers.get(index, [])):
            waiting[reader] -= 1
            if waiting[reader] == 0:
                ready.append(reader)
    if len(order) != len(graph.node):
        stuck = next(graph.node[i] for i, n in waiting.items() if n > 0)
        where = f"node {stuck.name or '?'} ({stuck.op_type})"
        raise _problem(file, "the graph has a cycle: this node reads its own output through others", where)
    return order


class Imported(NamedTuple):
    """A network read from an ONNX file, with the ops that were not understood (op type → count)."""

    network: Network
    unknown: dict[str, int]


def read_network(path: str, options: OnnxOptions = DEFAULTS) -> Imported:
    """The network of the ONNX file ``path``.

    :raises SpecError: one problem naming the file when it cannot be read as an ONNX model of one image
        input, or when an op is not understood and ``options.strict`` is set.
    """
    onnx = _onnx(path)
    model = read_model(path)
    graph = model.graph
    builder = _Builder(path, onnx, graph, options.input)
    known = set(builder.values)
    for node in _order(path, graph, known):
        handler = _OPS.get(node.op_type)
        reads_data = any(isinstance(builder.values.get(n), _Act) for n in node.input if n)
        if not reads_data:
            _shape_op(builder, node)
            continue
        if any(n and n not in builder.values for n in node.input):  # after an op not understood: not costed
            builder.unknown[node.op_type] += 1
            continue
        try:
            if handler is None:
                raise _Unknown("")
            handler(builder, node)
        except (_Unknown, IndexError, KeyError, TypeError, ValueError, ZeroDivisionError):  # a graph not as expected
            builder.unknown[node.op_type] += 1
            inputs = [builder.values.get(n) for n in node.input if n]
            data = [v for v in inputs if isinstance(v, _Act)]
            if len(node.output) == 1 and len(data) == 1:  # element-wise, most likely: the data passes unchanged
                _set(builder, node, data[0]._replace(tag=()))
    if builder.unknown and options.strict:
        raise _problem(path, f"not understood: {_unknown_text(builder.unknown)} (--strict)")
    nodes = []
    previous = "input"
    for name, kind, layer, inputs in builder.nodes:
        same = len(inputs) == 1 and inputs[0] == previous  # a split's part is always named
        reads = () if same else tuple(inputs)
        nodes.append(Node(name, kind, layer, reads))
        previous = name
    stem = os.path.splitext(os.path.basename(path))[0]
    return Imported(Network(stem, builder.input, tuple(nodes)), dict(builder.unknown))


def _unknown_text(unknown: dict[str, int]) -> str:
    ops = sorted(unknown.items(), key=lambda item: (-item[1], item[0]))
    total = sum(unknown.values())
    return f"{total} op{'s' if total != 1 else ''} ({', '.join(f'{op} ×{n}' for op, n in ops)})"


def load_onnx(path: str, options: OnnxOptions = DEFAULTS, warn: Callable[[str], None] | None = None) -> list[Spec]:
    """The spec of the ONNX file ``path`` (as :func:`~dsc_cost.spec.load_files` gives one for each network of a
    spec file); ``warn`` hears the ops not understood, in one line.

    :raises SpecError: as :func:`read_network`.
    """
    from .spec import Spec

    imported = read_network(path, options)
    if imported.unknown and warn is not None:
        warn(f"{path}: {_unknown_text(imported.unknown)} not understood, costed as nothing")
    network = imported.network
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
    "INSTALL", "Imported", "OnnxOptions", "Problem", "is_onnx", "load_onnx", "read_model", "read_network",
    "spec_data", "spec_text",
]  # fmt: skip

_ = new  # the layers' fast constructor is not needed here
