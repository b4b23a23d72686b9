"""The nodes of a network's layers, ``repeat`` and blocks expanded."""

from __future__ import annotations

from typing import Any

from ...errors import Path_
from ...formulas import Shape
from ...layers import REGISTRY
from ...network import Node
from ...variants import scale_channels
from ..bounds import Tally as _Tally
from ..yamltext import MAX_NAME, _Where, describe
from .blocks import _PLAIN, _SKIP, _Block, _written
from .inclusion import _Inclusion
from .model import _Scaling, _Source
from .scopes import _Scope
from .shared import _Shared
from .uses import _Uses
from .validate import (
    Defaults,
    _Checker,
    _layer_values,
    _parse_field,
    _plugins_added,
    _suggestion,
    _type_defaults,
    _type_list,
)


class _Expander(_Uses, _Inclusion, _Shared):
    """The nodes of a network's layers, ``repeat`` and blocks expanded, and for each the index of the
    layer of ``layers`` it came from."""

    def run(self, layers: list[Any], use: object = None) -> tuple[list[Node], list[int], dict[int, Path_]]:
        if use is not None:  # the blocks of other files: this file's own of the same name win
            self.blocks = {**self.imported(use, self.check), **self.blocks}
            self.types = f"{_type_list()}, or a block: {', '.join(self.blocks)}" if self.blocks else _type_list()
        scope = _Scope(0, "", None, "input", "", 0, _written(layers))
        try:
            for index, item in enumerate(layers):
                scope.site = index
                self.layer(scope, item, ("layers", index), _Where(index, item) if isinstance(item, dict) else None)
        finally:
            self.located_elsewhere()
        if self.raw_out:  # the last linear layer's output (the classes) keeps its width
            last = next((i for i in range(len(self.nodes) - 1, -1, -1) if self.nodes[i].type == "linear"), None)
            if last is not None and id(self.nodes[last].layer) in self.raw_out:
                node = self.nodes[last]
                layer = node.layer._replace(out=self.raw_out[id(node.layer)])  # type: ignore[attr-defined]
                self.nodes[last] = node._replace(layer=layer)
        return self.nodes, self.origins, self.inner

    def layer(self, scope: _Scope, item: Any, base: Path_, where: Any) -> None:
        check = self.check
        if not isinstance(item, dict):
            if scope.names is None:  # a block's are refused where it is defined
                found = describe(item)
                check.add(base, f"layers[{base[-1]}]", "", f"expected a layer mapping with a type, found {found}")
            return
        if scope.names is not None:
            where = self.where(scope, item, base[-1])
        if "include" in item:
            self.include(scope, item, base, where)
            return
        kind = item.get("type")
        written = item.get("name")
        if not isinstance(written, str) or len(written) > MAX_NAME or not written.strip() or not written.isprintable():
            written = None
        if "if" in item:
            kept = self.condition(scope, item, base, where)
            if not kept:
                if written is not None and kept is not None:
                    scope.known.setdefault(written, "")  # left out: a reference to it is an error
                elif written is not None:
                    scope.known[written] = written  # wrong, and said: a reference to it is not
                return
        block = self.blocks.get(kind) if isinstance(kind, str) and kind not in REGISTRY else None
        fixed = (
            "width" in item and not (block is not None and "width" in block.params) and self.fixed(item, base, where)
        )
        train = scope.train
        if "train_only" in item and not (block is not None and "train_only" in block.params):
            train = self.train_only(item, base, where) or train
        if block is not None or (isinstance(kind, str) and kind in self.blocks):
            self.use(scope, item, base, where, block, written, fixed, train)
            return
        layer_type = REGISTRY.get(kind) if isinstance(kind, str) else None
        if layer_type is None and isinstance(kind, str) and _plugins_added():  # a plugin's type
            layer_type = REGISTRY.get(kind)
            self.types = f"{_type_list()}, or a block: {', '.join(self.blocks)}" if self.blocks else _type_list()
        if layer_type is None:
            found = "nothing" if kind is None else describe(kind)
            path: Path_ = (*base, "type") if "type" in item else base
            hint = _suggestion(kind, [*REGISTRY, *self.blocks])
            check.add(path, where, "type", f"expected one of {self.types}, found {found}{hint}")
            return
        memo_key: Any = None
        raw_out: int | None = None
        fields = layer_type.by_name

        def words(key: object, raw: object) -> bool:
            field = fields.get(key) if isinstance(key, str) else None
            return field is None or _parse_field(field, raw)[1] is None

        if scope.names is None:  # the network's layers: a field may be an expression of its params
            if any(isinstance(v, str | list) for k, v in item.items() if k not in _PLAIN):
                substituted = self.substitute(scope, item, base, where, words)
                if substituted is None:
                    if written is not None:
                        scope.known[written] = written
                    return
                item = substituted
        else:
            if scope.key is None:
                scope.key = tuple(scope.names.items())
            memo_key = (id(item), scope.key)
            memo = self.memo.get(memo_key)
            if memo is not None:
                self.make(scope, item, layer_type, memo[0], memo[1], written, base, where, train)
                return
            substituted = self.substitute(scope, item, base, where, words)
            if substituted is None:
                return
            if self.scaling is not None and "out" in item:
                substituted["out"], raw_out = self.scaled_out(scope, item["out"], substituted["out"], fixed)
            item = substituted
        if layer_type.name not in self.typed_defaults:
            self.typed_defaults[layer_type.name] = _type_defaults(layer_type, self.defaults)
        values = _layer_values(base, where, item, layer_type, self.typed_defaults[layer_type.name], check, _SKIP)
        bad = values is None
        if scope.names is None and self.scaling is not None and values is not None and "out" in values:
            if not (fixed or scope.fixed) and isinstance(values["out"], int):
                raw_out = values["out"]
                values["out"] = scale_channels(raw_out, self.scaling.width, self.scaling.divisor)
        resolved = self.references(scope, values, layer_type.multi_input, base, where)
        if resolved is None:
            bad = True
        repeat = 1 if values is None else values.get("repeat", 1)
        if self.unique(scope, written, repeat, base, where):
            bad = True
        self.bound(scope, repeat, base, item, where)
        if bad or values is None or resolved is None:
            if written is not None:
                scope.known[written] = written
            return
        layer = layer_type.build(values)
        if raw_out is not None:
            self.raw_out[id(layer)] = raw_out
        else:  # equal layers are one value: what it costs on the same inputs is worked out once
            # (by repr: 1 and True, 2 and 2.0, two types of the same fields are equal tuples, not equal layers)
            layer = self.values.setdefault((type(layer), repr(layer)), layer)
        if memo_key is not None and len(self.memo) < 100_000:
            self.memo[memo_key] = (values, layer)
        defaulted = self.defaulted(layer_type, item)
        self.finish(scope, layer_type, layer, values, tuple(resolved), written, repeat, base, where, train, defaulted)


def _nodes(
    layers: list[Any], defaults: Defaults, check: _Checker, tally: _Tally,
    blocks: dict[str, _Block | None] | None = None, shape: Shape | None = None, scaling: _Scaling | None = None,
    source: _Source | None = None, params: dict[str, Any] | None = None, use: object = None,
) -> tuple[list[Node], list[int], dict[int, Path_]]:  # fmt: skip
    """The nodes of a network's layers, ``repeat`` and blocks expanded, and for each the index of its layer.

    :raises _Stop: when the layers would pass the run's bound (``tally``), before they are built."""
    return _Expander(defaults, blocks or {}, check, tally, shape, scaling, source, params).run(layers, use)
