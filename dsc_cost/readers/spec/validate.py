"""Validation of a spec's top level and its layers: the problems of a document (:class:`_Checker`), the input,
the defaults, and each layer's fields parsed by the registry's types."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from ...errors import Located, Path_, Problem
from ...formulas import Shape
from ...layers import REGISTRY, Field, LayerType
from ...layers.base import Invalid
from ..bounds import MAX_PROBLEMS
from ..bounds import PROBLEMS_MESSAGE as _PROBLEMS_MESSAGE
from ..bounds import Stop as _Stop
from ..bounds import Tally as _Tally
from ..yamltext import MAX_NAME, _key, _Where, describe


def _suggestion(word: object, choices: Iterable[str]) -> str:
    """``; did you mean 'kernel'?`` when ``word`` is close to one of ``choices``, else nothing."""
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


_TOP_KEYS = ("name", "params", "variants", "input", "defaults", "use", "blocks", "budget", "layers")


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
    from ...layers import load_plugins

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


Defaults = dict[Any, tuple[Any, Path_]]
"""The defaults of a spec: the raw value and path of each, by field (``batchnorm``: every type that has it) or by
type and field (``("conv", "batchnorm")``: that type's, over the field's)."""


def _defaults(value: object, check: _Checker) -> Defaults:
    """The raw value and path of each default that some layer type takes: ``defaults: {batchnorm: true}`` for
    every type with that field, ``defaults: {conv: {batchnorm: true}}`` for one type."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        check.add(("defaults",), "", "defaults", f"expected a mapping of layer fields, found {describe(value)}")
        return {}
    merged: Defaults = {}
    for key, raw in value.items():
        if (
            isinstance(raw, dict)
            and isinstance(key, str)
            and (key in REGISTRY or (_plugins_added() and key in REGISTRY))
        ):
            merged.update(_typed(REGISTRY[key], raw, check))
            continue
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


def _typed(layer_type: LayerType, value: dict[Any, Any], check: _Checker) -> Defaults:
    """The defaults of the layers of one type (``defaults: {conv: {...}}``)."""
    kind = layer_type.name
    known = [field.name for field in layer_type.fields if field.defaultable]
    typed: Defaults = {}
    for key, raw in value.items():
        path: Path_ = ("defaults", kind, key)
        field = layer_type.by_name.get(key) if isinstance(key, str) else None
        if field is None or not field.defaultable:
            hint = f"{kind} layers take defaults of {', '.join(known)}" if known else f"{kind} layers take none"
            check.add(path, "", f"defaults.{kind}.{_key(key)}", f"unknown field: {hint}{_suggestion(key, known)}", True)
            continue
        message = _parse_field(field, raw)[1]
        if message is not None:
            check.add(path, "", f"defaults.{kind}.{key}", message)
            continue
        typed[(kind, key)] = (raw, path)
    return typed


_Default = tuple[str, Any, "str | None", Path_]
"""A default that a layer type takes: its key, its value for that type, what is wrong with it, its path."""


def _type_defaults(layer_type: LayerType, defaults: Defaults) -> list[_Default]:
    """The defaults that reach layers of ``layer_type`` (the keys its type has, its own over the others),
    parsed for it."""
    typed: dict[str, _Default] = {}
    for key, (raw, path) in defaults.items():
        if isinstance(key, tuple):
            if key[0] == layer_type.name:
                own = layer_type.by_name[key[1]]
                typed[key[1]] = (key[1], own.parse(raw), None, path)
            continue
        if key in typed:  # its type's own, given before it
            continue
        field = layer_type.by_name.get(key)
        if field is not None and field.defaultable:
            value, message = _parse_field(field, raw)
            if message is not None:  # a value that only other types take
                takers = [t.name for t in REGISTRY.values() if _parse_field(t.by_name.get(key, field), raw)[1] is None]
                message = f"{key} {describe(raw)} fits {', '.join(takers)} layers only: expected {field.expected}"
            typed[key] = (key, value, message, path)
    return list(typed.values())


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
