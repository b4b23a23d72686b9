"""The state of an expansion and the steps every layer takes: names, references, copies, bounds."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ...errors import Path_, SpecError, shorten
from ...expr import ExprError, names_in, show
from ...expr import evaluate as expression
from ...formulas import Shape
from ...layers import LayerType
from ...layers.base import new as _new
from ...layers.split import SplitLayer
from ...network import Node
from ...variants import scale_channels
from ..bounds import NAME_CHARACTERS
from ..bounds import Stop as _Stop
from ..bounds import Tally as _Tally
from ..bounds import bound_message as _bound_message
from ..bounds import names_message as _names_message
from ..includes import local_includes
from ..yamltext import _key, describe
from .blocks import _PLAIN, _Block, _strings
from .model import _Scaling, _Source
from .params import explained, is_expression
from .scopes import _InnerWhere, _parts_message, _Scope, _Shapes, _Template
from .validate import Defaults, _Checker, _Default, _type_list


class _ExpanderCore:
    """What an expansion holds (the nodes made, their names, the memos) and the steps every layer takes: its
    name, the layers it reads, its copies and the run's bound. :class:`~.expand._Expander` is the whole of it:
    blocks' uses (:mod:`.uses`, :mod:`.templates`) and includes (:mod:`.inclusion`) are its other parts."""

    def __init__(
        self,
        defaults: Defaults,
        blocks: dict[str, _Block | None],
        check: _Checker,
        tally: _Tally,
        shape: Shape | None,
        scaling: _Scaling | None = None,
        source: _Source | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.defaults, self.blocks, self.check, self.tally = defaults, blocks, check, tally
        self.scaling = scaling
        self.params: dict[str, Any] = params or {}  # the network's parameters: names of every expression
        self.source = source or _Source()
        self.file = self.source.file
        self.includes = self.source.includes or local_includes(self.file)
        self.chain: list[tuple[str, str]] = [(self.includes.identity(self.file), self.file)]  # the files including
        self.read: dict[str, tuple[str, dict[Any, Any]] | SpecError | str] = {}  # each included file, read once
        self.raw_out: dict[int, int] = {}  # a layer value whose out a width scaled (by its id) → its out before
        self.train_names: set[str] = set()  # the nodes that run in training only
        self.nodes: list[Node] = []
        self.origins: list[int] = []
        self.inner: dict[int, Path_] = {}  # a node made by a block → the path of its layer there
        self.names: set[str] = {"input"}  # every node's name, and every split's parts
        self.splits: dict[str, int] = {}  # a split's node name → its number of parts
        self.typed_defaults: dict[str, list[_Default]] = {}
        self.shapes = _Shapes(shape, self.nodes)
        self.memo: dict[Any, tuple[dict[str, Any], Any]] = {}  # a block layer's values and layer, by its arguments
        self.values: dict[tuple[type, str], Any] = {}  # each layer value made, once
        self.templates: dict[Any, _Template] = {}  # one use of a block, by what decides what it makes
        self.uses = 0  # block uses begun: whether a block's layers used a block
        self.argued: list[bool] = []  # for each include being made: whether its file's params were read
        self.origins_checked: dict[str, tuple[str, _Checker]] = {}  # a file used for its blocks: text, problems
        self.types = f"{_type_list()}, or a block: {', '.join(blocks)}" if blocks else _type_list()

    def imported(self, value: object, check: _Checker) -> dict[str, _Block | None]:
        """The blocks of the files a ``use:`` names (:meth:`~.shared._Shared.imported`)."""
        raise NotImplementedError

    def read_include(self, path: str, real: str) -> tuple[str, dict[Any, Any]] | SpecError | str:
        """A file read for an include or a use (:meth:`~.inclusion._Inclusion.read_include`)."""
        raise NotImplementedError

    def defaulted(self, layer_type: LayerType, item: dict[Any, Any]) -> tuple[str, ...]:
        """The fields of a layer of ``item`` taken from ``defaults:`` (those it does not write)."""
        return tuple(key for key, *_ in self.typed_defaults.get(layer_type.name, ()) if key not in item)

    def layer(self, scope: _Scope, item: Any, base: Path_, where: Any) -> None:
        """The nodes of one layer of ``scope`` (:meth:`~.expand._Expander.layer`)."""
        raise NotImplementedError

    def train_only(self, item: dict[Any, Any], base: Path_, where: Any) -> bool:
        """Whether a layer runs in training only (``train_only: true``; any value but true or false is wrong)."""
        value = item["train_only"]
        if isinstance(value, bool):
            return value
        self.check.add((*base, "train_only"), where, "train_only", f"expected true or false, found {describe(value)}")
        return False

    def fixed(self, item: dict[Any, Any], base: Path_, where: Any) -> bool:
        """Whether a layer keeps its width (``width: fixed``; any other value is said to be wrong)."""
        if "width" not in item:
            return False
        if item["width"] == "fixed":
            return True
        found = describe(item["width"])
        message = f"expected fixed (the layer keeps its channels under a width multiplier), found {found}"
        self.check.add((*base, "width"), where, "width", message)
        return False

    def scaled_out(self, scope: _Scope, raw: object, value: object, fixed: bool) -> tuple[object, int | None]:
        """A block layer's ``out`` under the width multiplier, and its value before when it was scaled: a
        number written, or an expression of neither ``in`` nor a channel parameter, is scaled; one that
        reads them follows the scaled input already; under ``width: fixed`` the parameters are read unscaled."""
        scaling = self.scaling
        if scaling is None or not isinstance(value, int) or isinstance(value, bool):
            return value, None
        if fixed or scope.fixed:
            if isinstance(raw, str) and scope.raw is not None:
                try:
                    return self.value(raw, scope.raw), None
                except ExprError:
                    return value, None
            return value, None
        if isinstance(raw, str) and names_in(raw) & ({"in"} | scope.channels):
            return value, None
        return scale_channels(value, scaling.width, scaling.divisor), value

    def default_name(self, scope: _Scope, kind: str) -> str:
        while True:
            scope.counters[kind] = scope.counters.get(kind, 0) + 1
            candidate = f"{kind}{scope.counters[kind]}"
            if candidate not in scope.explicit and candidate not in scope.known:
                return candidate

    def substitute(
        self, scope: _Scope, item: dict[Any, Any], base: Path_, where: Any, words: Any
    ) -> dict[Any, Any] | None:
        """``item`` with the expressions of its fields evaluated (a field that takes the string as it is
        keeps it: ``padding: same``); ``None`` when one is wrong."""
        top = scope.names is None  # a string that is no expression is left to its field to refuse
        names = self.params if top else scope.names or {}
        result: dict[Any, Any] = {}
        bad = False
        for key, raw in item.items():
            if key in _PLAIN or not isinstance(raw, str | list):
                result[key] = raw
                continue
            if not any(True for _ in _strings(raw)) or words(key, raw):
                result[key] = raw
                continue
            if top and not any(is_expression(text, names) for text in _strings(raw)):
                result[key] = raw
                continue
            try:
                result[key] = self.value(raw, names)
            except ExprError as error:
                text = next(_strings(raw))
                message = f"{explained(error, names)} (in {shorten(repr(text))})"
                self.check.add((*base, key), where, _key(key), message)
                bad = True
        return None if bad else result

    def value(self, raw: object, names: dict[str, Any]) -> Any:
        if isinstance(raw, str):
            value = expression(raw, names)
            if isinstance(value, Fraction):
                raise ExprError(f"expected a whole number, found {show(value)}")
            return value
        if isinstance(raw, list):
            return [self.value(item, names) for item in raw]
        return raw

    def condition(self, scope: _Scope, item: dict[Any, Any], base: Path_, where: Any) -> bool | None:
        """Whether a layer with ``if:`` is kept (``None``: the condition is wrong, and said so)."""
        raw = item["if"]
        names = self.params if scope.names is None else scope.names
        try:
            value = raw if isinstance(raw, bool) else expression(raw, names) if isinstance(raw, str) else None
        except ExprError as error:
            self.check.add((*base, "if"), where, "if", f"{explained(error, names)} (in {shorten(repr(raw))})")
            return None
        if not isinstance(value, bool):
            self.check.add((*base, "if"), where, "if", f"expected true or false, found {describe(value)}")
            return None
        return value

    def where(self, scope: _Scope, item: dict[Any, Any], index: object) -> Any:
        return _InnerWhere(scope.site, scope.prefix, item, index)

    def make(
        self,
        scope: _Scope,
        item: dict[Any, Any],
        layer_type: LayerType,
        values: dict[str, Any],
        layer: Any,
        written: str | None,
        base: Path_,
        where: Any,
        train: bool = False,
    ) -> None:
        """A block's layer whose values are known from an earlier use with the same arguments."""
        resolved = self.references(scope, values, layer_type.multi_input, base, where)
        repeat = values.get("repeat", 1)
        bad = self.unique(scope, written, repeat, base, where) or resolved is None
        self.bound(scope, repeat, base, item, where)
        if bad or resolved is None:
            if written is not None:
                scope.known[written] = written
            return
        defaulted = self.defaulted(layer_type, item)
        self.finish(scope, layer_type, layer, values, tuple(resolved), written, repeat, base, where, train, defaulted)

    def finish(
        self,
        scope: _Scope,
        layer_type: LayerType,
        layer: Any,
        values: dict[str, Any],
        inputs: tuple[str, ...],
        written: str | None,
        repeat: int,
        base: Path_,
        where: Any,
        train: bool = False,
        defaulted: tuple[str, ...] = (),
    ) -> None:
        """The nodes of one layer, its copies chained (``defaulted``: the fields it took from ``defaults:``)."""
        check, kind = self.check, layer_type.name
        if (
            not inputs
            and not layer_type.multi_input
            and scope.previous != (self.nodes[-1].name if self.nodes else "input")
        ):
            inputs = (scope.previous,)
        if self.train_names and not train and self.reads_train_only(layer_type, values, inputs, base, where):
            if written is not None:  # wrong, and said: the layers that read it are not said wrong again
                scope.known[written] = written
            scope.previous = written or ""  # the next layer reads it, not the train-only layer again
            return
        nodes, origins, names, known, prefix = self.nodes, self.origins, self.names, scope.known, scope.prefix
        tally = self.tally
        limit = tally.bound * NAME_CHARACTERS
        for copy in range(1, repeat + 1):
            if copy > 1 and not layer_type.multi_input:
                inputs = ()  # the copies of a repeated layer form a chain: each reads the one before
            if written is None:
                local = self.default_name(scope, kind)
            else:
                local = f"{written}.{copy}" if repeat > 1 else written
            node_name = prefix + local
            tally.characters += len(node_name)
            if tally.characters > limit:
                path: Path_ = (*base, "name") if written is not None else base
                check.add(path, where, "name" if written is not None else "", _names_message(tally.bound))
                raise _Stop
            if node_name in names:
                owner = node_name.rpartition(".")[0]
                again = f", a part of split {shorten(repr(owner))}" if owner in self.splits else " again"
                check.add(base, where, "name", f"expected a unique name, found {shorten(repr(node_name))}{again}")
                return
            if isinstance(layer, SplitLayer) and not self.split(node_name, layer.part_count, base, where):
                return
            nodes.append(_new(Node, (node_name, kind, layer, inputs, train, defaulted)))
            if train:
                self.train_names.add(node_name)
            origins.append(scope.site)
            if scope.names is not None:
                self.inner[len(nodes) - 1] = base
            known[local] = node_name
            names.add(node_name)
        if written is not None:
            known[written] = nodes[-1].name
        scope.previous = nodes[-1].name
        if isinstance(layer, SplitLayer):  # the next layer reads part 0
            scope.previous += ".0"

    def split(self, node_name: str, count: int, base: Path_, where: Any) -> bool:
        """Whether the parts of a split, ``NAME.0``, ``NAME.1``, …, are names of their own (and said so
        when one is taken); they are taken from here on."""
        parts = [f"{node_name}.{index}" for index in range(count)]
        taken = next((part for part in parts if part in self.names), None)
        if taken is not None:
            message = f"expected a unique name, but part {shorten(repr(taken))} of this split is an earlier layer's"
            self.check.add((*base, "name"), where, "name", message)
            return False
        self.names.update(parts)
        self.splits[node_name] = count
        return True

    def resolve(self, scope: _Scope, ref: str) -> tuple[str | None, str | None]:
        """(the node that ``ref`` names in ``scope``, or ``None``; what is wrong with it, or ``None``): a
        layer's written name, a full name from outside a block, or a part of a split (``NAME.0``); the
        node is ``""`` for a layer left out by its ``if:``, and ``ref`` itself for a layer that is wrong
        (said already)."""
        target = scope.known.get(ref)
        if target is None and scope.names is None and scope.prefix + ref in self.names:
            target = scope.prefix + ref  # a layer made by a block, by its full name
        if target is None and "." in ref:
            owner_name, _, part = ref.rpartition(".")
            owner = scope.known.get(owner_name)
            if owner is None and scope.names is None and scope.prefix + owner_name in self.names:
                owner = scope.prefix + owner_name
            count = self.splits.get(owner) if owner else None
            if count is not None:
                if not (part.isascii() and part.isdigit() and len(part) <= 5 and str(int(part)) == part):
                    return None, _parts_message(owner_name, count, ref)
                if int(part) >= count:
                    return None, _parts_message(owner_name, count, ref)
                return f"{owner}.{part}", None
            if owner == "" or (owner is not None and owner not in self.names):
                return owner, None  # left out, or a split that is wrong: said there
        if target and target in self.splits:
            return None, _parts_message(ref, self.splits[target], ref)
        return target, None

    def reads_train_only(
        self, layer_type: LayerType, values: dict[str, Any], inputs: tuple[str, ...], base: Path_, where: Any
    ) -> bool:
        """Whether a layer that runs at inference reads a train-only layer's output (and said so)."""
        read = inputs or ((self.nodes[-1].name if self.nodes else "input"),)
        bad = next((name for name in read if name in self.train_names), None)
        if bad is None:
            return False
        field_ = "inputs" if layer_type.multi_input else "from"
        message = f"reads the train-only layer {shorten(repr(bad))}: expected a layer that runs at inference"
        if field_ in values:
            self.check.add((*base, field_), where, field_, message)
        else:
            self.check.add(base, where, field_, f"{message} (it comes just before: from: names the layer to read)")
        return True

    def references(
        self, scope: _Scope, values: dict[str, Any] | None, multi: bool, base: Path_, where: Any
    ) -> list[str] | None:
        refs = [] if values is None else values.get("inputs") or ([values["from"]] if "from" in values else [])
        resolved: list[str] = []
        ok = True
        for position, ref in enumerate(refs):
            target, wrong = self.resolve(scope, ref)
            if not target:
                field_ = "inputs" if multi else "from"
                ref_path: Path_ = (*base, "inputs", position) if multi else (*base, "from")
                if wrong is not None:
                    message = wrong
                elif target == "":
                    message = (
                        f"layer {shorten(repr(ref))} is left out (its if: is false here): expected a layer that is kept"
                    )
                else:
                    message = f"unknown layer {shorten(repr(ref))}: expected 'input' or the name of an earlier layer"
                self.check.add(ref_path, where, field_, message)
                ok = False
            else:
                resolved.append(target)
        return resolved if ok else None

    def unique(self, scope: _Scope, written: str | None, repeat: int, base: Path_, where: Any) -> bool:
        """Whether the name of a layer is taken (and said so)."""
        known = scope.known
        if written is not None and known.get(written, None) not in (None, ""):
            found = shorten(repr(written))
            self.check.add((*base, "name"), where, "name", f"expected a unique name, found {found} again")
            return True
        if written is not None and repeat > 1:
            copies = range(1, min(repeat, self.tally.bound + 1) + 1)  # more pass the bound: said next
            taken = next((f"{written}.{c}" for c in copies if f"{written}.{c}" in known), None)
            if taken is not None:
                message = f"expected a unique name, but a copy of this layer would be named {shorten(repr(taken))}"
                self.check.add((*base, "name"), where, "name", message + ", as an earlier layer is")
                return True
        return False

    def bound(self, scope: _Scope, repeat: int, base: Path_, item: dict[Any, Any], where: Any) -> None:
        """:raises _Stop: when ``repeat`` more layers pass the run's bound (said at the call site)."""
        tally = self.tally
        if tally.used + len(self.nodes) + repeat > tally.bound:
            path: Path_ = (*base, "repeat") if "repeat" in item else base
            self.check.add(path, where, "repeat" if "repeat" in item else "", _bound_message(tally.bound))
            raise _Stop
