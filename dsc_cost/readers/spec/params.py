"""A network's parameters (``params:``): names whose values every expression of the network reads, at the top
level (``input``, every layer field, ``repeat``, ``budget``) and in its blocks; its named variants (``variants:``),
each values of its parameters; and what a run picks of them (:class:`Selection`: ``--variant``, ``--set``)."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, NamedTuple

from ...errors import Path_, shorten
from ...expr import ExprError, compile_expression, names_in, show
from ...expr import evaluate as expression
from ...layers.base import Invalid
from ..yamltext import _key, describe
from .blocks import _BLOCK_NAMES, _argument, _argument_kind
from .validate import _Checker, _suggestion

RESERVED = _BLOCK_NAMES | {"ceil", "floor", "round", "int", "abs", "pow", "log", "sqrt", "true", "false"}
"""Names a network's parameter may not take: those of a block's input and copy, and of the functions."""

_UNKNOWN = re.compile(r"^unknown name '([^']*)'")
_NUMBER = re.compile(r"\s*[0-9_.eE+-]*\s*")


def network_params(value: object, check: _Checker) -> dict[str, Any]:
    """The parameters of a network, each with its default (``None``: none, a variant or ``--set`` gives it)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        check.add(("params",), "", "params", f"expected a mapping of names to defaults, found {describe(value)}")
        return {}
    params: dict[str, Any] = {}
    for key, default in value.items():
        at: Path_ = ("params", key)
        if not (isinstance(key, str) and key.isidentifier() and not key.startswith("_")) or key in RESERVED:
            reserved = f" ({', '.join(sorted(RESERVED))} are taken)" if key in RESERVED else ""
            found = describe(key)
            check.add(at, "", "params", f"expected a parameter name (a word){reserved}, found {found}", at_key=True)
            continue
        try:
            params[key] = None if default is None else _argument(default, default)
        except Invalid:
            message = f"expected a default (a number, true/false or a word; null: none), found {describe(default)}"
            check.add(at, "", f"params.{key}", message)
    return params


def explained(error: ExprError, names: dict[str, Any]) -> str:
    """The message of ``error``, with the closest name for an unknown one."""
    unknown = _UNKNOWN.match(error.message)
    return error.message + (_suggestion(unknown.group(1), names) if unknown else "")


def is_expression(text: str, names: dict[str, Any]) -> bool:
    """Whether a string written where a number goes, at a network's top level, is read as an expression: when it
    reads one of ``names``, or reads no name and is valid and more than a number (``(2 * 11 + 9) // 10``; ``'3'``
    is a string, which a field refuses), or is more than a word, or a
    word close to a parameter's name (so that what is wrong in it is said); another word is left to its field to
    refuse (``padding: sme``)."""
    read = names_in(text)
    if read:
        word = text.strip()
        return bool(read & names.keys()) or not word.isidentifier() or bool(_suggestion(word, names))
    if _NUMBER.fullmatch(text):
        return False
    try:
        compile_expression(text)
    except ExprError:
        return False
    return True


def whole(raw: str, names: dict[str, Any]) -> Any:
    """The value of the expression ``raw``, a whole number where it is a number.

    :raises ExprError: when it is wrong, or a fraction."""
    value = expression(raw, names)
    if isinstance(value, Fraction):
        raise ExprError(f"expected a whole number, found {show(value)}")
    return value


def input_values(value: object, names: dict[str, Any], check: _Checker) -> object:
    """``input`` with its expressions evaluated (each wrong one said, and left as written)."""

    def one(raw: object, path: Path_, field_: str) -> object:
        if not isinstance(raw, str):  # no word is an input's size: a string is an expression
            return raw
        try:
            return whole(raw, names)
        except ExprError as error:
            check.add(path, "", field_, f"{explained(error, names)} (in {shorten(repr(raw))})")
            return None

    if isinstance(value, list):
        return [one(raw, ("input", i), "input") for i, raw in enumerate(value)]
    if isinstance(value, dict):
        return {k: one(raw, ("input", k), f"input.{k}") for k, raw in value.items()}
    return value


def budget_values(budget: dict[Any, Any], names: dict[str, Any], check: _Checker) -> dict[Any, Any]:
    """``budget`` with the values that read a parameter evaluated (``4.5M`` and ``3ms`` are not expressions)."""
    result = {}
    for key, raw in budget.items():
        if isinstance(raw, str) and names_in(raw) and is_expression(raw, names):
            try:
                value = expression(raw, names)
            except ExprError as error:
                check.add(("budget", key), "", f"budget.{key}", f"{explained(error, names)} (in {shorten(repr(raw))})")
                continue
            if isinstance(value, Fraction):
                raw = decimal_text(value) if value.denominator != 1 else value.numerator
            else:
                raw = value
        result[key] = raw
    return result


def decimal_text(value: Fraction) -> str:
    """``value`` as a decimal when it has one (``0.35``), else as a fraction (``1/3``)."""
    from decimal import Decimal

    denominator = value.denominator
    for factor in (2, 5):
        while denominator % factor == 0:
            denominator //= factor
    if denominator != 1:
        return show(value)
    return str(Decimal(value.numerator) / Decimal(value.denominator))


# ---------------------------------------------------------------- variants, and the values a run sets

ALL = "all"
"""The ``--variant`` that picks every variant of a network (the network itself when it has none)."""


class Selection(NamedTuple):
    """What a run picks of each network: its variants by name (:data:`ALL`: every one; none: the network as
    written) and values of its parameters (``--set NAME=VALUE``, applied after the variant's), each value a
    number, true/false, a word, or the text of one (``"0.75"``, ``"3/4"``, ``"true"``)."""

    variants: tuple[str, ...] = ()
    values: tuple[tuple[str, object], ...] = ()


NO_SELECTION = Selection()


class Choice(NamedTuple):
    """One network to build from a document: its variant (``None``: the network as written) and the values its
    parameters take besides their defaults."""

    variant: str | None = None
    values: tuple[tuple[str, Any], ...] = ()


def value_of(text: object) -> object:
    """A value set from the command line: ``true``/``false``, a number or fraction (``0.75``, ``3/4``), or a word;
    anything else as it is (refused where it is checked)."""
    if not isinstance(text, str):
        return text
    word = text.strip()
    if word in ("true", "false"):
        return word == "true"
    if word.isidentifier():
        return word
    try:
        return expression(word, {})
    except ExprError:
        return text


def checked_value(params: dict[str, Any], key: str, value: object) -> tuple[Any, str | None]:
    """(``value`` as parameter ``key`` takes it, ``None``) or (``None``, what is wrong)."""
    default = params[key]
    try:
        return _argument(default, value), None
    except Invalid:
        shown = show(value) if isinstance(value, Fraction) else describe(value)
        return None, f"expected {_argument_kind(default)} (parameter {key}), found {shown}"


def variants_of(doc: dict[Any, Any], params: dict[str, Any], check: _Checker) -> dict[str, dict[str, Any]]:
    """The variants of a network, each the values of its parameters (a wrong one said, and left out)."""
    value = doc.get("variants")
    if value is None:
        return {}
    if not isinstance(value, dict) or not value:
        found = describe(value)
        check.add(("variants",), "", "variants", f"expected a mapping of names to parameter values, found {found}")
        return {}
    variants: dict[str, dict[str, Any]] = {}
    for name, body in value.items():
        where = f"variants.{_key(name)}"
        if not (isinstance(name, str) and name.isprintable() and name.strip() and not set(name) & set("[],=")):
            check.add(("variants", name), "", where, "expected a variant name (printable, without [ ] , =)", True)
            continue
        if name == ALL:
            said = f"expected a variant name, found {ALL!r} (--variant all picks every one)"
            check.add(("variants", name), "", where, said, True)
            continue
        if body is None:
            body = {}
        if not isinstance(body, dict):
            said = f"expected a mapping of parameters to values, found {describe(body)}"
            check.add(("variants", name), "", where, said)
            continue
        values: dict[str, Any] = {}
        ok = True
        for key, raw in body.items():
            if not isinstance(key, str) or key not in params:
                hint = f"expected one of {', '.join(params)}" if params else "the network has no params"
                said = f"unknown parameter: {hint}{_suggestion(key, params)}"
                check.add(("variants", name, key), "", f"{where}.{_key(key)}", said, True)
                ok = False
                continue
            values[key], wrong = checked_value(params, key, raw)
            if wrong is not None:
                check.add(("variants", name, key), "", f"{where}.{key}", wrong)
                ok = False
        if ok:
            variants[name] = values
    return variants


def choices(doc: dict[Any, Any], params: dict[str, Any], selection: Selection, check: _Checker) -> list[Choice]:
    """The networks a run builds from one document: one per variant picked (the network as written when none
    is), each with the values set; what is wrong with the selection said (at ``variants:`` or ``params:``, or the
    top of the document), and the network as written built to say what else is wrong."""
    variants = variants_of(doc, params, check)
    set_values: dict[str, Any] = {}
    ok = True
    for key, raw in selection.values:
        at: Path_ = ("params",) if "params" in doc else ()
        if key not in params:
            hint = f"expected one of {', '.join(params)}" if params else "the network has no params"
            check.add(at, "", f"--set {key}", f"unknown parameter: {hint}{_suggestion(key, params)}", True)
            ok = False
            continue
        set_values[key], wrong = checked_value(params, key, value_of(raw))
        if wrong is not None:
            check.add(at, "", f"--set {key}", wrong, True)
            ok = False
    picked: list[str | None] = []
    for name in selection.variants:
        if name == ALL:
            picked += list(variants) or [None]
        elif name in variants:
            picked.append(name)
        else:
            at = ("variants",) if "variants" in doc else ()
            hint = f"expected one of {', '.join(variants)}" if variants else "the network has no variants"
            check.add(at, "", f"--variant {name}", f"unknown variant: {hint}{_suggestion(name, variants)}", True)
            ok = False
    if not ok:
        return [Choice()]
    result = []
    for variant in dict.fromkeys(picked or [None]):
        values = dict(variants.get(variant, {})) if variant is not None else {}
        values.update(set_values)
        result.append(Choice(variant, tuple(values.items())))
    return result
