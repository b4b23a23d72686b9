"""The network being built from a graph, and what every op handler shares: the values of the graph's tensors as
they are followed (:class:`_Builder`), the shapes propagated (each checked against the file's own), each layer
read back as a spec's field would be, and the helpers that read a node's inputs and attributes."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ...errors import Located
from ...formulas import Padding, Shape, ShapeError
from ...layers.base import Layer
from ..spec_writer import plain_value
from .modelfile import FLOAT_TYPES, KEEP_DATA, Problem, _problem
from .values import (
    _NAME_CHARS,
    INT64,
    MAX_RANK,
    MAX_VALUES,
    Attrs,
    Constant,
    Data,
    InvalidValue,
    NotUnderstood,
    _found,
    _prod,
    _shown,
    _text,
)


def _check_layer(kind: str, layer: Layer) -> None:
    """``layer`` as a spec would hold it, each field read back as a spec's is: what ``import`` writes, ``network``
    reads (a value no spec takes is a problem here, named by the spec's field)."""
    from ...layers import REGISTRY
    from ...layers.base import Invalid

    defaults = type(layer)._field_defaults  # type: ignore[attr-defined]
    for field in REGISTRY[kind].fields:
        if field.attribute is None or field.name == "inputs":
            continue
        value = getattr(layer, field.attribute)
        if field.attribute in defaults and value == defaults[field.attribute]:  # left out, as spec_data does
            continue
        try:
            field.parse(plain_value(field, value))
        except Invalid as invalid:
            expected = invalid.expected or field.expected
            raise InvalidValue(field.name, f"expected {expected} (as a {kind} layer), found {_found(value)}") from None


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
        self.values: dict[str, Constant | Data] = {}
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
            self.values[tensor.name] = Constant(dims, self._small(tensor), floating)
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
        self.values[graph_input.name] = Data((1, *shape), "input", 1)
        self.shapes["input"] = shape
        return shape

    def attrs(self, node: Any) -> Attrs:
        return Attrs(node)

    # -- the network being built

    def add(self, onnx_name: str, kind: str, layer: Layer, inputs: Sequence[str], tensor: str) -> str:
        """Append a node (named from ``onnx_name``) that reads ``inputs`` and makes the graph's ``tensor``."""
        try:
            output = layer.evaluate(tuple(self.shapes[ref] for ref in inputs)).output
        except ShapeError as error:  # a geometry that does not fit its input (a kernel larger than the map)
            raise InvalidValue(error.field, error.message) from None
        for size in output:
            if size > INT64:
                raise InvalidValue("output", f"expected sizes of at most {INT64:,} (int64), found {_found(size)}")
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


def _pairs(attrs: Attrs, key: str, default: int, low: int = 1) -> tuple[int, int]:
    """An attribute of one integer per spatial axis (each at least ``low``), 2-D only."""
    value = attrs.integers(key, low)
    if not value:
        return (default, default)
    if len(value) != 2:
        raise NotUnderstood(f"{key} of {len(value)} axes (2-D only)")
    return (value[0], value[1])


def _padding(
    attrs: Attrs, size: tuple[int, int], kernel: tuple[int, int], stride: tuple[int, int],
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
        raise NotUnderstood(f"pads of {len(pads) // 2} axes (2-D only)")
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
            raise NotUnderstood(f"asymmetric pads {list(pads)} with no symmetric equivalent")
    return (chosen[0], chosen[1])


def _axis(b: _Builder, field: str, axis: int, rank: int) -> int:
    """``axis`` of a tensor of ``rank`` dims, from 0 (ONNX's negative axes count from the last). One out of range
    is a problem, unless an op not understood came before (then the rank may be what is wrong: not understood)."""
    if -rank <= axis < rank:
        return axis % rank
    raise InvalidValue(
        field, f"expected an axis from {-rank} to {rank - 1} (of a {rank}-D tensor), found {_found(axis)}"
    )


def _auto_pad(attrs: Attrs) -> str:
    auto = attrs.string("auto_pad", "NOTSET")
    if auto not in ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"):
        raise InvalidValue(
            "auto_pad", f"expected NOTSET, SAME_UPPER, SAME_LOWER or VALID, found {_found(auto.encode())}"
        )
    return auto


def _act(b: _Builder, name: str) -> Data:
    value = b.values.get(name)
    if not isinstance(value, Data):
        raise NotUnderstood("an input that is not the network's data")
    return value


def _const(b: _Builder, name: str) -> Constant | None:
    value = b.values.get(name)
    return value if isinstance(value, Constant) else None


def _image(act: Data) -> None:
    if len(act.dims) != 4 or act.axis != 1:
        raise NotUnderstood("an input that is not N×C×H×W")


def _set(b: _Builder, node: Any, value: Constant | Data, index: int = 0) -> None:
    if isinstance(value, Data) and len(value.dims) > MAX_RANK:
        raise NotUnderstood(f"a tensor of {len(value.dims):,} dims")
    if isinstance(value, Constant) and value.values is not None and len(value.values) > MAX_VALUES:
        value = value._replace(values=None)
    if index < len(node.output) and node.output[index]:
        tensor = node.output[index]
        declared = b.declared.get(tensor)
        if declared is not None and isinstance(value, Data) and _disagrees(declared, value.dims):
            raise InvalidValue(
                f"output {_shown(tensor)}",
                f"the file's shape (declared or inferred) is {_dims_text(declared)}, the shape propagated"
                f" {_dims_text(value.dims)}",
            )
        b.values[tensor] = value
        b.producer[tensor] = node
        if isinstance(value, Data):  # a part of a split, or a sigmoid of one: renamed where the split's parts move
            split = b.parts.get(value.ref) or (b.parts.get(value.tag[1]) if value.tag[:1] == ("sigmoid",) else None)
            if split is not None:
                b.part_users.setdefault(split, []).append(tensor)


def _new_image(b: _Builder, node: Any, ref: str) -> None:
    shape = b.shapes[ref]
    _set(b, node, Data((1, shape.channels, shape.height, shape.width), ref, 1))


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
