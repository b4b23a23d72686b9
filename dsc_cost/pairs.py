"""Separable pairs: which depthwise layer and which pointwise partner make one depthwise separable conv.

Modern networks write a depthwise separable conv as two layers, with batch-norm, activations or a
squeeze-and-excitation gate between them (MobileNetV3, EfficientNet, MnasNet, ShuffleNetV2, ConvNeXt). A
depthwise layer and its *pointwise partner* are one separable conv when the depthwise output reaches the
partner only through layers that act per position or per channel (:attr:`~dsc_cost.layers.base.PairRole`
``"through"``: activation, batch-norm, layer-norm, group-norm, scale), and through a gate (``mul``) whose
other input is C×1×1, computed from that same path; and when nothing else reads the outputs on the way but
such a gate's branch. A pointwise partner is a 1×1 convolution of stride 1 and one group (``pointwise``, or
``conv`` with a 1×1 kernel), or a ``linear`` layer applied at every position.

In the **as standard** what-if a pair is one full conv: the depthwise's window (kernel, stride, padding,
dilation) from the depthwise input's channels to the partner's output channels, with the partner's bias
and batch-norm; the depthwise's own bias and batch-norm go with it, and the layers between keep their own
costs. The depthwise row carries that conv's cost, the partner's row none. A depthwise layer that pairs
with nothing is, as standard, the full conv of its own input and output shapes (its layer says so itself).
In the **as separable** what-if a pair is already separable: unchanged.

The walk is pure: it reads a network's nodes and the shapes they were costed on, and returns the pairs
and, for each depthwise layer that did not pair, why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol

from .formulas import Shape
from .layers.base import PAIR_STARTS, Layer, PairRole, layer_class


class Node(Protocol):
    """What the walk reads of a network's node (:class:`dsc_cost.network.Node`)."""

    @property
    def name(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def layer(self) -> Layer: ...

    @property
    def inputs(self) -> tuple[str, ...]: ...

    @property
    def train_only(self) -> bool: ...


MAX_BRANCH = 256
"""The most layers a gate's branch may hold: a gate computed from farther away is no squeeze-and-excitation."""


class Pair(NamedTuple):
    """A depthwise layer and its pointwise partner (indices of the network's nodes), the layers between them
    on the path, the layers of the gates' branches, and the full conv the pair is as standard."""

    depthwise: int
    partner: int
    path: tuple[int, ...]
    gates: tuple[int, ...]
    standard: Layer

    @property
    def between(self) -> tuple[int, ...]:
        """Every layer between the two, in order: the path's and the gates' branches'."""
        return tuple(sorted(self.path + self.gates))


class Unpaired(NamedTuple):
    """A depthwise layer that pairs with nothing (its node's index), and why."""

    depthwise: int
    reason: str


class Pairing(NamedTuple):
    """Every pair of a network, and every depthwise layer left alone with the reason."""

    pairs: tuple[Pair, ...] = ()
    unpaired: tuple[Unpaired, ...] = ()


NONE = Pairing()


def find_pairs(nodes: Sequence[Node], inputs: Sequence[Shape], outputs: Sequence[Shape]) -> Pairing:
    """The pairs of a network of ``nodes``, each costed on its (first) input ``inputs[i]`` to ``outputs[i]``.

    >>> from dsc_cost.formulas import Shape
    >>> from dsc_cost.layers.activation import ActivationLayer
    >>> from dsc_cost.network import DepthwiseLayer, Node, PointwiseLayer
    >>> nodes = (Node("dw", "depthwise", DepthwiseLayer((3, 3))), Node("act", "activation", ActivationLayer("relu")),
    ...          Node("pw", "pointwise", PointwiseLayer(8)))
    >>> x, y = Shape(4, 6, 6), Shape(4, 4, 4)
    >>> pairing = find_pairs(nodes, (x, y, y), (y, y, Shape(8, 4, 4)))
    >>> [(p.depthwise, p.partner, p.between) for p in pairing.pairs]
    [(0, 2, (1,))]
    """
    roles = _Roles(nodes, inputs)
    starts = []
    for index, node in enumerate(nodes):
        if type(node.layer) in PAIR_STARTS:  # most layers are no depthwise conv: not asked
            role = roles(index)
            if role is not None and role.kind == "depthwise":
                starts.append(index)
    if not starts:
        return NONE
    graph = _Graph(nodes, inputs, outputs, roles)
    pairs, unpaired = [], []
    for index in starts:
        found = graph.pair(index)
        if isinstance(found, Pair):
            pairs.append(found)
        else:
            unpaired.append(Unpaired(index, found))
    return Pairing(tuple(pairs), tuple(unpaired))


class _Roles:
    """The role of each node's layer on its input (its ``pair_role``), worked out once per layer value and input:
    a block's layers repeat, and share their values and input shapes (known here by identity, which the
    sequences given hold for the whole walk)."""

    def __init__(self, nodes: Sequence[Node], inputs: Sequence[Shape]) -> None:
        self.nodes = nodes
        self.inputs = inputs
        self.known: dict[tuple[int, int], PairRole | None] = {}

    def __call__(self, index: int) -> PairRole | None:
        layer, x = self.nodes[index].layer, self.inputs[index]
        key = (id(layer), id(x))
        known = self.known
        if key in known:
            return known[key]
        method = getattr(layer, "pair_role", None)
        role = known[key] = None if method is None else method(x)
        return role


class _Graph:
    """The readers of every output, and the walk from a depthwise layer to its partner."""

    def __init__(self, nodes: Sequence[Node], inputs: Sequence[Shape], outputs: Sequence[Shape], roles: _Roles) -> None:
        self.roles = roles
        self.nodes = nodes
        self.inputs = inputs
        self.outputs = outputs
        self.index = {node.name: i for i, node in enumerate(nodes)}
        readers: dict[int, list[int]] = {}
        sources: list[tuple[int, ...]] = []
        previous = -1  # the network's input
        for i, node in enumerate(nodes):
            names = node.inputs
            mine = (previous,) if not names else tuple(self._source(name) for name in names)
            sources.append(mine)
            for source in dict.fromkeys(mine):
                readers.setdefault(source, []).append(i)
            previous = i
        self.readers = readers
        self.sources = sources
        self.last = next((i for i in range(len(nodes) - 1, -1, -1) if not nodes[i].train_only), -1)

    def _source(self, name: str) -> int:
        """The node whose output ``name`` is (-1: the network's input; -2: another output, a split's part)."""
        if name == "input":
            return -1
        return self.index.get(name, -2)

    def name(self, index: int) -> str:
        return self.nodes[index].name

    def pair(self, start: int) -> Pair | str:
        """The pair ``start`` (a depthwise layer) makes, or why it makes none."""
        role = self.roles(start)
        assert role is not None
        window = role.value
        if not window[4]:
            return "it opts out (pair: false)"
        path = [start]
        branch: set[int] = set()
        current = start
        while True:
            readers = self.readers.get(current, [])
            if not readers:
                if current == self.last:
                    return f"{self._via(path)}is the network's output, with no 1×1 conv after it"
                return f"{self._via(path)}is read by no layer"
            candidates = []
            for reader in readers:
                step = self._step(reader, current, path)
                if step is not None:
                    candidates.append((reader, step))
            if len(candidates) != 1:
                names = ", ".join(f"'{self.name(r)}' ({self.nodes[r].type})" for r in readers)
                if not candidates:
                    return f"{self._via(path)}is read by {names}, which cannot pass or end a pair"
                return f"{self._via(path)}is read by {names}: more than one way on"
            reader, step = candidates[0]
            kind, gate_branch = step
            if kind == "partner":
                problem = self._check_readers(path, branch, reader)
                if problem:
                    return problem
                partner = self.roles(reader)
                assert partner is not None
                standard = _standard(window, partner.value)
                return Pair(start, reader, tuple(path[1:]), tuple(sorted(branch)), standard)
            if kind == "gate":
                branch.update(gate_branch)
            path.append(reader)
            current = reader

    def _via(self, path: list[int]) -> str:
        if len(path) == 1:
            return "its output "
        return f"its output, through '{self.name(path[-1])}', "

    def _step(self, reader: int, current: int, path: list[int]) -> tuple[str, frozenset[int]] | None:
        """How ``reader`` goes on from ``current``: a partner, a layer acting per position or channel, or
        a gate (with the branch that computes its other input); ``None`` when it does not."""
        sources = self.sources[reader]
        role = self.roles(reader)
        if role is None:
            return None
        kind = role.kind
        if kind in ("partner", "through"):
            return (kind, frozenset()) if sources == (current,) else None
        if kind == "gate" and len(sources) == 2 and current in sources:
            other = sources[1] if sources[0] == current else sources[0]
            if other in path or other < 0:
                return None
            shape, main = self.outputs[other], self.outputs[current]
            if shape.channels != main.channels or any(size != 1 for size in shape[1:]):
                return None
            branch = self._branch(other, path)
            return None if branch is None else ("gate", branch)
        return None

    def _branch(self, gate: int, path: list[int]) -> frozenset[int] | None:
        """The layers that compute ``gate`` from the path (back to it), or ``None`` when it is not computed
        from the path alone."""
        on_path = set(path)
        branch: set[int] = set()
        stack = [gate]
        touched = False
        while stack:
            index = stack.pop()
            if index in on_path:
                touched = True
                continue
            if index < 0 or index in branch:
                if index < 0:
                    return None
                continue
            branch.add(index)
            if len(branch) > MAX_BRANCH:
                return None
            stack.extend(self.sources[index])
        return frozenset(branch) if touched else None

    def _check_readers(self, path: list[int], branch: set[int], partner: int) -> str:
        """Why the path is not private to the pair: a layer outside it, its gates' branches and the partner
        reads one of its outputs ('' when none does)."""
        inside = {*path, *branch, partner}
        for index in [*path, *sorted(branch)]:
            for reader in self.readers.get(index, []):
                if reader not in inside:
                    return (
                        f"'{self.name(index)}' on the way to '{self.name(partner)}' is also read by "
                        f"'{self.name(reader)}' ({self.nodes[reader].type})"
                    )
        return ""


def _standard(window: tuple[Any, ...], partner: tuple[Any, ...]) -> Layer:
    """The full conv a pair is as standard: the depthwise's window, the partner's out, bias and batch-norm."""
    kernel, stride, padding, dilation, _ = window
    out, bias, batchnorm = partner
    conv = layer_class("conv")
    return conv(out=out, kernel=kernel, stride=stride, padding=padding, dilation=dilation, groups=1, bias=bias,
                batchnorm=batchnorm)  # fmt: skip
