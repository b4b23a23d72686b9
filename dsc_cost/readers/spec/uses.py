"""One use of a block: its arguments checked, its layers expanded once per copy."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ...errors import Path_, shorten
from ...expr import ExprError, names_in, show
from ...expr import evaluate as expression
from ...formulas import Shape
from ...layers.base import REPEAT, Invalid
from ...variants import scale_channels
from ..bounds import Stop as _Stop
from ..bounds import uses_message as _uses_message
from ..yamltext import _key, describe
from .blocks import _USE_KEYS, MAX_BLOCK_DEPTH, _argument, _argument_kind, _Block, _strings
from .params import explained, is_expression
from .scopes import _Scope
from .templates import _Templates
from .validate import _parse_field, _suggestion


class _Uses(_Templates):
    """The uses of blocks in an expansion."""

    def use(
        self,
        scope: _Scope,
        item: dict[Any, Any],
        base: Path_,
        where: Any,
        block: _Block | None,
        written: str | None,
        fixed: bool = False,
        train: bool = False,
    ) -> None:
        """One use of a block: its arguments checked, its layers expanded once per copy."""
        check = self.check
        self.uses += 1
        if block is None:  # wrong where it is defined: said there
            if written is not None:
                scope.known[written] = written
            return
        names = scope.names if scope.names is not None else self.params
        bad = False
        arguments: dict[str, Any] = {}
        shape: Shape | None = None
        source = scope.previous
        if "from" in item:
            ref = item["from"]
            target, wrong = self.resolve(scope, ref) if isinstance(ref, str) else (None, None)
            if not target:
                check.add(
                    (*base, "from"),
                    where,
                    "from",
                    wrong or f"unknown layer {describe(ref)}: expected 'input' or the name of an earlier layer",
                )
                bad = True
            else:
                source = target
        needs_in = block.uses_in or (
            scope.names is None
            and any(
                "in" in names_in(s) or "in_h" in names_in(s) or "in_w" in names_in(s)
                for k, raw in item.items()
                if k not in _USE_KEYS
                for s in _strings(raw)
            )
        )
        if needs_in and not bad:
            shape = self.shapes.of(source)
            if shape is None:
                if self.shapes.failed:
                    check.add(base, where, "", f"the input of this block is unknown: {shorten(self.shapes.failed)}")
                bad = True  # else the network's input is wrong: said already
        outer = dict(names)  # in a block, its arguments read its names (in: the enclosing block's input)
        if shape is not None and scope.names is None:
            outer.update({"in": shape.channels, "in_h": shape.height, "in_w": shape.width})
        for key, raw in item.items():
            if key in _USE_KEYS and not (key in ("width", "train_only") and key in block.params):
                continue
            if not isinstance(key, str) or key not in block.params:
                choices = list(block.params)
                takes = ", ".join(choices) if choices else "no arguments"
                check.add(
                    (*base, key),
                    where,
                    _key(key),
                    f"unknown argument: block {block.name} takes {takes}{_suggestion(key, choices)}",
                    at_key=True,
                )
                bad = True
                continue
            default = block.params[key]
            value = raw
            try:
                if isinstance(raw, str) and not isinstance(default, str):
                    value = expression(raw, outer)
                elif isinstance(raw, str) and scope.names is not None and isinstance(scope.names.get(raw), str):
                    value = scope.names[raw]  # a word parameter passed on
                arguments[key] = _argument(default, value)
            except ExprError as error:
                check.add((*base, key), where, key, f"{explained(error, outer)} (in {shorten(repr(raw))})")
                bad = True
            except Invalid:
                shown = describe(value) if not isinstance(value, Fraction) else show(value)
                check.add(
                    (*base, key),
                    where,
                    key,
                    f"expected {_argument_kind(default)} (block {block.name}'s {key}), found {shown}",
                )
                bad = True
        missing = [p for p, d in block.params.items() if d is None and p not in item]
        if missing:
            check.add(
                base, where, ", ".join(missing), f"missing argument: block {block.name} needs {', '.join(missing)}"
            )
            bad = True
        repeat: Any = item.get("repeat", 1)
        if isinstance(repeat, str) and (scope.names is not None or is_expression(repeat, outer)):
            try:
                repeat = expression(repeat, outer)
            except ExprError as error:
                said = f"{explained(error, outer)} (in {shorten(repr(item['repeat']))})"
                check.add((*base, "repeat"), where, "repeat", said)
                bad, repeat = True, 1
        parsed, message = _parse_field(REPEAT, repeat)
        if message is not None:
            check.add((*base, "repeat"), where, "repeat", message)
            bad, parsed = True, 1
        if self.unique(scope, written, parsed, base, where):
            bad = True
        if scope.depth >= MAX_BLOCK_DEPTH:
            check.add(base, where, "type", f"blocks nested deeper than {MAX_BLOCK_DEPTH} levels")
            bad = True
        self.bound(scope, parsed, base, item, where)
        tally = self.tally
        if tally.uses + parsed > tally.bound:  # uses that make no layer are work too
            path: Path_ = (*base, "repeat") if "repeat" in item else base
            check.add(path, where, "repeat" if "repeat" in item else "type", _uses_message(tally.bound))
            raise _Stop
        if bad:
            if written is not None:
                scope.known[written] = written
            return
        local_name = written if written is not None else self.default_name(scope, block.name)
        values = {p: d for p, d in block.params.items() if d is not None}
        values.update(arguments)
        raw_values = values
        fixed = fixed or scope.fixed
        if self.scaling is not None and block.channels and not fixed:
            values = dict(values)
            for param in block.channels:
                value = values.get(param)
                raw = item.get(param)
                if not isinstance(value, int) or isinstance(value, bool):
                    continue
                if isinstance(raw, str) and names_in(raw) & ({"in"} | scope.channels):
                    continue  # it follows the scaled input already
                values[param] = scale_channels(value, self.scaling.width, self.scaling.divisor)
        layers = block.layers
        for copy in range(1, parsed + 1):
            tally.uses += 1
            prefix = f"{scope.prefix}{local_name}.{copy}." if parsed > 1 else f"{scope.prefix}{local_name}."
            inner_names = {**self.params, **values}  # a block's parameter hides the network's of its name
            inner_names["copy"] = copy
            if block.uses_in:
                if copy > 1:
                    shape = self.shapes.of(source)
                if shape is None:
                    if self.shapes.failed:
                        check.add(base, where, "", f"the input of this block is unknown: {shorten(self.shapes.failed)}")
                    return
                inner_names.update({"in": shape.channels, "in_h": shape.height, "in_w": shape.width})
            key = self.template_key(block, inner_names, raw_values, shape, source, train, fixed, scope.depth)
            template = self.templates.get(key) if key is not None else None
            made = self.replay(template, scope.site, prefix, source) if template is not None else None
            if made is not None:
                source = made
                if parsed > 1:
                    scope.known[f"{local_name}.{copy}"] = source
                continue
            inner = _Scope(scope.site, prefix, inner_names, source, block.name, scope.depth + 1, block.explicit)
            inner.train = train
            if self.scaling is not None:
                inner.channels, inner.fixed = block.channels, fixed
                inner.raw = {**inner_names, **raw_values}
            checking = check if block.origin is None else self.origins_checked[block.origin][1]
            before, first, uses = len(checking.problems), len(self.nodes), self.uses
            self.check = checking  # a block of another file: its problems are located there
            try:
                for index, layer in enumerate(layers):
                    self.layer(inner, layer, ("blocks", block.name, "layers", index), None)
            finally:
                self.check = check
            if len(checking.problems) > before:
                if checking is not check:
                    check.add(base, where, "type", f"block {block.name} of {shorten(repr(block.origin))} is wrong here")
                return
            if key is not None and (uses == self.uses or shape is not None):  # what it made follows from the key
                self.record(key, block, first, prefix, source, inner.previous)
            source = inner.previous
            if parsed > 1:
                scope.known[f"{local_name}.{copy}"] = source
        scope.known[local_name] = source
        scope.previous = source
