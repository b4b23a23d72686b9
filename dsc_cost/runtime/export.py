"""A network as a runnable ONNX model: every layer written as standard ONNX ops, with seeded random weights.

The form of each layer type lives in one registry, :data:`EXPORTERS`: a type's exporter is registered with
:func:`exporter` (the built-in ones in :mod:`.onnx_ops`; a plugin's layer type registers its own the same way),
and a type without one is a located error naming it. An exporter writes its layer's nodes through a
:class:`Graph` and returns the name of its output tensor (a split: the names of its parts).

Node names follow the spec: a layer's main node (a conv, a Gemm, a pool…) is named as the layer, every other
node it writes ``LAYER/what`` (its batch-norm ``LAYER/bn``, a separable layer's 1×1 conv ``LAYER/pointwise``),
so that a profiler's time per node adds up to the spec's layers (:func:`layer_of`), and reading the model
back (:func:`dsc_cost.onnx.load_onnx`) gives layers of the same names where the reader keeps one node a layer.

Tensors are N×C×H×W (N×C×L in 1-D, N×C×D×H×W in 3-D) with a batch of any size (``N``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import DscCostError, LayerError
from ..formulas import Shape
from .registry import EXPORTERS, SEP, Context, Exporter, Graph, Unsupported, exporter

__all__ = [
    "EXPORTERS", "OPSET", "SEP", "Context", "ExportError", "Exported", "Exporter", "Graph", "Unsupported",
    "export_network", "export_spec", "exporter", "model_bytes", "owner", "type_name",
]  # fmt: skip

if TYPE_CHECKING:
    from ..layers.base import Layer
    from ..network import Network
    from ..spec import Spec

OPSET = 18
"""The ONNX opset the models are written in (Split's ``num_outputs``, ReduceMean's axes as an input)."""


class ExportError(DscCostError):
    """A network with a layer that has no ONNX form: one line per layer; ``failures`` says which (their index,
    name, field and why), for :func:`export_spec` to locate them in the spec's text."""

    def __init__(self, message: str, failures: Sequence[LayerError] = ()) -> None:
        super().__init__(message)
        self.failures = list(failures)


def _builtins() -> None:
    from . import onnx_ops  # noqa: F401  (registers the built-in exporters)


def type_name(layer: Layer) -> str:
    """The registry's name of ``layer``'s type."""
    from ..layers import REGISTRY

    for name, layer_type in REGISTRY.items():
        if layer_type.layer is type(layer):
            return name
    return type(layer).__name__


class Exported(NamedTuple):
    """An exported model and, for each node, the spec layer it belongs to."""

    model: Any
    layer_of: dict[str, str]


def export_network(network: Network, seed: int = 0, file: str = "", batch: int | str = "N") -> Exported:
    """``network`` as an ONNX model (opset :data:`OPSET`), weights drawn from ``seed``; ``batch``: the batch
    dimension (a name: any size).

    :raises ExportError: naming every layer of a type with no exporter, or a value with no ONNX form
        (``file``: where the network comes from, for the message).
    :raises RuntimeMissing: without the onnx package.
    """
    from . import need_onnx

    onnx = need_onnx()
    from onnx import TensorProto, helper

    from ..layers.base import part_count, parts
    from ..network import cost_network, layer_inputs

    _builtins()
    result = cost_network(network)
    shapes = layer_inputs(result)
    graph = Graph(seed)
    tensors: dict[str, str] = {"input": graph.fresh("input")}
    shape_of: dict[str, Shape] = {tensors["input"]: network.input}
    read: set[str] = set()
    problems: list[str] = []
    failures: list[LayerError] = []
    previous = "input"
    order: list[str] = []
    where = f"{file}: " if file else ""
    for index, (node, row, inputs) in enumerate(zip(network.nodes, result.layers, shapes, strict=True)):
        if node.train_only:  # not run at inference: not in the model
            continue
        names = node.inputs or (previous,)
        previous = node.name
        kind = type_name(node.layer)
        function = EXPORTERS.get(kind)
        if function is None:
            why = f"no ONNX form: the layer type {kind!r} has no exporter (dsc_cost.runtime.export.exporter adds one)"
            problems.append(f"{where}layer {node.name} ({kind}): {why}")
            failures.append(LayerError(index, node.name, "type", why))
            continue
        if any(n not in tensors for n in names):  # after a layer with a problem
            continue
        context = Context(node.name, tuple(tensors[n] for n in names), inputs, row.output)
        start = len(graph.nodes)
        try:
            out = function(graph, context, node.layer)
        except Unsupported as why:
            problems.append(f"{where}layer {node.name} ({kind}): {why.field}: no ONNX form: {why.message}")
            failures.append(LayerError(index, node.name, why.field, f"no ONNX form: {why.message}"))
            del graph.nodes[start:]
            continue
        read.update(context.inputs)
        if isinstance(out, list):
            count = part_count(node.layer)
            for index, (part, shape) in enumerate(zip(out[:count], parts(node.layer, inputs[0]), strict=True)):
                tensors[f"{node.name}.{index}"] = part
                shape_of[part] = shape
            tensors[node.name] = out[0]
        else:
            tensors[node.name] = out
            shape_of[out] = row.output
        order.append(node.name)
    if problems:
        raise ExportError("\n".join(problems), failures)
    last = tensors[order[-1]] if order else tensors["input"]
    outputs = [last] + [
        tensors[name] for name in order[:-1] if tensors[name] not in read and tensors[name] != last
    ]  # a branch nothing reads is an output too, or a runtime would drop it
    x = network.input
    graph_input = helper.make_tensor_value_info(tensors["input"], TensorProto.FLOAT, [batch, *x])
    graph_outputs = [
        helper.make_tensor_value_info(name, TensorProto.FLOAT, [batch, *shape_of[name]]) for name in outputs
    ]
    body = helper.make_graph(graph.nodes, _safe(network.name), [graph_input], graph_outputs, graph.initializers)
    model = helper.make_model(
        body, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="dsc-cost", ir_version=8
    )
    helper.set_model_props(model, {"dsc_cost.seed": str(seed)})
    _ = onnx
    layer_of = {n.name: n.name.split(SEP, 1)[0] for n in graph.nodes}
    for n in graph.nodes:  # a layer's extra nodes belong to the longest layer name they start with
        layer_of[n.name] = owner(n.name, order)
    return Exported(model, layer_of)


def owner(node_name: str, layers: Sequence[str]) -> str:
    """The layer of ``layers`` that the node ``node_name`` belongs to: the layer of its name, or the longest
    ``LAYER`` it starts with followed by ``/``; ``""`` when none."""
    best = ""
    known = set(layers)
    if node_name in known:
        return node_name
    index = node_name.find(SEP)
    while index >= 0:
        head = node_name[:index]
        if head in known:
            best = head
        index = node_name.find(SEP, index + 1)
    return best


def _safe(name: str) -> str:
    return name or "network"


def model_bytes(model: Any) -> bytes:
    """The serialized model."""
    data: bytes = model.SerializeToString()
    return data


def export_spec(spec: Spec, seed: int = 0) -> Exported:
    """:func:`export_network` of a spec's network, its problems located in the spec's text.

    :raises SpecError: one located problem per layer with no ONNX form.
    """
    try:
        return export_network(spec.network, seed, spec.file)
    except ExportError as error:
        if not spec.text or not error.failures:
            raise
        from ..errors import SpecError
        from ..readers.spec.costing import layer_problem
        from ..readers.yamltext import Positions

        positions = spec.positions if spec.positions is not None else Positions(spec.text, spec.file)
        raise SpecError([layer_problem(spec, positions, failure) for failure in error.failures]) from None
