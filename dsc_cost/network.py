"""Networks: layers as values, shapes propagated through them, every layer costed three ways.

Pure arithmetic on top of :mod:`dsc_cost.formulas`: no I/O, no YAML. A network is a
sequence of named nodes; each node holds one layer value (of a type of the registry,
:mod:`dsc_cost.layers`) and reads the previous node's output, or the outputs it names.
Costing a network gives, per layer and in total:

* its own cost;
* **as standard**: every separable layer costed as the full conv with the same
  in/out/kernel/stride/padding/dilation/bias, and so is every separable pair however written (a
  depthwise layer and its pointwise partner, with activations, norms or a gate between:
  :mod:`dsc_cost.pairs`); a depthwise layer alone as the full conv of its own shapes;
* **as separable**: every standard conv with a kernel larger than 1×1 and one group
  costed as depthwise + pointwise with the same geometry, its bias on the pointwise step.

Every other layer keeps its own cost in both what-ifs. Pool, add, concat and the element-wise layers
(mul, activation, norms, scale, mean, upsample) have no mults: what they do per element is counted
apart, as **other operations** (:data:`~dsc_cost.layers.base.OTHER_OPS`), per layer and in total.
A split (``split``) has an output per part, ``NAME.0``, ``NAME.1``, …; its own output is part 0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from . import display
from .errors import LayerError as LayerError  # re-exported: its home is dsc_cost.errors
from .errors import ShapeError
from .formulas import Cost, Shape
from .layers import REGISTRY as REGISTRY
from .layers.add import AddLayer as AddLayer
from .layers.base import KIND_TITLES as KIND_TITLES
from .layers.base import KINDS as KINDS
from .layers.base import NOTHING as _NOTHING
from .layers.base import Elements as Elements
from .layers.base import Evaluation as Evaluation
from .layers.base import Kind as Kind
from .layers.base import Layer as Layer
from .layers.base import as_separable, as_standard, part_count, parts, run
from .layers.base import new as _new
from .layers.base import other_ops as _other_ops
from .layers.concat import ConcatLayer as ConcatLayer
from .layers.conv import ConvLayer as ConvLayer
from .layers.depthwise import DepthwiseLayer as DepthwiseLayer
from .layers.linear import LinearLayer as LinearLayer
from .layers.pointwise import PointwiseLayer as PointwiseLayer
from .layers.pool import PoolLayer as PoolLayer
from .layers.separable import SeparableLayer as SeparableLayer
from .layers.split import SplitLayer as SplitLayer
from .pairs import NONE as _NO_PAIRS
from .pairs import Pair, find_pairs
from .pairs import Pairing as Pairing


class Node(NamedTuple):
    """A named layer in a network. ``inputs`` names the outputs it reads (a layer name, a part
    ``NAME.0``, ``NAME.1``, … of a split, or ``input``); empty means the previous layer's output
    (a split's part 0). ``type`` is the spec's type word."""

    name: str
    type: str
    layer: Layer
    inputs: tuple[str, ...] = ()
    train_only: bool = False
    """Run in training only (an auxiliary head): left out of the totals, which are the inference cost."""
    defaults: tuple[str, ...] = ()
    """The fields its spec's layer took from the spec's ``defaults:`` (``network --explain`` lists them)."""


class Notes(NamedTuple):
    """What a model file says beside its layers (an ONNX graph's): the ops not understood and costed as nothing,
    and the weights read by several layers."""

    unknown: tuple[tuple[str, int], ...] = ()
    """Each op type not understood (``--allow-unknown``), with its count: the network's cost is approximate."""
    skipped: int = 0
    """The nodes after them that were not costed either (their input's shape is not known)."""
    shared: tuple[tuple[str, int], ...] = ()
    """Per layer (its name): the params of the weights it reads that an earlier layer reads too."""
    shared_weights: int = 0
    """How many weights (initializers) several layers read."""
    shared_once: bool = False
    """Count a shared weight once, at its first reader (``--shared-weights once``), not once per use."""
    kept: int = 0
    """Statistics the model keeps beside its layers' weights, learned from data, not trained (a Keras
    ``Normalization``'s mean, variance and count): no layer's params, but Keras' ``count_params`` counts them
    (``--as keras``), as it counts batch-norm's running statistics."""

    @property
    def approximate(self) -> bool:
        """Whether ops were costed as nothing: the figures are then a lower bound, not the network's."""
        return bool(self.unknown or self.skipped)

    @property
    def shared_params(self) -> int:
        """The params counted again for every further use of a shared weight."""
        return sum(n for _, n in self.shared)


class Network(NamedTuple):
    """A network: a name, an input shape (one sample) and its nodes in order; ``notes``, what the model file it
    was read from says beside them (``None``: a spec's network)."""

    name: str
    input: Shape
    nodes: tuple[Node, ...]
    notes: Notes | None = None


class LayerCost(NamedTuple):
    """One costed layer. Counts are for the batch the network was costed with."""

    name: str
    type: str
    input: Shape
    output: Shape
    cost: Cost
    standard: Cost
    separable: Cost
    parts: tuple[tuple[Kind, Cost], ...]
    bn_params: int = 0
    """Learnable batch-norm params included in ``cost.params``; as many running statistics
    are kept beside them (non-trainable)."""
    other_ops: int = 0
    """Other operations (element-wise work, not in ``mults``: :data:`~dsc_cost.layers.base.OTHER_OPS`),
    for the batch."""
    train_only: bool = False
    """The layer runs in training only: it is not in the network's totals, only in ``training``."""
    inputs: tuple[Shape, ...] = ()
    """The shapes of every input it reads, in order (``input`` is the first); :func:`cost_network` fills it,
    and a row made without it has ``()``: :func:`layer_inputs` then works them out from the network."""
    pair: str = ""
    """In a separable pair (:mod:`dsc_cost.pairs`): the name of the other layer of the pair, else ``""``."""
    pair_role: str = ""
    """``"depthwise"`` for the pair's depthwise layer, whose ``standard`` is the whole pair's full conv,
    ``"partner"`` for its pointwise partner, absorbed into it as standard (``standard`` is zero); else ``""``."""
    elements: Elements = _NOTHING
    """What other counters count beyond one multiply-accumulate per weight, for one sample (its layer's
    ``elements``, worked out once here: ``other_ops`` and every ``--as`` figure come from it)."""


class NetworkCost(NamedTuple):
    """A costed network: every layer, the totals, the two what-if totals and the by-kind split."""

    network: Network
    batch: int
    layers: tuple[LayerCost, ...]
    total: Cost
    standard: Cost
    separable: Cost
    by_kind: dict[Kind, Cost]
    bn_params: int = 0
    """Learnable batch-norm params included in ``total.params``; as many running statistics
    are kept beside them (non-trainable)."""
    other_ops: int = 0
    """Other operations of every layer, for the batch (:attr:`LayerCost.other_ops`)."""
    training: Cost | None = None
    """With train-only layers (:attr:`Node.train_only`): the cost of training, every layer included (the
    totals above are the inference cost, without them); ``None`` when there are none."""
    pairing: Pairing = _NO_PAIRS
    """The separable pairs of the network, and each depthwise layer that pairs with nothing with the reason
    (:mod:`dsc_cost.pairs`): what ``standard`` follows."""

    @property
    def output(self) -> Shape:
        """The output of the last layer that runs at inference."""
        return next((layer.output for layer in reversed(self.layers) if not layer.train_only), self.network.input)

    def _repr_html_(self) -> str:
        """The tables of ``dsc-cost network`` as HTML, which Jupyter shows (:mod:`dsc_cost.report.notebook`)."""
        html: str = display.shown("html", self)
        return html

    def __rich__(self) -> Any:
        """The table of ``dsc-cost network``, which rich prints (``rich.print(result)``, a rich console)."""
        return display.shown("rich", self)


def evaluate(network: Network, errors: list[LayerError] | None = None) -> list[tuple[Node, Shape, Evaluation]]:
    """Propagate shapes through ``network``: each node with its (first) input shape and evaluation.

    :raises LayerError: at the first layer whose input does not fit it; with an ``errors`` list,
        every such layer is added to it instead, and the layers that read an output that could
        not be computed are left out (their own fit is unknown).
    """
    return [(node, inputs[0], evaluation) for node, inputs, evaluation, _ in _walk(network, errors)]


_NO_WHAT_IFS = (0, 0, 0, 0)


def _walk(
    network: Network, errors: list[LayerError] | None = None, forms: Forms | None = None
) -> list[tuple[Node, tuple[Shape, ...], Evaluation, tuple[int, int, int, int]]]:
    """:func:`evaluate`'s walk: each node with all its input shapes, its evaluation and, given ``forms``, its
    what-ifs for one sample (:meth:`Forms.what_ifs`; else zeros). One layer value on the same inputs is
    evaluated once (memo by value)."""
    outputs: dict[str, Shape] = {"input": network.input}
    previous: Shape | None = network.input
    walked = []
    memo: dict[tuple[Layer, tuple[Shape, ...]], tuple[Evaluation, tuple[int, int, int, int]]] = {}
    for index, node in enumerate(network.nodes):
        inputs = _inputs_of(node, outputs, previous)
        if inputs is None:  # an input whose layer did not fit (only when errors are collected)
            previous = None
            continue
        layer = node.layer
        key = (layer, inputs)
        known = memo.get(key)
        try:
            if known is None:
                result = layer.evaluate(inputs)
                what_ifs = _NO_WHAT_IFS if forms is None else forms.what_ifs(layer, inputs, result)
                known = memo[key] = (result, what_ifs)
        except ShapeError as error:
            if errors is None:
                raise LayerError(index, node.name, error.field, error.message) from None
            errors.append(LayerError(index, node.name, error.field, error.message))
            previous = None
            continue
        result, what_ifs = known
        outputs[node.name] = previous = result.output
        if part_count(layer):  # each part an output of its own
            _parts(outputs, node, inputs[0])
        walked.append((node, inputs, result, what_ifs))
    return walked


def _inputs_of(node: Node, outputs: dict[str, Shape], previous: Shape | None) -> tuple[Shape, ...] | None:
    """The shapes ``node`` reads: the outputs it names, or else ``previous`` (the layer before); ``None``
    when one of them is unknown (its layer did not fit)."""
    names = node.inputs
    if not names:
        return None if previous is None else (previous,)
    if len(names) == 1:  # the common case, without a list
        shape = outputs.get(names[0])
        return None if shape is None else (shape,)
    try:
        return tuple([outputs[name] for name in names])
    except KeyError:
        return None


def _parts(outputs: dict[str, Shape], node: Node, x: Shape) -> None:
    """The parts of a split, ``NAME.0``, ``NAME.1``, …, added to ``outputs``."""
    name = node.name
    for index, part in enumerate(parts(node.layer, x)):
        outputs[f"{name}.{index}"] = part


def cost_network(network: Network, batch: int = 1) -> NetworkCost:
    """Cost every layer of ``network`` for ``batch`` samples (mults × batch, params unchanged).

    >>> net = Network("tiny", Shape(3, 7, 7), (Node("c", "conv", ConvLayer(128, (3, 3))),))
    >>> result = cost_network(net)
    >>> result.total, result.separable
    (Cost(params=3456, mults=86400), Cost(params=411, mults=10275))

    :raises LayerError: at the first layer whose input does not fit it.
    """
    # One walk, as :func:`evaluate`'s (the layers it skips are skipped here too), costing as it goes.
    outputs: dict[str, Shape] = {"input": network.input}
    previous: Shape | None = network.input
    layers: list[LayerCost] = []
    # A block's layers repeat with the same inputs: what such a layer costs is worked out once per layer
    # value and inputs, its immutable values (its inputs too) are shared by the rows, and the totals add
    # each distinct row once, times the number of inference layers that use it.
    memo: dict[tuple[Layer, tuple[Shape, ...]], _Row] = {}
    forms = Forms()
    uses: list[int] = []  # per distinct row (its ``slot``): how many inference layers it is
    train = [0, 0, 0]  # the params and mults of train-only layers, and how many there are
    for index, node in enumerate(network.nodes):
        inputs = _inputs_of(node, outputs, previous)
        if inputs is None:  # an input whose layer was skipped
            previous = None
            continue
        layer = node.layer
        key = (layer, inputs)
        row = memo.get(key)
        if row is None:
            try:
                evaluation = layer.evaluate(inputs)
                what_ifs = forms.what_ifs(layer, inputs, evaluation)
            except ShapeError as error:
                raise LayerError(index, node.name, error.field, error.message) from None
            row = memo[key] = _row(layer, inputs, evaluation, what_ifs, batch, len(uses))
            uses.append(0)
        inputs, output, cost, standard, separable, parts, bn, other, elements, slot = row
        outputs[node.name] = previous = output
        if part_count(layer):  # each part an output of its own
            _parts(outputs, node, inputs[0])
        train_only = node.train_only
        if train_only:
            train[0] += cost.params
            train[1] += cost.mults
            train[2] += 1
        else:
            uses[slot] += 1
        fields = (node.name, node.type, inputs[0], output, cost, standard, separable, parts, bn, other,
                  train_only, inputs, "", "", elements)  # fmt: skip
        layers.append(_new(LayerCost, fields))
    kind_params: dict[Kind, int] = dict.fromkeys(KINDS, 0)
    kind_mults: dict[Kind, int] = dict.fromkeys(KINDS, 0)
    sums = [0] * 8  # params, mults, standard params and mults, separable params and mults, batch-norm, other
    for _, _, cost, standard, separable, parts, bn, other, _, slot in memo.values():
        n = uses[slot]
        if not n:
            continue
        for kind, part in parts:
            kind_params[kind] += part.params * n
            kind_mults[kind] += part.mults * n
        sums[0] += cost.params * n
        sums[1] += cost.mults * n
        sums[2] += standard.params * n
        sums[3] += standard.mults * n
        sums[4] += separable.params * n
        sums[5] += separable.mults * n
        sums[6] += bn * n
        sums[7] += other * n
    by_kind = {kind: Cost(kind_params[kind], kind_mults[kind]) for kind in KINDS}
    total, standard, separable = Cost(sums[0], sums[1]), Cost(sums[2], sums[3]), Cost(sums[4], sums[5])
    bn_total, other_total = sums[6], sums[7]
    training = Cost(total.params + train[0], total.mults + train[1]) if train[2] else None
    firsts = [layer.input for layer in layers]
    pairing, paired, shift = apply_pairs(network.nodes, firsts, [layer.output for layer in layers],
                                         lambda index: layers[index].standard, batch, forms)  # fmt: skip
    for index, role, name, pair_cost in paired:
        layers[index] = layers[index]._replace(standard=pair_cost, pair=name, pair_role=role)
    standard += shift
    result = NetworkCost(
        network, batch, tuple(layers), total, standard, separable, by_kind, bn_total, other_total, training, pairing
    )
    notes = network.notes
    return _shared_once(result, dict(notes.shared)) if notes is not None and notes.shared_once else result


def _shared_once(result: NetworkCost, shared: dict[str, int]) -> NetworkCost:
    """``result`` with each shared weight's params counted once, at its first reader: every further reader's
    params less those of the weights it shares (``shared``: layer name → params). The what-ifs follow: a layer
    whose every param is shared has none in either (its replacement would be tied too); one that shares part of
    them (a bias) has as many fewer in each."""
    layers = list(result.layers)
    drop = [0, 0, 0]  # own, standard, separable params taken off the totals
    by_kind = dict(result.by_kind)
    for index, layer in enumerate(layers):
        count = shared.get(layer.name, 0)
        if not count:
            continue
        whole = count >= layer.cost.params
        own = min(count, layer.cost.params)
        standard = layer.standard.params if whole else min(count, layer.standard.params)
        separable = layer.separable.params if whole else min(count, layer.separable.params)
        parts, left = [], own
        for kind, part in reversed(layer.parts):  # a bias is the last step's
            taken = min(left, part.params)
            left -= taken
            parts.append((kind, part._replace(params=part.params - taken)))
            if not layer.train_only:
                by_kind[kind] = by_kind[kind]._replace(params=by_kind[kind].params - taken)
        layers[index] = layer._replace(
            cost=layer.cost._replace(params=layer.cost.params - own),
            standard=layer.standard._replace(params=layer.standard.params - standard),
            separable=layer.separable._replace(params=layer.separable.params - separable),
            parts=tuple(reversed(parts)),
        )
        if not layer.train_only:
            drop[0] += own
            drop[1] += standard
            drop[2] += separable
    total, standard_total, separable_total = result.total, result.standard, result.separable
    return result._replace(
        layers=tuple(layers),
        total=total._replace(params=total.params - drop[0]),
        standard=standard_total._replace(params=standard_total.params - drop[1]),
        separable=separable_total._replace(params=separable_total.params - drop[2]),
        by_kind=by_kind,
    )


def pair_forms(pair: Pair) -> tuple[tuple[int, str, int, tuple[Layer, ...]], tuple[int, str, int, tuple[Layer, ...]]]:
    """What the two layers of a separable pair are as standard, the one rule for the costs (:func:`apply_pairs`)
    and the times (:mod:`dsc_cost.memory`): each as (its index, its role, the other layer's index, the layers it
    becomes), the depthwise layer the pair's full conv, its partner nothing (:mod:`dsc_cost.pairs`)."""
    return (
        (pair.depthwise, "depthwise", pair.partner, (pair.standard,)),
        (pair.partner, "partner", pair.depthwise, ()),
    )


def paired_forms(pairing: Pairing) -> dict[int, tuple[Layer, ...]]:
    """The as-standard forms of the layers of every separable pair, by index (:func:`pair_forms`)."""
    return {index: form for pair in pairing.pairs for index, _, _, form in pair_forms(pair)}


def apply_pairs(
    nodes: tuple[Node, ...],
    inputs: list[Shape],
    outputs: list[Shape],
    standard: Callable[[int], Cost],
    batch: int,
    forms: Forms | None = None,
) -> tuple[Pairing, list[tuple[int, str, str, Cost]], Cost]:
    """The separable pairs of a network (:mod:`dsc_cost.pairs`) applied to its as-standard what-if, in one place for
    :func:`cost_network` and :func:`network_totals`: the pairing; each layer of a pair as (index, role, the other
    layer's name, its as-standard cost for the batch: :func:`pair_forms`); and what that changes in the as-standard
    totals (of the inference layers), given each layer's own as-standard cost for the batch (``standard``, by
    index); ``forms``, the memo of the walk that costed the network, if any."""
    pairing = find_pairs(nodes, inputs, outputs)
    if not pairing.pairs:
        return pairing, [], Cost(0, 0)
    rows = []
    params = mults = 0
    forms = Forms() if forms is None else forms
    for pair in pairing.pairs:
        for index, role, other, form in pair_forms(pair):
            form_params, form_mults = forms.counts(form, (inputs[index],))
            cost = _new(Cost, (form_params, form_mults * batch))
            rows.append((index, role, nodes[other].name, cost))
            if not nodes[index].train_only:
                own = standard(index)
                params += cost.params - own.params
                mults += cost.mults - own.mults
    return pairing, rows, Cost(params, mults)


class Forms:
    """The one place where a what-if is costed, for one walk over a network: from the layers a layer becomes
    (:func:`~dsc_cost.layers.base.as_standard`, :func:`~dsc_cost.layers.base.as_separable`) run one after the
    other on its inputs (:func:`~dsc_cost.layers.base.run`), never from a second statement of the rule. A layer
    alone is asked once per distinct (layer, inputs), through the walk's memo by value (:meth:`what_ifs`); a
    separable pair's full conv once per distinct (layers, inputs), through this one's (:meth:`counts`, for
    :func:`apply_pairs`: a block's pairs repeat on the same inputs)."""

    __slots__ = ("memo",)

    def __init__(self) -> None:
        self.memo: dict[tuple[tuple[Layer, ...], tuple[Shape, ...]], tuple[int, int]] = {}

    def counts(self, form: tuple[Layer, ...], inputs: tuple[Shape, ...]) -> tuple[int, int]:
        """The (params, mults) of ``form`` on ``inputs``, for one sample (:func:`~dsc_cost.layers.base.run`)."""
        key = (form, inputs)
        counts = self.memo.get(key)
        if counts is None:
            _, params, mults = run(form, inputs)
            counts = self.memo[key] = (params, mults)
        return counts

    def what_ifs(self, layer: Layer, inputs: tuple[Shape, ...], own: Evaluation) -> tuple[int, int, int, int]:
        """(params, mults) as standard, then as separable, of ``layer`` alone on ``inputs``, for one sample,
        given its ``own`` evaluation there (what it costs in a what-if where it stays itself)."""
        # A walk asks once per distinct (layer, inputs), through its own memo by value: the forms are run here,
        # not memoised again. A layer that stays itself in a what-if costs its own there.
        standard_p = separable_p = own.params
        standard_m = separable_m = own.mults
        standard = as_standard(layer, inputs)
        if standard != (layer,):
            _, standard_p, standard_m = run(standard, inputs)
        separable = as_separable(layer)
        if separable != (layer,):
            _, separable_p, separable_m = run(separable, inputs)
        return standard_p, standard_m, separable_p, separable_m


def what_ifs(layer: Layer, inputs: tuple[Shape, ...]) -> tuple[Cost, Cost]:
    """What ``layer`` alone costs on ``inputs`` as standard and as separable, for one sample: what the layers it
    becomes cost (:class:`Forms`).

    >>> what_ifs(ConvLayer(128, (3, 3)), (Shape(3, 7, 7),))
    (Cost(params=3456, mults=86400), Cost(params=411, mults=10275))

    :raises ShapeError: when ``layer`` does not fit ``inputs``.
    """
    standard_params, standard_mults, separable_params, separable_mults = Forms().what_ifs(
        layer, inputs, layer.evaluate(inputs)
    )
    return Cost(standard_params, standard_mults), Cost(separable_params, separable_mults)


class _Row(NamedTuple):
    """What a layer value costs on given inputs, for the batch: the fields of its :class:`LayerCost`
    rows, and ``slot``, its place among the distinct rows of a network."""

    inputs: tuple[Shape, ...]
    output: Shape
    cost: Cost
    standard: Cost
    separable: Cost
    parts: tuple[tuple[Kind, Cost], ...]
    bn_params: int
    other_ops: int
    elements: Elements
    slot: int


def _row(
    layer: Layer,
    inputs: tuple[Shape, ...],
    evaluation: Evaluation,
    what_ifs: tuple[int, int, int, int],
    batch: int,
    slot: int,
) -> _Row:
    output, p, m, own_parts, bn = evaluation
    standard_p, standard_m, separable_p, separable_m = what_ifs
    elements = layer.elements(inputs, output)
    row = (
        inputs,
        output,
        _new(Cost, (p, m * batch)),
        _new(Cost, (standard_p, standard_m * batch)),
        _new(Cost, (separable_p, separable_m * batch)),
        tuple([(kind, _new(Cost, (part_p, part_m * batch))) for kind, part_p, part_m in own_parts]),
        bn,
        _other_ops(elements) * batch,
        elements,
        slot,
    )
    return _new(_Row, row)


def layer_inputs(result: NetworkCost) -> list[tuple[Shape, ...]]:
    """The input shapes of every layer of a costed network, in order (several for a layer of several inputs):
    each layer's :attr:`LayerCost.inputs`, or worked out from the outputs where a row has none."""
    if all(layer.inputs for layer in result.layers):
        return [layer.inputs for layer in result.layers]
    outputs: dict[str, Shape] = {"input": result.network.input}
    shapes = []
    for node, layer in zip(result.network.nodes, result.layers, strict=True):
        shapes.append(tuple(outputs[name] for name in node.inputs) if node.inputs else (layer.input,))
        outputs[node.name] = layer.output
        if part_count(node.layer):
            _parts(outputs, node, layer.input)
    return shapes


class Totals(NamedTuple):
    """A network's totals alone: own cost, as standard, as separable, and its output shape."""

    total: Cost
    standard: Cost
    separable: Cost
    output: Shape


def network_totals(network: Network, batch: int = 1) -> Totals:
    """The totals of :func:`cost_network` without the per-layer rows: the fast path for search
    loops that only need the sums.

    >>> net = Network("tiny", Shape(3, 7, 7), (Node("c", "conv", ConvLayer(128, (3, 3))),))
    >>> network_totals(net).separable
    Cost(params=411, mults=10275)

    :raises LayerError: at the first layer whose input does not fit it.
    """
    forms = Forms()
    walked = _walk(network, None, forms)
    params = mults = std_params = std_mults = sep_params = sep_mults = 0
    output = network.input
    for node, _, evaluation, (standard_p, standard_m, separable_p, separable_m) in walked:
        if node.train_only:  # train-only layers are not in the totals
            continue
        params += evaluation.params
        mults += evaluation.mults
        std_params += standard_p
        std_mults += standard_m
        sep_params += separable_p
        sep_mults += separable_m
        output = evaluation.output

    def own(index: int) -> Cost:
        what_ifs = walked[index][3]
        return Cost(what_ifs[0], what_ifs[1] * batch)

    inputs = [x[0] for _, x, _, _ in walked]
    outputs = [evaluation.output for _, _, evaluation, _ in walked]
    shift = apply_pairs(network.nodes, inputs, outputs, own, batch, forms)[2]
    standard = Cost(std_params + shift.params, std_mults * batch + shift.mults)
    return Totals(Cost(params, mults * batch), standard, Cost(sep_params, sep_mults * batch), output)
