"""Block uses recorded and replayed."""

from __future__ import annotations

from typing import Any

from ...formulas import Shape
from ...layers.base import new as _new
from ...network import Node
from ..bounds import NAME_CHARACTERS
from .blocks import _Block
from .core import _ExpanderCore
from .scopes import _Template


class _Templates(_ExpanderCore):
    """A network repeats its blocks: 10,000 uses of one block are common in generated specs, and most uses
    of a block in a real network repeat an earlier one (same arguments, same input shape). What one use
    makes is decided by the block, its arguments and input shape, and a few flags: the first such use is
    expanded layer by layer, as written, and recorded; the next ones make the same nodes under their own
    names, without reading the layers again. Anything that could make a use differ (a name taken, the
    bound, a train-only input, a problem said already) sends it the long way, which says what is wrong."""

    def template_key(
        self,
        block: _Block,
        names: dict[str, Any],
        raw: dict[str, Any],
        shape: Shape | None,
        source: str,
        train: bool,
        fixed: bool,
        depth: int,
    ) -> Any:
        """What decides the nodes one use of ``block`` makes; ``None`` when a use must be expanded as written."""
        check = self.check
        if check.problems or check.located or (self.train_names and not train):
            return None
        last = self.nodes[-1].name if self.nodes else "input"
        # the names are numbers, words and true/false (block arguments, in, copy): a key, as in layer()'s memo
        return (
            id(block),  # a template holds its block: while it is kept, no other block has its id
            tuple(names.items()),
            tuple(raw.items()) if self.scaling is not None else None,
            shape,
            train,
            fixed,
            depth,  # how deep the blocks it uses are: too deep is a problem
            source == last,  # whether its first layer, reading the layer before, names it
        )

    def record(self, key: Any, block: _Block, first: int, prefix: str, source: str, previous: str) -> None:
        """Keep what one use of ``block`` made (the nodes from ``first`` on) for the uses with the same ``key``."""
        nodes = self.nodes[first:]
        made: dict[str, str] = {}  # a name made here (or a split's part) → that name without the prefix
        for node in nodes:
            made[node.name] = node.name[len(prefix) :]
            for part in range(self.splits.get(node.name, 0)):
                made[f"{node.name}.{part}"] = f"{made[node.name]}.{part}"

        def local(name: str) -> str | None:  # None: the block's input
            if name == source:
                return None
            return made[name]

        try:
            rows = tuple(
                (
                    made[node.name],
                    node.type,
                    node.layer,
                    tuple(local(name) for name in node.inputs),
                    node.train_only,
                    self.inner[first + offset],
                    self.splits.get(node.name, 0),
                    node.defaults,
                )
                for offset, node in enumerate(nodes)
            )
            last = local(previous)
        except KeyError:  # a layer reads a name made neither here nor before: no template
            return
        # the shapes of what it made, when they are known: the next uses need not work them out again
        shapes = self.shapes
        outputs: tuple[Shape, ...] | None = None
        if shapes.done == first and shapes.of(previous) is not None and shapes.done == len(self.nodes):
            found = tuple(shapes.outputs.get(name) for name in made)
            if all(shape is not None for shape in found):
                outputs = found  # type: ignore[assignment]
        if len(self.templates) < 10_000:
            self.templates[key] = _Template(block, rows, last, tuple(made.values()), outputs)

    def replay(self, template: _Template, site: int, prefix: str, source: str) -> str | None:
        """The nodes of a recorded use made again, under ``prefix``, reading ``source``; the name the next
        layer reads, or ``None`` when this use must be expanded as written (a name taken, or the bound passed)."""
        names = self.names
        taken = [prefix + name for name in template.names]
        if not names.isdisjoint(taken):
            return None
        tally = self.tally
        if tally.used + len(self.nodes) + len(template.rows) > tally.bound:
            return None
        characters = len(prefix) * len(template.rows) + sum(len(row[0]) for row in template.rows)
        if tally.characters + characters > tally.bound * NAME_CHARACTERS:
            return None
        tally.characters += characters
        nodes, origins, inner, train_names = self.nodes, self.origins, self.inner, self.train_names
        shapes = self.shapes
        if template.outputs is not None and template.rows and shapes.done == len(nodes):  # the shapes so far known
            shapes.outputs.update(zip(taken, template.outputs, strict=True))
            shapes.done += len(template.rows)
            shapes.previous = shapes.outputs[prefix + template.rows[-1][0]]
        for local, kind, layer, inputs, train, base, parts, defaulted in template.rows:
            name = prefix + local
            reads = tuple(source if i is None else prefix + i for i in inputs) if inputs else ()
            inner[len(nodes)] = base
            nodes.append(_new(Node, (name, kind, layer, reads, train, defaulted)))
            origins.append(site)
            if train:
                train_names.add(name)
            if parts:
                self.splits[name] = parts
        names.update(taken)
        return source if template.last is None else prefix + template.last
