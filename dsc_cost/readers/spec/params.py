"""A network's parameters (``params:``): names whose values every expression of the network reads, at the top
level (``input``, every layer field, ``repeat``, ``budget``) and in its blocks."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from ...errors import Path_, shorten
from ...expr import ExprError, compile_expression, names_in, show
from ...expr import evaluate as expression
from ...layers.base import Invalid
from ..yamltext import describe
from .blocks import _BLOCK_NAMES, _argument
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
