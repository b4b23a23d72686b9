"""The graph walk: the nodes of an ONNX graph in order, each read by the handler of its op type (the live
registry, :data:`~dsc_cost.readers.onnx.registry.HANDLERS`, plugins loaded where an op is not known), the ops not
understood counted or refused, the weights read by several layers counted, and the network built."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from ...errors import Located, SpecError
from ...network import Network, Node, Notes
from ..bounds import DEFAULT_BOUNDS, Bounds, Tally
from .builder import _Builder, _declared_shapes, _disagrees, _set
from .modelfile import FLOAT_TYPES, Problem, _onnx, _problem, read_model
from .ops.shapes import _shape_op  # importing ops registers every built-in op, in the table's order
from .options import DEFAULTS, OnnxOptions
from .registry import HANDLERS, handler_of
from .values import Data, InvalidValue, NotUnderstood, _prod, _shown

if TYPE_CHECKING:
    from ...spec import Spec


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
        except InvalidValue as invalid:
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


def _weights_read(b: _Builder, node: Any, weights: dict[str, int]) -> None:
    """The weights (float initializers of more than one value, read straight or through Identity nodes) that
    ``node`` read into the layer its output is of: each read after the first is params of that layer counted again
    (:attr:`_Builder.shared`)."""
    handler = HANDLERS.get(node.op_type)
    if handler is None or not handler.weights or not node.output:
        return
    value = b.values.get(node.output[0])
    if not isinstance(value, Data) or value.ref not in b.nodes:
        return
    for position in handler.weights:
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

    :raises InvalidValue: a value no valid model has."""
    if builder.lost and any(n in builder.lost for n in node.input if n):  # after an op not understood: not costed
        builder.skipped += 1
        builder.lost.update(n for n in node.output if n)
        return
    reads_data = any(isinstance(builder.values.get(n), Data) for n in node.input if n)
    if not reads_data:
        if node.op_type == "Identity" and node.input and node.output:  # a weight under another name (the legacy
            builder.alias[node.output[0]] = builder.alias.get(node.input[0], node.input[0])  # exporter's dedup)
        _shape_op(builder, node)
        return
    handler = handler_of(node.op_type)  # the live registry: plugins loaded where the op is not known
    try:
        if handler is None:
            raise NotUnderstood("")
        handler.read(builder, node)
    except (NotUnderstood, IndexError, KeyError, TypeError, ValueError, ZeroDivisionError) as error:  # not as expected
        builder.unknown[node.op_type] += 1
        if node.op_type not in builder.first_unknown:
            reason = str(error) if isinstance(error, NotUnderstood) else ""
            builder.first_unknown[node.op_type] = _where(node, index) + (f": {reason}" if reason else "")
        builder.lost.update(n for n in node.output if n)
        inputs = [builder.values.get(n) for n in node.input if n]
        data = [v for v in inputs if isinstance(v, Data)]
        declared = builder.declared.get(node.output[0]) if len(node.output) == 1 else None
        if len(data) == 1 and declared is not None and None not in declared[1:]:
            if not _disagrees(declared, data[0].dims):  # element-wise, as the file says: the data passes on
                builder.lost.discard(node.output[0])
                _set(builder, node, data[0]._replace(tag=()))


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
    from ...spec import Spec

    imported = read_network(path, options, bounds, tally)
    network = imported.network
    if warn is not None and network.notes is not None:
        for line in notes_warnings(path, network.notes):
            warn(line)
    return [Spec(network, None, path, 0, "", tuple(range(len(network.nodes))))]
