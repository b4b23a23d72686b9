"""Network specs: YAML or JSON text in, validated :class:`~dsc_cost.network.Network` values out.

Validation is strict and complete: every value is type-checked before it is used, and
every problem of a file is collected and reported at once, each with ``file:line:column``,
the layer (index and name), the field, what was expected and what was found (and the
closest word, for a misspelt one). The layer types and their fields are those of the
registry, :data:`dsc_cost.layers.REGISTRY`. Positions cost nothing on valid input: the fast path
parses to plain data (PyYAML, with libyaml's C parser where it is present; the ``json``
module for ``.json``), and only when a problem is found is the text composed again, once per
file and with libyaml's marks, by a :class:`Positions` that the specs of the file share.

Hostile input is refused with the same kind of message: YAML is loaded safely (no
tags that construct objects), aliases are shared, never copied, nesting deeper than
:data:`MAX_DEPTH` is refused before the C parser sees it, a key given twice in a mapping is
an error, and names may not hold control characters (a name is data: it never reaches a
terminal or a CI log as a command). The work of a run is bounded before it is done
(:class:`Bounds`): no more than ``max_file_size`` bytes of a file are read, and the layers
that the documents list are counted as each is read, so that the one that passes
``max_layers`` is refused before any is validated or built. What was found is always shown
escaped, and cut to 80 characters.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from .errors import BoundError, Collector, Path_, shorten
from .errors import Located as Located  # re-exported: their home is dsc_cost.errors
from .errors import Problem as Problem
from .errors import SpecError as SpecError
from .expr import ExprError, names_in, show
from .expr import evaluate as expression
from .files import read_at_most
from .formulas import Shape, ShapeError
from .includes import MAX_INCLUDES, Includes, Refused, local_includes
from .layers import REGISTRY, Field, LayerType
from .layers.base import NAME, REPEAT, Invalid, spatial_dims
from .layers.base import new as _new
from .layers.split import SplitLayer
from .network import LayerError, Network, NetworkCost, Node, cost_network, evaluate
from .readers.bounds import DEFAULT_BOUNDS as DEFAULT_BOUNDS  # re-exported: the bounds of a run live there
from .readers.bounds import MAX_FILE_SIZE as MAX_FILE_SIZE
from .readers.bounds import MAX_LAYERS as MAX_LAYERS
from .readers.bounds import MAX_PROBLEMS as MAX_PROBLEMS
from .readers.bounds import NAME_CHARACTERS as NAME_CHARACTERS
from .readers.bounds import PROBLEMS_MESSAGE as _PROBLEMS_MESSAGE
from .readers.bounds import Bounds as Bounds
from .readers.bounds import Stop as _Stop
from .readers.bounds import Tally as _Tally
from .readers.bounds import bound_message as _bound_message
from .readers.bounds import names_message as _names_message
from .readers.bounds import uses_message as _uses_message
from .variants import scale_channels
from .yamltext import MAX_DEPTH as MAX_DEPTH  # re-exported: the spec reader's bounds and helpers live there
from .yamltext import MAX_NAME as MAX_NAME
from .yamltext import Positions as Positions
from .yamltext import _duplicate_problem, _key, _parse, _position, _unquoted, _walk, _Where
from .yamltext import describe as describe
from .yamltext import kind as kind_of


def _suggestion(word: object, choices: Iterable[str]) -> str:
    """``; did you mean 'kernel'?`` when ``word`` is close to one of ``choices``, else nothing."""
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


_TOP_KEYS = ("name", "input", "defaults", "blocks", "budget", "layers")


def _type_list() -> str:
    """The layer types a spec may name, for messages (the registry's: plugins' types too, once loaded)."""
    return ", ".join(REGISTRY)


def _defaultable(key: object) -> tuple[list[Field] | None, dict[str, list[Field]]]:
    """The fields named ``key`` that ``defaults:`` may set (``None``: no type has one; then the plugins' types are
    looked for), and every such field by name."""
    fields = _DEFAULTABLE.get(len(REGISTRY))
    if fields is None or (isinstance(key, str) and key not in fields and _plugins_added()):
        fields = {}
        for layer_type in REGISTRY.values():
            for field in layer_type.fields:
                if field.defaultable:
                    fields.setdefault(field.name, []).append(field)
        _DEFAULTABLE.clear()
        _DEFAULTABLE[len(REGISTRY)] = fields
    return (fields.get(key) if isinstance(key, str) else None), fields


_DEFAULTABLE: dict[int, dict[str, list[Field]]] = {}
"""The defaultable fields by name, known by the size of the registry they were gathered from."""


def _plugins_added() -> bool:
    """Load the layer plugins (once): whether the registry grew."""
    from .layers import load_plugins

    before = len(REGISTRY)
    load_plugins()
    return len(REGISTRY) != before


def _parse_field(field: Field, raw: object) -> tuple[Any, str | None]:
    """(the value, ``None``) or (``None``, the message of what is wrong with ``raw``)."""
    try:
        return field.parse(raw), None
    except Invalid as invalid:
        found = raw if invalid.expected is None else invalid.found
        return None, f"expected {invalid.expected or field.expected}, found {describe(found)}"


# ---------------------------------------------------------------- validation


class _Checker:
    """The problems of one document, counted in the run's ``tally``: the one past :data:`MAX_PROBLEMS` is
    replaced by a line that says so, and ends the work (:class:`_Stop`)."""

    def __init__(self, document: int, tally: _Tally | None = None) -> None:
        self.document = document
        self.problems: list[Problem] = []
        self.said: set[tuple[Path_, str, str]] = set()
        self.located: list[Located] = []  # problems of the files it includes, located in them
        self.tally = tally

    def add(self, path: Path_, where: object, field_: str, message: str, at_key: bool = False) -> None:
        if path and path[0] == "blocks":  # a block's problem: said once, at its first use
            said = (path, field_, message)
            if said in self.said:
                return
            self.said.add(said)
        tally = self.tally
        if tally is not None:
            tally.problems += 1
            if tally.problems > MAX_PROBLEMS:
                self.problems.append(Problem(self.document, path, str(where), field_, _PROBLEMS_MESSAGE, at_key))
                raise _Stop
        self.problems.append(Problem(self.document, path, str(where), field_, message, at_key))


class Spec(NamedTuple):
    """One network of a spec file, with what the file says beside it (its ``budget:``).

    ``text`` and ``origins`` (for each node, the index of the spec layer it was listed
    from) let a shape problem found while costing be located in the file; ``positions``
    locates it without reading the text more than once."""

    network: Network
    budget: dict[str, Any] | None
    file: str
    document: int
    text: str = ""
    origins: tuple[int, ...] = ()
    positions: Positions | None = None  # shared by the specs of one text: found once, when asked
    inner: dict[int, Path_] | None = None
    """For each node made by a block, the path of its layer in the block (where a shape problem is located)."""
    source: Any = None
    """The document it was read from (plain data), to build it again under a width multiplier
    (:func:`scaled_network`)."""

    def __repr__(self) -> str:
        return f"Spec(network={self.network.name!r}, file={self.file!r}, document={self.document})"


_INPUT_KEYS = {
    2: ("channels", "length"),
    3: ("channels", "height", "width"),
    4: ("channels", "depth", "height", "width"),
}
"""The keys of an input of 1, 2 and 3 spatial dimensions, by their number of values."""


def _input_shape(value: object, check: _Checker) -> Shape | None:
    expected = (
        "[channels, height, width] or {channels, height, width} of positive integers "
        "(1-D: [channels, length], 3-D: [channels, depth, height, width])"
    )
    keys = _INPUT_KEYS[3]
    if isinstance(value, list) and len(value) in _INPUT_KEYS:
        keys = _INPUT_KEYS[len(value)]
        items: dict[Any, Any] = dict(zip(keys, value, strict=True))
        paths: dict[str, Path_] = {k: ("input", i) for i, k in enumerate(keys)}
    elif isinstance(value, dict):
        keys = _INPUT_KEYS[2] if "length" in value else _INPUT_KEYS[4] if "depth" in value else keys
        items, paths = value, {k: ("input", k) for k in keys}
    else:
        check.add(("input",), "", "input", f"expected {expected}, found {describe(value)}")
        return None
    ok = True
    for key in items:
        if key not in keys:
            check.add(("input", key), "", f"input.{_key(key)}", f"unknown key: expected {expected}", at_key=True)
            ok = False
    for key in keys:
        if key not in items:
            check.add(("input",), "", "input", f"missing {key}: expected {expected}")
            ok = False
        elif not (isinstance(items[key], int) and not isinstance(items[key], bool) and items[key] >= 1):
            check.add(paths[key], "", f"input.{key}", f"expected a positive integer, found {describe(items[key])}")
            ok = False
    return Shape.of(items["channels"], tuple(items[k] for k in keys[1:])) if ok else None


def _defaults(value: object, check: _Checker) -> dict[str, tuple[Any, Path_]]:
    """The raw value and path of each default that some layer type takes."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        check.add(("defaults",), "", "defaults", f"expected a mapping of layer fields, found {describe(value)}")
        return {}
    merged: dict[str, tuple[Any, Path_]] = {}
    for key, raw in value.items():
        fields, known = _defaultable(key)
        if not fields:
            check.add(
                ("defaults", key), "", f"defaults.{_key(key)}",
                f"unknown layer field: expected one of {', '.join(sorted(known))}" + _suggestion(key, known),
                at_key=True,
            )  # fmt: skip
            continue
        messages = [_parse_field(field, raw)[1] for field in fields]
        if all(messages):  # no type takes it: say what the widest of them takes
            check.add(("defaults", key), "", f"defaults.{key}", max(messages, key=lambda m: len(m or "")) or "")
            continue
        merged[key] = (raw, ("defaults", key))
    return merged


def _network(
    doc: object,
    document: int,
    default_name: str,
    check: _Checker,
    tally: _Tally,
    scaling: _Scaling | None = None,
    source: _Source | None = None,
) -> tuple[Network, Any, tuple[int, ...], dict[int, Path_]] | None:
    """The network of one document, its budget, and for each node the index of the spec layer it came from."""
    if not isinstance(doc, dict):  # what the file holds is not shown: it may be anything (a key, a password)
        check.add((), "", "", f"expected a mapping with name, input and layers, found {kind_of(doc)}")
        return None
    for key in doc:
        if key not in _TOP_KEYS:
            check.add(
                (key,), "", _key(key),
                f"unknown key: expected one of {', '.join(_TOP_KEYS)}{_suggestion(key, _TOP_KEYS)}", at_key=True,
            )  # fmt: skip
    name: object = default_name
    if "name" in doc:
        name, message = _parse_field(NAME, doc["name"])
        if message is not None:
            check.add(("name",), "", "name", message)
    budget = doc.get("budget")
    if budget is not None and not isinstance(budget, dict):
        check.add(("budget",), "", "budget", f"expected a mapping of limits, found {describe(budget)}")
    if "input" not in doc:
        check.add((), "", "input", "missing: expected [channels, height, width]")
        shape = None
    else:
        shape = _input_shape(doc["input"], check)
    spatial_dims(shape.dims if shape is not None else 2)  # how many values size fields take
    defaults = _defaults(doc.get("defaults"), check)
    layers = doc.get("layers")
    if not isinstance(layers, list) or not layers:
        found = "nothing" if layers is None else describe(layers)
        check.add(
            ("layers",) if "layers" in doc else (), "", "layers", f"expected a non-empty list of layers, found {found}"
        )
        return None
    before = len(check.problems) + len(check.located)
    blocks = _blocks(doc.get("blocks"), check)
    nodes, origins, inner = _nodes(layers, defaults, check, tally, blocks, shape, scaling, source)
    tally.used += len(nodes)
    if shape is None or len(check.problems) + len(check.located) > before or not isinstance(name, str):
        return None
    return Network(name, shape, tuple(nodes)), budget, tuple(origins), inner


_Default = tuple[str, Any, "str | None", Path_]
"""A default that a layer type takes: its key, its value for that type, what is wrong with it, its path."""


def _type_defaults(layer_type: LayerType, defaults: dict[str, tuple[Any, Path_]]) -> list[_Default]:
    """The defaults that reach layers of ``layer_type`` (the keys its type has), parsed for it."""
    typed = []
    for key, (raw, path) in defaults.items():
        field = layer_type.by_name.get(key)
        if field is not None and field.defaultable:
            value, message = _parse_field(field, raw)
            if message is not None:  # a value that only other types take
                takers = [t.name for t in REGISTRY.values() if _parse_field(t.by_name.get(key, field), raw)[1] is None]
                message = f"{key} {describe(raw)} fits {', '.join(takers)} layers only: expected {field.expected}"
            typed.append((key, value, message, path))
    return typed


def _layer_values(
    base: Path_, where: str | _Where, item: dict[Any, Any], layer_type: LayerType, defaults: list[_Default],
    check: _Checker, skip: frozenset[str] = frozenset(("type",)),
) -> dict[str, Any] | None:  # fmt: skip
    """The parsed values of one layer mapping (its defaults merged), or ``None`` when any is wrong;
    ``base`` is the path of the mapping (its fields' paths go on from it)."""
    kind = layer_type.name
    fields = layer_type.by_name
    values: dict[str, Any] = {}
    bad = False
    for key, raw in item.items():
        if key in skip:
            continue
        field = fields.get(key) if isinstance(key, str) else None
        if key == "name" and isinstance(raw, str) and len(raw) > MAX_NAME:  # refused before it is scanned
            too_long = f"expected a name of at most {MAX_NAME:,} characters, found one of {len(raw):,}"
            check.add((*base, key), f"layers[{base[-1]}]" if isinstance(where, _Where) else where, key, too_long)
            bad = True
            continue
        if field is None:
            allowed = sorted(layer_type.allowed)
            hint = f"{kind} layers take {', '.join(allowed)}{_suggestion(key, allowed)}"
            check.add((*base, key), where, _key(key), f"unknown field: {hint}", at_key=True)
            bad = True
            continue
        try:
            values[key] = field.parse(raw)
        except Invalid:
            check.add((*base, key), where, key, _parse_field(field, raw)[1] or "")
            bad = True
    for key, value, message, path in defaults:
        if key not in item:
            if message is not None:
                check.add(path, where, key, message)
                bad = True
            values[key] = value
    for key in layer_type.required:
        if key not in item and key not in values:
            message = f"missing: {kind} layers need {', '.join(layer_type.required)}"
            check.add(base, where, key, message)
            bad = True
    if layer_type.check is not None and not bad:
        problem = layer_type.check(values)
        if problem is not None:
            check.add(base, where, *problem)
            bad = True
    return None if bad else values


# ---------------------------------------------------------------- blocks

_SKIP = frozenset(("type", "if", "width", "train_only"))
"""The keys of a layer that the expansion reads, not its type."""

_BLOCK_KEYS = ("params", "layers")
_BLOCK_NAMES = frozenset(("in", "in_h", "in_w", "copy", "min", "max", "divisible", "input"))
"""Names a block's parameter may not take: those expressions give a meaning of their own."""
_USE_KEYS = ("name", "type", "repeat", "from", "if", "width", "train_only")
"""The keys of a block use besides its arguments (``width`` and ``train_only`` are arguments of a block
that has parameters of those names)."""
MAX_BLOCK_DEPTH = 20
"""The deepest nesting of blocks in blocks."""


class _Source(NamedTuple):
    """The file a spec is read from, the largest file read, and where its includes are found and read
    (``None``: beside it, confined as :func:`~dsc_cost.includes.local_includes` says)."""

    file: str = "<spec>"
    max_file_size: int = MAX_FILE_SIZE
    includes: Includes | None = None


_INCLUDE_KEYS = ("include", "name", "from", "train_only", "width")
"""The keys of a layer that includes a file."""


class _Scaling(NamedTuple):
    """A width multiplier and the divisor its channels are rounded to (:func:`~dsc_cost.variants.scale_channels`)."""

    width: Fraction
    divisor: int | None


class _Block(NamedTuple):
    """A block of a spec: its name, its parameters (each with its default; ``None``: required), its layers,
    and whether it reads its input's shape (``in``, ``in_h``, ``in_w``)."""

    name: str
    params: dict[str, Any]
    layers: list[Any]
    uses_in: bool
    explicit: frozenset[str]
    channels: frozenset[str] = frozenset()
    """The parameters that are channel counts: written alone as a layer's ``out``, or passed alone to
    such a parameter of a block it uses (a width multiplier scales them)."""


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _argument_kind(default: object) -> str:
    if default is None:
        return "a number or true/false"
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, str):
        return "a word"
    return "a number"


def _argument(default: object, value: object) -> Any:
    """``value`` as a block argument of the type of ``default``, or :class:`Invalid`."""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Invalid
        value = Fraction(repr(value))
        value = value.numerator if value.denominator == 1 else value
    if isinstance(default, bool) or (default is None and isinstance(value, bool)):
        if isinstance(value, bool):
            return value
        raise Invalid
    if isinstance(default, str):
        if isinstance(value, str):
            return value
        raise Invalid
    if isinstance(value, int | Fraction) and not isinstance(value, bool):
        return value
    raise Invalid


def _blocks(value: object, check: _Checker) -> dict[str, _Block | None]:
    """The blocks of a spec, each ``None`` when it is wrong (said once, here, at its definition)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        check.add(("blocks",), "", "blocks", f"expected a mapping of block names to blocks, found {describe(value)}")
        return {}
    blocks: dict[str, _Block | None] = {}
    for name, body in value.items():
        where = f"blocks.{_key(name)}"
        path: Path_ = ("blocks", name)
        if not (isinstance(name, str) and name.isprintable() and name.strip() and "." not in name):
            check.add(path, "", where, "expected a block name (printable, without '.')", at_key=True)
            continue
        if name in REGISTRY:
            check.add(path, "", where, f"expected a block name, found the layer type {name!r}", at_key=True)
            blocks[name] = None
            continue
        blocks[name] = None
        if not isinstance(body, dict):
            check.add(path, "", where, f"expected a mapping with params and layers, found {describe(body)}")
            continue
        ok = True
        for key in body:
            if key not in _BLOCK_KEYS:
                hint = f"unknown key: expected params or layers{_suggestion(key, _BLOCK_KEYS)}"
                check.add((*path, key), "", f"{where}.{_key(key)}", hint, at_key=True)
                ok = False
        params = body.get("params", {})
        if params is None:
            params = {}
        if not isinstance(params, dict):
            found = describe(params)
            check.add(
                (*path, "params"), "", f"{where}.params", f"expected a mapping of names to defaults, found {found}"
            )
            ok, params = False, {}
        for key, default in params.items():
            at = (*path, "params", key)
            if not (isinstance(key, str) and key.isidentifier() and not key.startswith("_")) or key in _BLOCK_NAMES:
                reserved = f" ({', '.join(sorted(_BLOCK_NAMES))} are taken)" if key in _BLOCK_NAMES else ""
                check.add(
                    at,
                    "",
                    f"{where}.params",
                    f"expected a parameter name (a word){reserved}, found {describe(key)}",
                    at_key=True,
                )
                ok = False
                continue
            try:
                params[key] = None if default is None else _argument(default, default)
            except Invalid:
                message = (
                    f"expected a default (a number, true/false or a word; null: required), found {describe(default)}"
                )
                check.add(at, "", f"{where}.params.{key}", message)
                ok = False
        layers = body.get("layers")
        if not isinstance(layers, list) or not layers:
            found = "nothing" if layers is None else describe(layers)
            check.add(
                (*path, "layers") if "layers" in body else path,
                "",
                f"{where}.layers",
                f"expected a non-empty list of layers, found {found}",
            )
            continue
        for index, item in enumerate(layers):
            if not isinstance(item, dict):
                check.add(
                    (*path, "layers", index),
                    "",
                    f"{where}.layers[{index}]",
                    f"expected a layer mapping with a type, found {describe(item)}",
                )
                ok = False
        if ok:
            words = {w for item in layers for raw in item.values() for s in _strings(raw) for w in names_in(s)}
            blocks[name] = _Block(name, params, layers, bool(words & {"in", "in_h", "in_w"}), _written(layers))
    _cycles(blocks, check)
    _channel_params(blocks)
    return blocks


def _channel_params(blocks: dict[str, _Block | None]) -> None:
    """Give each block its channel parameters (:attr:`_Block.channels`): those written alone as a layer's
    ``out``, and those passed alone to a channel parameter of a block it uses. Found from each block's own
    layers, then passed up from a block to those that use it, each parameter once along each use: the work
    is the size of the blocks, however long a chain of blocks passes a parameter down."""
    found: dict[str, set[str]] = {name: set() for name, block in blocks.items() if block is not None}
    users: dict[str, list[tuple[str, dict[Any, Any]]]] = {}  # a block → (the block using it, the layer that does)
    work: list[tuple[str, set[str]]] = []  # a block and its channel parameters found since it was last passed on
    for name, block in blocks.items():
        if block is None:
            continue
        own = found[name]
        for item in block.layers:
            kind = item.get("type")
            if isinstance(kind, str) and kind in found:
                users.setdefault(kind, []).append((name, item))
            elif isinstance(item.get("out"), str) and item["out"] in block.params:
                own.add(item["out"])
        if own:
            work.append((name, set(own)))
    while work:
        used, new = work.pop()
        for name, item in users.get(used, ()):
            params = blocks[name].params  # type: ignore[union-attr]  # a user is a block: it is in found
            words = {raw for key in new if isinstance(raw := item.get(key), str) and raw in params} - found[name]
            if words:
                found[name] |= words
                work.append((name, words))
    for name, channels in found.items():
        block = blocks[name]
        if block is not None and channels:
            blocks[name] = block._replace(channels=frozenset(channels))


def _cycles(blocks: dict[str, _Block | None], check: _Checker) -> None:
    """Refuse every block that uses itself, through other blocks or not (each cycle said once)."""
    uses: dict[str, list[tuple[int, str]]] = {}
    for name, block in blocks.items():
        if block is not None:
            uses[name] = [
                (i, t) for i, item in enumerate(block.layers) if isinstance(t := item.get("type"), str) and t in blocks
            ]
    state: dict[str, int] = {}  # 1: being walked, 2: done
    for start in uses:
        if start in state:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        state[start] = 1
        while stack:
            name, at = stack.pop()
            edges = uses.get(name, [])
            if at < len(edges):
                stack.append((name, at + 1))
                index, target = edges[at]
                if state.get(target) == 1:  # a cycle: from target down the stack to name
                    chain = [n for n, _ in stack]
                    cycle = [*chain[chain.index(target) :], target]
                    message = f"a block may not use itself: {' → '.join(cycle)}"
                    path: Path_ = ("blocks", name, "layers", index, "type")
                    check.add(path, "", f"blocks.{name}.layers[{index}]", message)
                    for member in cycle:
                        blocks[member] = None
                elif target not in state and target in uses:
                    state[target] = 1
                    stack.append((target, 0))
            else:
                state[name] = 2


def _written(layers: list[Any]) -> frozenset[str]:
    """The names written in ``layers``."""
    return frozenset(i["name"] for i in layers if isinstance(i, dict) and isinstance(i.get("name"), str))


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


class _Expander:
    """The nodes of a network's layers, ``repeat`` and blocks expanded, and for each the index of the
    layer of ``layers`` it came from."""

    def __init__(
        self,
        defaults: dict[str, tuple[Any, Path_]],
        blocks: dict[str, _Block | None],
        check: _Checker,
        tally: _Tally,
        shape: Shape | None,
        scaling: _Scaling | None = None,
        source: _Source | None = None,
    ) -> None:
        self.defaults, self.blocks, self.check, self.tally = defaults, blocks, check, tally
        self.scaling = scaling
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
        self.types = f"{_type_list()}, or a block: {', '.join(blocks)}" if blocks else _type_list()

    def run(self, layers: list[Any]) -> tuple[list[Node], list[int], dict[int, Path_]]:
        scope = _Scope(0, "", None, "input", "", 0, _written(layers))
        for index, item in enumerate(layers):
            scope.site = index
            self.layer(scope, item, ("layers", index), _Where(index, item) if isinstance(item, dict) else None)
        if self.raw_out:  # the last linear layer's output (the classes) keeps its width
            last = next((i for i in range(len(self.nodes) - 1, -1, -1) if self.nodes[i].type == "linear"), None)
            if last is not None and id(self.nodes[last].layer) in self.raw_out:
                node = self.nodes[last]
                layer = node.layer._replace(out=self.raw_out[id(node.layer)])  # type: ignore[attr-defined]
                self.nodes[last] = node._replace(layer=layer)
        return self.nodes, self.origins, self.inner

    def include(self, scope: _Scope, item: dict[Any, Any], base: Path_, where: Any) -> None:
        """The layers of another spec file, in the scope of this layer's name (by default, the file's name)."""
        check = self.check
        raw = item["include"]
        written = item.get("name")
        if not isinstance(written, str) or len(written) > MAX_NAME or not written.strip() or not written.isprintable():
            written = None
        if scope.names is not None:
            check.add(
                (*base, "include"), where, "include", "expected no include: in a block (a network's layers take one)"
            )
            return
        bad = False
        for key in item:
            if key not in _INCLUDE_KEYS:
                hint = f"a layer that includes a file takes {', '.join(_INCLUDE_KEYS)}{_suggestion(key, _INCLUDE_KEYS)}"
                check.add((*base, key), where, _key(key), f"unknown field: {hint}", at_key=True)
                bad = True
        if not (isinstance(raw, str) and raw.strip() and raw.isprintable()):
            found = describe(raw)
            check.add((*base, "include"), where, "include", f"expected the path of a spec file, found {found}")
            return
        fixed = "width" in item and self.fixed(item, base, where)
        train = ("train_only" in item and self.train_only(item, base, where)) or scope.train
        try:
            path, real = self.includes.find(self.file, raw)  # refused before it is opened
        except Refused as refused:
            check.add((*base, "include"), where, "include", refused.message)
            return
        chain = [shown for known, shown in self.chain]
        if any(known == real for known, _ in self.chain):
            cycle = " → ".join([*chain[[k for k, _ in self.chain].index(real) :], path])
            check.add((*base, "include"), where, "include", f"a file may not include itself: {cycle}")
            return
        if len(self.chain) > MAX_BLOCK_DEPTH:
            check.add((*base, "include"), where, "include", f"includes nested deeper than {MAX_BLOCK_DEPTH} files")
            return
        self.tally.includes += 1
        if self.tally.includes > MAX_INCLUDES:  # a file that includes another twice, and so on: work that doubles
            message = f"more than {MAX_INCLUDES:,} inclusions in all (the bound of one run; each use of a file counts)"
            check.add((*base, "include"), where, "include", message)
            raise _Stop
        if real not in self.read:
            self.read[real] = self.read_include(path, real)
        known = self.read[real]
        if isinstance(known, str):  # said with the path as this include writes it
            check.add((*base, "include"), where, "include", known.replace("\0", shorten(repr(path))))
            return
        if isinstance(known, SpecError):
            check.located += known.problems
            check.add((*base, "include"), where, "include", f"{shorten(repr(path))} is not a valid spec")
            return
        text, doc = known
        source = scope.previous
        if "from" in item:
            ref = item["from"]
            target, wrong = self.resolve(scope, ref) if isinstance(ref, str) else (None, None)
            if not target:
                message = wrong or f"unknown layer {describe(ref)}: expected 'input' or the name of an earlier layer"
                check.add((*base, "from"), where, "from", message)
                bad = True
            else:
                source = target
        local = written if written is not None else os.path.splitext(os.path.basename(path))[0]
        if self.unique(scope, local, 1, base, where) or bad:
            scope.known[local] = local
            return
        sub = _Checker(0, self.tally)
        for key in doc:
            if key not in _TOP_KEYS:
                hint = f"unknown key: expected one of {', '.join(_TOP_KEYS)}{_suggestion(key, _TOP_KEYS)}"
                sub.add((key,), "", _key(key), hint, at_key=True)
        if "input" in doc:
            _input_shape(doc["input"], sub)  # checked, and unused: the layers read what this layer receives
        layers = doc.get("layers")
        if not isinstance(layers, list) or not layers:
            found = "nothing" if layers is None else describe(layers)
            sub.add(
                ("layers",) if "layers" in doc else (),
                "",
                "layers",
                f"expected a non-empty list of layers, found {found}",
            )
            layers = []
        saved = (self.check, self.defaults, self.blocks, self.typed_defaults, self.types, self.file)
        self.check, self.file = sub, path
        self.defaults = _defaults(doc.get("defaults"), sub)
        self.blocks = _blocks(doc.get("blocks"), sub)
        self.typed_defaults = {}
        self.types = f"{_type_list()}, or a block: {', '.join(self.blocks)}" if self.blocks else _type_list()
        self.chain.append((real, path))
        first = len(self.nodes)
        inner = _Scope(scope.site, f"{scope.prefix}{local}.", None, source, "", scope.depth + 1, _written(layers))
        inner.train, inner.fixed = train, fixed or scope.fixed
        try:
            for index, layer in enumerate(layers):
                self.layer(inner, layer, ("layers", index), _Where(index, layer) if isinstance(layer, dict) else None)
        finally:
            self.check, self.defaults, self.blocks, self.typed_defaults, self.types, self.file = saved
            self.chain.pop()
            check.located += sub.located + Positions(text, path).locate(sub.problems)
        if sub.problems or sub.located or len(self.nodes) == first:
            scope.known[local] = local
            return
        for index in range(first, len(self.nodes)):  # a shape problem inside is located at the include
            self.inner[index] = base
        scope.known[local] = self.nodes[-1].name
        scope.previous = self.nodes[-1].name

    def read_include(self, path: str, real: str) -> tuple[str, dict[Any, Any]] | SpecError | str:
        """An included file read and parsed: its text and its network's document; or the problems that keep
        it from being read as a spec, located in it; or what to say at the include of why it is not read, a
        NUL where its path goes. What a file that is not a spec holds is never shown (it may be anything: a
        key, a password), only what kind of thing it is."""
        quoted = "\0"
        try:
            data = self.includes.read(path, real, self.source.max_file_size)
        except Refused as refused:
            return refused.message.replace(shorten(repr(path)), quoted)
        try:
            text = decode(data, path, self.source.max_file_size)
        except SpecError as error:
            message = error.problems[0].message
            if message.startswith("the file is "):  # too large
                return f"{quoted} {message[9:]}"
            return f"{quoted} is not a spec: not UTF-8 text"
        if not text.strip():
            return f"{quoted} is empty"
        try:
            documents = [d for d in _parse(text, path).documents if d is not None]
        except SpecError as error:  # where it does not parse; the parser's words only when they quote nothing
            return SpecError([p._replace(message=_unquoted(p.message)) for p in error.problems])
        if len(documents) != 1 or not isinstance(documents[0], dict):
            found = f"{len(documents)} documents" if len(documents) != 1 else kind_of(documents[0])
            return f"expected a file of one network (input and layers), found {found} in {quoted}"
        if "layers" not in documents[0] and "input" not in documents[0]:
            return f"expected a file of one network (input and layers), found a mapping of neither in {quoted}"
        return text, documents[0]

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
        names = scope.names or {}
        result: dict[Any, Any] = {}
        bad = False
        for key, raw in item.items():
            if key in ("name", "type", "if", "from", "inputs") or not isinstance(raw, str | list):
                result[key] = raw
                continue
            if not any(True for _ in _strings(raw)) or words(key, raw):
                result[key] = raw
                continue
            try:
                result[key] = self.value(raw, names)
            except ExprError as error:
                text = next(_strings(raw))
                self.check.add((*base, key), where, _key(key), f"{error.message} (in {shorten(repr(text))})")
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
        if scope.names is None:
            self.check.add(
                (*base, "if"), where, "if", "expected no if: outside a block (a block's layers may have one)"
            )
            return None
        try:
            value = raw if isinstance(raw, bool) else expression(raw, scope.names) if isinstance(raw, str) else None
        except ExprError as error:
            self.check.add((*base, "if"), where, "if", f"{error.message} (in {shorten(repr(raw))})")
            return None
        if not isinstance(value, bool):
            self.check.add((*base, "if"), where, "if", f"expected true or false, found {describe(value)}")
            return None
        return value

    def where(self, scope: _Scope, item: dict[Any, Any], index: object) -> Any:
        return _InnerWhere(scope.site, scope.prefix, item, index)

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
        if scope.names is not None:
            if scope.key is None:
                scope.key = tuple(scope.names.items())
            memo_key = (id(item), scope.key)
            memo = self.memo.get(memo_key)
            if memo is not None:
                self.make(scope, item, layer_type, memo[0], memo[1], written, base, where, train)
                return
            fields = layer_type.by_name

            def words(key: object, raw: object) -> bool:
                field = fields.get(key) if isinstance(key, str) else None
                return field is None or _parse_field(field, raw)[1] is None

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
        self.finish(scope, layer_type, layer, values, tuple(resolved), written, repeat, base, where, train)

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
        self.finish(scope, layer_type, layer, values, tuple(resolved), written, repeat, base, where, train)

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
    ) -> None:
        """The nodes of one layer, its copies chained."""
        check, kind = self.check, layer_type.name
        if (
            not inputs
            and not layer_type.multi_input
            and scope.previous != (self.nodes[-1].name if self.nodes else "input")
        ):
            inputs = (scope.previous,)
        if self.train_names and not train and self.reads_train_only(layer_type, values, inputs, base, where):
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
            nodes.append(_new(Node, (node_name, kind, layer, inputs, train)))
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
        names = scope.names if scope.names is not None else {}
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
                check.add((*base, key), where, key, f"{error.message} (in {shorten(repr(raw))})")
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
        if isinstance(repeat, str) and scope.names is not None:
            try:
                repeat = expression(repeat, outer)
            except ExprError as error:
                check.add((*base, "repeat"), where, "repeat", f"{error.message} (in {shorten(repr(item['repeat']))})")
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
            inner_names = dict(values)
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
            before, first, uses = len(check.problems), len(self.nodes), self.uses
            for index, layer in enumerate(layers):
                self.layer(inner, layer, ("blocks", block.name, "layers", index), None)
            if len(check.problems) > before:
                return
            if key is not None and (uses == self.uses or shape is not None):  # what it made follows from the key
                self.record(key, block, first, prefix, source, inner.previous)
            source = inner.previous
            if parsed > 1:
                scope.known[f"{local_name}.{copy}"] = source
        scope.known[local_name] = source
        scope.previous = source

    # A network repeats its blocks: 10,000 uses of one block are common in generated specs, and most uses
    # of a block in a real network repeat an earlier one (same arguments, same input shape). What one use
    # makes is decided by the block, its arguments and input shape, and a few flags: the first such use is
    # expanded layer by layer, as written, and recorded; the next ones make the same nodes under their own
    # names, without reading the layers again. Anything that could make a use differ (a name taken, the
    # bound, a train-only input, a problem said already) sends it the long way, which says what is wrong.

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
        for local, kind, layer, inputs, train, base, parts in template.rows:
            name = prefix + local
            reads = tuple(source if i is None else prefix + i for i in inputs) if inputs else ()
            inner[len(nodes)] = base
            nodes.append(_new(Node, (name, kind, layer, reads, train)))
            origins.append(site)
            if train:
                train_names.add(name)
            if parts:
                self.splits[name] = parts
        names.update(taken)
        return source if template.last is None else prefix + template.last


class _Template(NamedTuple):
    """The nodes one use of a block made, without its prefix: per node its name, type, layer value, inputs
    (``None``: the block's input), ``train_only``, the path of its layer in the block and its split parts;
    the name the next layer reads; every name it takes (split parts included) and, when they are known,
    their shapes."""

    block: _Block
    rows: tuple[tuple[str, str, Any, tuple[str | None, ...], bool, Path_, int], ...]
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


def _nodes(
    layers: list[Any], defaults: dict[str, tuple[Any, Path_]], check: _Checker, tally: _Tally,
    blocks: dict[str, _Block | None] | None = None, shape: Shape | None = None, scaling: _Scaling | None = None,
    source: _Source | None = None,
) -> tuple[list[Node], list[int], dict[int, Path_]]:  # fmt: skip
    """The nodes of a network's layers, ``repeat`` and blocks expanded, and for each the index of its layer.

    :raises _Stop: when the layers would pass the run's bound (``tally``), before they are built."""
    return _Expander(defaults, blocks or {}, check, tally, shape, scaling, source).run(layers)


def read_text(path: str, stdin: Callable[[], bytes] | None = None, max_size: int = MAX_FILE_SIZE) -> str:
    """The UTF-8 text of ``path`` (``-`` reads ``stdin``); :class:`SpecError` when it cannot be read or
    holds more than ``max_size`` bytes (no more than that and one byte is read: ``/dev/zero`` too)."""
    try:
        if path == "-" and stdin is not None:
            data = stdin()
        else:
            with open(path, "rb") as handle:
                data = read_at_most(handle, max_size + 1)
    except OSError as error:
        raise SpecError([Located(path, 0, 0, "", "", f"cannot read the file: {error.strerror or error}")]) from None
    return decode(data, path, max_size)


def decode(data: bytes, path: str, max_size: int = MAX_FILE_SIZE) -> str:
    """The UTF-8 text of the bytes ``data`` of the file ``path`` (a byte-order mark dropped); :class:`SpecError`
    when there are more than ``max_size`` of them or they are not UTF-8."""
    if len(data) > max_size:
        message = f"the file is larger than {max_size:,} bytes (the bound of one file; --max-file-size SIZE raises it)"
        raise SpecError([Located(path, 1, 1, "", "", message)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        good = data[: error.start].decode("utf-8", errors="replace")
        line, column = _position(good, len(good))
        raise SpecError(
            [Located(path, line, column, "", "", f"not UTF-8 text: byte 0x{data[error.start]:02x} cannot be decoded")]
        ) from None


def load_text(
    text: str,
    file: str = "<spec>",
    warn: Callable[[str], None] | None = None,
    bounds: Bounds = DEFAULT_BOUNDS,
    _tally: _Tally | None = None,
    includes: Includes | None = None,
) -> list[Spec]:
    """Every network of one spec text (YAML, or JSON when ``file`` ends in ``.json``); its includes are read
    as ``includes`` says (by default, beside ``file``, confined as :func:`~dsc_cost.includes.local_includes`
    says, with ``bounds.allow_include``).

    >>> [spec] = load_text("input: [3, 7, 7]\\nlayers:\\n  - {type: conv, out: 128, kernel: 3}\\n", "seed.yaml")
    >>> spec.network.name, spec.network.nodes[0].name
    ('seed', 'conv1')

    :raises SpecError: listing every problem of the text, each located (a :class:`BoundError`
        when its networks pass ``bounds.max_layers`` layers in all: the work stops there).
    """
    tally = _tally if _tally is not None else _Tally(bounds.max_layers)
    if not text.strip():
        raise SpecError([Located(file, 1, 1, "", "", "the file is empty: expected a network spec (input and layers)")])

    def count(document: int, data: Any, node: Any) -> None:
        """Refuse the layer with which the documents read so far list more layers than the bound, as
        soon as its document is read (located by the node in hand: the text is not read again)."""
        over = tally.over(data)
        if over is None:
            return
        index, item = over
        path: Path_ = ("layers", index, "repeat") if "repeat" in item else ("layers", index)
        if node is not None:
            mark = _walk(node, path)[1]
            line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        else:
            line, column = Positions(text, file).at(document, path)
        field_ = "repeat" if "repeat" in item else ""
        raise BoundError([Located(file, line, column, str(_Where(index, item)), field_, _bound_message(tally.bound))])

    documents, duplicates = _parse(text, file, warn, count)
    stem = os.path.splitext(os.path.basename(file))[0] if file != "-" else "stdin"
    specs: list[Spec] = []
    problems: list[Problem] = []
    included: list[Located] = []  # the problems of included files, located there
    real = [(i, d) for i, d in enumerate(documents) if d is not None]
    if not real:
        raise SpecError([Located(file, 1, 1, "", "", "the file holds no document: expected a network spec")])
    positions = Positions(text, file)
    source = _Source(file, bounds.max_file_size, includes or local_includes(file, bounds.allow_include))
    stopped = False
    for index, doc in real:
        default_name = stem if len(real) == 1 else f"{stem}#{index + 1}"
        check = _Checker(index, tally)
        try:
            result = _network(doc, index, default_name, check, tally, None, source)
        except _Stop:
            problems += check.problems
            included += check.located
            stopped = True
            break
        finally:
            spatial_dims(2)
        problems += check.problems
        included += check.located
        if result is not None:
            specs.append(Spec(result[0], result[1], file, index, text, result[2], positions, result[3] or None, doc))
    if problems or duplicates or included:
        located = positions.locate(problems) + list(dict.fromkeys(included))  # a file included twice: said once
        if duplicates:
            twice = [_duplicate_problem(file, documents, d) for d in duplicates]
            located = sorted(twice + located, key=lambda p: (p.line, p.column))
        raise (BoundError if stopped else SpecError)(located)
    return specs


def scaled_network(spec: Spec, width: Fraction, divisor: int | None = None, bounds: Bounds = DEFAULT_BOUNDS) -> Network:
    """``spec``'s network under the width multiplier ``width``, built again from its document: every
    channel count written (a layer's ``out``, a block's channel argument) is scaled
    (:func:`~dsc_cost.variants.scale_channels`, rounded to ``divisor``), but for the layers marked
    ``width: fixed`` and the output of the last linear layer; channels derived from a block's input
    (``in * expand``, ``divisible(in / 4, 8)``) follow the scaled input. Width 1 is the network itself.
    A spec built in code (no document) is scaled by :func:`~dsc_cost.variants.with_width`.

    :raises SpecError: listing what goes wrong at that width, each located, its message naming the width.
    """
    from .variants import with_width

    if width == 1:
        return spec.network
    if spec.source is None:
        return with_width(spec.network, width, divisor)
    tally = _Tally(bounds.max_layers)
    check = _Checker(spec.document, tally)
    includes = local_includes(spec.file, bounds.allow_include)
    scaling, source = _Scaling(width, divisor), _Source(spec.file, bounds.max_file_size, includes)
    try:
        result = _network(spec.source, spec.document, spec.network.name, check, tally, scaling, source)
    except _Stop:  # a bound passed at this width (a repeat that reads a channel count): said in check
        result = None
    finally:
        spatial_dims(2)
    if check.problems or check.located or result is None:
        positions = spec.positions if spec.positions is not None else Positions(spec.text, spec.file)
        at = f" (at width {_decimal(width)}{f', divisor {divisor}' if divisor else ''})"
        located = positions.locate(check.problems) + list(dict.fromkeys(check.located))
        raise SpecError([p._replace(message=p.message + at) for p in located])
    return result[0]


def _decimal(value: Fraction) -> str:
    """``value`` as a decimal when it has one (``0.35``), else as a fraction."""
    denominator = value.denominator
    for factor in (2, 5):
        while denominator % factor == 0:
            denominator //= factor
    if denominator != 1:
        return show(value)
    return str(Decimal(value.numerator) / Decimal(value.denominator))


READERS: dict[str, str] = {
    ".onnx": "dsc_cost.onnx:load_onnx",
    ".keras": "dsc_cost.readers.keras:load_keras",
    ".h5": "dsc_cost.readers.keras:load_keras",
}
"""The readers of the files that are not specs, by the end of their name (lower case): ``module:function``, the
function taking the path, and as keywords ``options``, ``warn``, ``bounds`` and ``tally``, as
:func:`dsc_cost.onnx.load_onnx` does, and giving the file's specs. A module is imported only when a file of its
kind is read (a reader's package, such as onnx, is an optional extra); a new format is one module and one entry
here."""


def _reader(path: str) -> Callable[..., list[Spec]] | None:
    """The reader of ``path`` (:data:`READERS`), or ``None`` for a spec file."""
    lowered = path.lower()
    for suffix, where in READERS.items():
        if lowered.endswith(suffix):
            import importlib

            module, _, function = where.partition(":")
            reader: Callable[..., list[Spec]] = getattr(importlib.import_module(module), function)
            return reader
    return None


def load_files(
    paths: Iterable[str],
    stdin: Callable[[], bytes] | None = None,
    warn: Callable[[str], None] | None = None,
    progress: Callable[[str], None] | None = None,
    bounds: Bounds = DEFAULT_BOUNDS,
    onnx: Any = None,
) -> list[Spec]:
    """Every network of every file, in order. Problems of all files are reported together.

    A path ending in ``.onnx`` is an ONNX model, read by :func:`dsc_cost.onnx.load_onnx` (:data:`READERS`) with the
    options ``onnx`` (a :class:`dsc_cost.onnx.OnnxOptions`; ``None``: the defaults).

    ``stdin`` reads standard input for the path ``-``; ``warn`` hears, once, that YAML is read
    without libyaml; ``progress`` hears each path once it is loaded. ``bounds`` bound the layers
    of every network of every file in all, and the size of each file.

    :raises SpecError: listing every problem found (a :class:`BoundError`, listing those found
        so far, when a bound is passed: the work stops there).
    """
    specs: list[Spec] = []
    problems = Collector()
    warnings: set[str] = set()
    tally = _Tally(bounds.max_layers)

    def warn_once(message: str) -> None:
        if warn is not None and message not in warnings:
            warnings.add(message)
            warn(message)

    for path in paths:
        if progress is not None:
            progress(path)
        try:
            reader = _reader(path)
            if reader is not None:  # a model file: its reader makes its specs
                options = {"options": onnx} if onnx is not None else {}
                specs += reader(path, warn=warn_once, bounds=bounds, tally=tally, **options)
                continue
            specs += load_text(read_text(path, stdin, bounds.max_file_size), path, warn_once, bounds, tally)
        except BoundError as error:
            raise BoundError(problems.problems + error.problems) from None
        except SpecError as error:
            problems.problems += error.problems
    problems.raise_any()
    return specs


def cost_specs(specs: Iterable[Spec], batch: int = 1) -> list[NetworkCost]:
    """Cost every spec's network (:func:`~dsc_cost.network.cost_network`).

    :raises SpecError: listing every layer, of every spec, whose input does not fit it,
        each located at the field that decides (or the layer, or the default it came from).
    """
    results: list[NetworkCost] = []
    problems = Collector()
    for spec in specs:
        try:
            results.append(cost_network(spec.network, batch))
        except LayerError:
            errors: list[LayerError] = []
            evaluate(spec.network, errors)
            positions = spec.positions if spec.positions is not None else Positions(spec.text, spec.file)
            for error in errors:
                problems.add(_layer_problem(spec, positions, error))
    problems.raise_any()
    return results


def _layer_problem(spec: Spec, positions: Positions, error: LayerError) -> Located:
    """``error`` located in ``spec``'s text by ``positions`` (one per spec: its text is read once)."""
    index = spec.origins[error.index] if error.index < len(spec.origins) else error.index
    path: Path_ = ("layers", index)
    inner = spec.inner.get(error.index) if spec.inner else None
    if inner is not None and spec.text:  # made by a block: at its layer there
        path = (*inner, error.field) if positions.has(spec.document, (*inner, error.field)) else inner
    elif spec.text:  # a spec built in code has no text: locate the layer alone
        if positions.has(spec.document, ("layers", index, error.field)):
            path = ("layers", index, error.field)
        elif positions.has(spec.document, ("defaults", error.field)):
            path = ("defaults", error.field)
    problem = Problem(spec.document, path, f"layers[{index}] ({shorten(error.name)})", error.field, error.message)
    return positions.locate([problem])[0]
