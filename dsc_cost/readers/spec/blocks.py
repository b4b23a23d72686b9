"""The blocks of a spec (``blocks:``): each checked where it is defined, cycles refused, channel parameters found."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import Any, NamedTuple

from ...errors import Path_
from ...expr import names_in
from ...layers import REGISTRY
from ...layers.base import Invalid
from ..yamltext import _key, describe
from .validate import _Checker, _suggestion

_SKIP = frozenset(("type", "if", "width", "train_only"))
"""The keys of a layer that the expansion reads, not its type."""
_PLAIN = frozenset(("name", "type", "if", "from", "inputs"))
"""The keys of a layer whose strings are never expressions."""

_BLOCK_KEYS = ("params", "layers")
_BLOCK_NAMES = frozenset(("in", "in_h", "in_w", "copy", "min", "max", "divisible", "input"))
"""Names a block's parameter may not take: those expressions give a meaning of their own."""
_USE_KEYS = ("name", "type", "repeat", "from", "if", "width", "train_only")
"""The keys of a block use besides its arguments (``width`` and ``train_only`` are arguments of a block
that has parameters of those names)."""
MAX_BLOCK_DEPTH = 20
"""The deepest nesting of blocks in blocks."""


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
    origin: str | None = None
    """The file it is defined in, when another file's ``use:`` reads it (``None``: the file being read)."""


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
