"""What the expansion of a network's layers keeps as it goes: where a layer is listed (:class:`_Scope`), the shapes
of the nodes made so far (:class:`_Shapes`), and what one use of a block made (:class:`_Template`)."""

from __future__ import annotations

from typing import Any, NamedTuple

from ...errors import Path_, shorten
from ...formulas import Shape, ShapeError
from ...layers.split import SplitLayer
from ...network import Node
from ..yamltext import MAX_NAME
from .blocks import _Block


class _InnerWhere:
    """``layers[3] (stage3.2.dw)``: a layer made by a block, named by its call site's index and its own name
    (spelled out only when a problem needs it)."""

    __slots__ = ("index", "item", "position", "prefix")

    def __init__(self, index: int, prefix: str, item: dict[Any, Any], position: object) -> None:
        self.index, self.prefix, self.item, self.position = index, prefix, item, position

    def __str__(self) -> str:
        written = self.item.get("name")
        if not (isinstance(written, str) and len(written) <= MAX_NAME and written.isprintable() and written.strip()):
            written = f"layers[{self.position}]"
        return f"layers[{self.index}] ({shorten(self.prefix + written)})"


class _Scope:
    """Where layers are listed: the network's ``layers`` (``names`` is ``None``) or a block's, for one
    use of it: its expression names, the node name that ``input`` means, the prefix of its names."""

    __slots__ = (
        "block", "channels", "counters", "depth", "explicit", "fixed", "input", "key", "known", "names", "prefix",
        "previous", "raw", "site", "train",
    )  # fmt: skip

    def __init__(
        self,
        site: int,
        prefix: str,
        names: dict[str, Any] | None,
        input_: str,
        block: str,
        depth: int,
        explicit: frozenset[str],
    ) -> None:
        self.site, self.prefix, self.names, self.input, self.block, self.depth = (
            site,
            prefix,
            names,
            input_,
            block,
            depth,
        )
        self.known: dict[str, str] = {"input": input_}  # a written name → the name of its (last) node
        self.previous = input_  # what the next layer without ``from`` reads
        self.counters: dict[str, int] = {}
        self.explicit = explicit
        self.key: tuple[tuple[str, Any], ...] | None = None  # its names, as a memo key (found once)
        self.channels: frozenset[str] = frozenset()  # the names that are channel counts (scaled by a width)
        self.raw: dict[str, Any] | None = None  # its names before a width multiplier scaled them
        self.fixed = False  # under width: fixed, nothing written in it is scaled
        self.train = False  # under train_only: true, every layer made in it runs in training only


class _Shapes:
    """The output shapes of the nodes built so far, found when a block first asks (``in``)."""

    __slots__ = ("done", "failed", "memo", "nodes", "outputs", "previous")

    def __init__(self, shape: Shape | None, nodes: list[Node]) -> None:
        self.nodes, self.done, self.failed = nodes, 0, ""
        self.outputs: dict[str, Shape] = {"input": shape} if shape is not None else {}
        self.previous = shape
        self.memo: dict[tuple[int, tuple[Shape, ...]], Shape] = {}  # a layer value's output, by its inputs

    def of(self, name: str) -> Shape | None:
        nodes, outputs = self.nodes, self.outputs
        for at in range(self.done, len(nodes)):
            node = nodes[at]
            self.done = at + 1
            if node.inputs:
                inputs = tuple(outputs.get(n) for n in node.inputs)
            else:
                inputs = (self.previous,)
            self.previous = None
            if any(x is None for x in inputs):
                continue
            key = (id(node.layer), inputs)  # the nodes hold their layers: no id is reused
            output = self.memo.get(key)  # type: ignore[arg-type]
            if output is None:
                try:
                    output = self.memo[key] = node.layer.evaluate(inputs).output  # type: ignore[arg-type, index]
                except ShapeError as error:
                    self.failed = self.failed or f"{node.name}: {error.field}: {error.message}"
                    continue
            if isinstance(node.layer, SplitLayer):
                for part, shape in enumerate(node.layer.outputs(inputs[0])):  # type: ignore[arg-type]
                    outputs[f"{node.name}.{part}"] = shape
            outputs[node.name] = self.previous = output
        return outputs.get(name)


class _Template(NamedTuple):
    """The nodes one use of a block made, without its prefix: per node its name, type, layer value, inputs
    (``None``: the block's input), ``train_only``, the path of its layer in the block and its split parts;
    the name the next layer reads; every name it takes (split parts included) and, when they are known,
    their shapes."""

    block: _Block
    rows: tuple[tuple[str, str, Any, tuple[str | None, ...], bool, Path_, int, tuple[str, ...]], ...]
    last: str | None
    names: tuple[str, ...]
    outputs: tuple[Shape, ...] | None


def _parts_message(name: str, count: int, found: str) -> str:
    """What a reference to a split, or to a part it does not have, expected: its parts."""
    shown = [shorten(repr(f"{name}.{index}")) for index in (range(count) if count <= 4 else (0, 1, 2, count - 1))]
    if count <= 4:
        listed = f"{', '.join(shown[:-1])} or {shown[-1]}"
    else:
        listed = f"{', '.join(shown[:-1])}, …, {shown[-1]}"
    return f"expected a part of split {shorten(repr(name))}: {listed}, found {shorten(repr(found))}"
