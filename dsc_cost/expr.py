"""The expressions of block specs: a small language read with Python's :mod:`ast` parser and evaluated
by walking a whitelist of node types (never ``eval``).

An expression holds integers and exact decimals (``0.75``), names (a block's parameters; ``in``,
``in_h`` and ``in_w``, the block input's channels, height and width; ``copy``, the number of the copy
of a repeated block), ``+ - * / // **`` (``/`` is exact: a fraction), parentheses, comparisons,
``and``, ``or``, ``not``, ``A if C else B`` and the functions of :data:`FUNCTIONS`: ``min``, ``max``,
``divisible(v, d)`` (the make-divisible rounding of MobileNet and EfficientNet), ``ceil``, ``floor``,
``round`` (half to even), ``int`` (toward zero), ``abs``, ``pow``, ``log`` (natural, or ``log(x, b)``)
and ``sqrt``. Values are integers, exact fractions, true/false and words (a word parameter may be
passed on or compared with ``==``).

Arithmetic is exact (:mod:`dsc_cost.reals`): a rational result is the fraction itself, and an
irrational one (a logarithm, a square root that is not a fraction's, a fractional power) is known
within bounds, may flow through arithmetic, comparisons, ``min``, ``max`` and ``divisible``, and must
end in ``round``, ``ceil``, ``floor`` or ``int`` before the expression's value (an
:class:`ExprError` otherwise). A decision that its bounds cannot make is refused, never guessed.

Its work is bounded: :data:`MAX_LENGTH` characters, :data:`MAX_DEPTH` levels of nesting, and no
integer (numerator or denominator) of more than :data:`MAX_BITS` bits, checked before a power is made.

>>> evaluate("divisible(in * 3 / 4, 8)", {"in": 24})
24
>>> evaluate("stride == 1 and in == out", {"stride": 1, "in": 16, "out": 16})
True
>>> [evaluate(t, {"in": 9}) for t in ("ceil(3 * 1.1)", "round(log(2) * 10)", "2 ** -2", "sqrt(in)")]
[4, 7, Fraction(1, 4), 3]
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from . import reals
from .reals import Real, RealError

MAX_LENGTH = 200
"""The longest expression, in characters."""

MAX_DEPTH = 32
"""The deepest nesting of an expression's operations."""

MAX_BITS = reals.MAX_BITS
"""The most bits of any integer an expression makes (numerators and denominators too)."""

Value = int | Fraction | bool | str
Number = int | Fraction | Real
Names = Mapping[str, Any]
_Code = Callable[[Names], Any]


class ExprError(Exception):
    """An expression that is not allowed, or whose evaluation fails: ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_IN = re.compile(r"(?<![\w.])in(?!\w)")
_RESERVED = "in_"
"""What ``in`` (a Python keyword) is read as."""
_TAKEN = re.compile(r"(?<!\w)in_(?!\w)")


def divisible(value: Number, divisor: int) -> int:
    """``value`` rounded to the nearest multiple of ``divisor``, at least ``divisor`` and never below
    90 % of ``value`` (``_make_divisible`` of MobileNet V2, V3 and EfficientNet), exactly.

    >>> divisible(16, 8), divisible(Fraction(18), 8), divisible(Fraction(24, 5), 8)
    (16, 24, 8)
    """
    if not (isinstance(divisor, int) and not isinstance(divisor, bool) and divisor >= 1):
        raise ExprError(f"divisible(v, d) needs a positive integer d, found {_show(divisor)}")
    if isinstance(value, bool) or not isinstance(value, int | Fraction | Real) or reals.sign(value, "v") <= 0:
        raise ExprError(f"divisible(v, d) needs a positive number v, found {_show(value)}")
    new = max(divisor, reals.floor(reals.add(value, Fraction(divisor, 2))) // divisor * divisor)
    if reals.less(10 * new, reals.mul(9, value), "divisible()"):
        new += divisor
    return new


def _show(value: object) -> str:
    if isinstance(value, Real):
        return f"about {reals.about(value)}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    return repr(value)


def _number(value: object, what: str) -> Number:
    if isinstance(value, bool) or not isinstance(value, int | Fraction | Real):
        raise ExprError(f"{what} takes numbers, found {_show(value)}")
    return value


def _bounded(value: Number) -> Number:
    if isinstance(value, Fraction):
        if value.denominator == 1:
            value = value.numerator
        elif value.numerator.bit_length() > MAX_BITS or value.denominator.bit_length() > MAX_BITS:
            raise ExprError(f"a number of more than {MAX_BITS} bits")
    if isinstance(value, int) and value.bit_length() > MAX_BITS:
        raise ExprError(f"a number of more than {MAX_BITS} bits")
    return value


def _floordiv(a: Number, b: Number) -> Number:
    if isinstance(a, Real) or isinstance(b, Real):
        return reals.floordiv(a, b)
    if b == 0:
        raise ExprError("division by zero")
    return a // b


def _truediv(a: Number, b: Number) -> Number:
    if isinstance(a, Real) or isinstance(b, Real):
        return reals.div(a, b)
    if b == 0:
        raise ExprError("division by zero")
    return Fraction(a) / b


def _exact(operate: Callable[[Any, Any], Any], real: Callable[[Number, Number], Number]) -> Callable[[Any, Any], Any]:
    """``operate`` on rationals, ``real`` where an operand is a :class:`~dsc_cost.reals.Real`."""
    return lambda a, b: real(a, b) if isinstance(a, Real) or isinstance(b, Real) else operate(a, b)


_ARITHMETIC: dict[type, tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Add: ("+", _exact(lambda a, b: a + b, reals.add)),
    ast.Sub: ("-", _exact(lambda a, b: a - b, reals.sub)),
    ast.Mult: ("*", _exact(lambda a, b: a * b, reals.mul)),
    ast.FloorDiv: ("//", _floordiv),
    ast.Div: ("/", _truediv),
    ast.Pow: ("**", reals.power),
}
_ORDER: dict[type, tuple[str, Callable[[Any, Any], bool]]] = {
    ast.Lt: ("<", lambda a, b: reals.less(a, b, "'<'")),
    ast.LtE: ("<=", lambda a, b: not reals.less(b, a, "'<='")),
    ast.Gt: (">", lambda a, b: reals.less(b, a, "'>'")),
    ast.GtE: (">=", lambda a, b: not reals.less(a, b, "'>='")),
}


def _equal(a: object, b: object) -> bool:
    """Whether two values are one: a number is never true or false, nor a word."""
    if type(a) is bool or type(b) is bool:
        return a is b
    if isinstance(a, Real) or isinstance(b, Real):
        numbers = all(isinstance(v, int | Fraction | Real) for v in (a, b))
        return numbers and reals.equal(a, b, "'=='")  # type: ignore[arg-type]  # numbers, just checked
    return a == b


_EQUALITY: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: _equal,
    ast.NotEq: lambda a, b: not _equal(a, b),
}


def _truth(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise ExprError(f"{what} takes true or false, found {_show(value)}")
    return value


def _compile(node: ast.AST, depth: int) -> _Code:
    if depth > MAX_DEPTH:
        raise ExprError(f"nesting deeper than {MAX_DEPTH} levels")
    depth += 1
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | Fraction):
            raise ExprError(f"{value!r} is not allowed: expected numbers and names")
        constant = _bounded(value)
        return lambda names: constant
    if isinstance(node, ast.Name):
        word = "in" if node.id == _RESERVED else node.id
        key = word

        def name(names: Names) -> Any:
            try:
                return names[key]
            except KeyError:
                raise ExprError(f"unknown name {word!r}: expected {_known(names)}") from None

        return name
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        symbol, operate = _ARITHMETIC[type(node.op)]
        left, right = _compile(node.left, depth), _compile(node.right, depth)
        what = f"'{symbol}'"

        def binary(names: Names) -> Any:
            return _bounded(operate(_number(left(names), what), _number(right(names), what)))

        return binary
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _compile(node.operand, depth)
        if isinstance(node.op, ast.UAdd):
            return lambda names: _number(operand(names), "'+'")
        return lambda names: reals.neg(_number(operand(names), "'-'"))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        operand = _compile(node.operand, depth)
        return lambda names: not _truth(operand(names), "'not'")
    if isinstance(node, ast.BoolOp):
        parts = [_compile(v, depth) for v in node.values]
        word = "and" if isinstance(node.op, ast.And) else "or"
        stop = isinstance(node.op, ast.Or)  # the value that ends the evaluation

        def boolean(names: Names) -> bool:
            for part in parts:
                if _truth(part(names), f"'{word}'") is stop:
                    return stop
            return not stop

        return boolean
    if isinstance(node, ast.Compare):
        first = _compile(node.left, depth)
        rest = [(_comparison(op), _compile(c, depth)) for op, c in zip(node.ops, node.comparators, strict=True)]

        def compare(names: Names) -> bool:
            left = first(names)
            for operate, code in rest:
                right = code(names)
                if not operate(left, right):
                    return False
                left = right
            return True

        return compare
    if isinstance(node, ast.IfExp):
        test, body, orelse = (_compile(n, depth) for n in (node.test, node.body, node.orelse))
        return lambda names: body(names) if _truth(test(names), "'if'") else orelse(names)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        if node.func.id not in FUNCTIONS:
            raise ExprError(f"unknown function {node.func.id!r}: expected {_FUNCTION_LIST}{_close(node.func.id)}")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise ExprError(f"'*' in a call is not allowed: {_ALLOWED}")
        return _call(node.func.id, [_compile(a, depth) for a in node.args])
    shown = node.op if isinstance(node, ast.BinOp | ast.UnaryOp) else node
    raise ExprError(f"{_WHAT.get(type(shown), type(shown).__name__)} is not allowed: {_ALLOWED}")


_WHAT = {
    ast.Attribute: "an attribute", ast.Subscript: "indexing", ast.Lambda: "lambda", ast.Mod: "'%'",
    ast.Call: "this call", ast.List: "a list", ast.Tuple: "a tuple", ast.Invert: "'~'",
}  # fmt: skip

FUNCTIONS: dict[str, str] = {
    "abs": "abs(x)",
    "ceil": "ceil(x)",
    "divisible": "divisible(v, d)",
    "floor": "floor(x)",
    "int": "int(x)",
    "log": "log(x) or log(x, b)",
    "max": "max(a, ...)",
    "min": "min(a, ...)",
    "pow": "pow(a, b)",
    "round": "round(x)",
    "sqrt": "sqrt(x)",
}
"""The functions an expression may call, and how each is called."""

_FUNCTION_LIST = ", ".join(list(FUNCTIONS)[:-1]) + " or " + list(FUNCTIONS)[-1]
_ALLOWED = (
    "expected numbers, names, + - * / // **, comparisons, and/or/not, and the functions "
    + ", ".join(list(FUNCTIONS)[:-1])
    + " and "
    + list(FUNCTIONS)[-1]
)


def _close(word: str) -> str:
    """``; did you mean 'ceil'?`` when ``word`` is close to a function's name, else nothing."""
    import difflib

    close = difflib.get_close_matches(word, list(FUNCTIONS), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _decimal(text: str) -> int | Fraction:
    """The exact value of a decimal literal as written (``0.1`` is 1/10, ``1e309`` is 10**309, never a float's
    ``inf``), refused before it is made when it could not have :data:`MAX_BITS` bits or fewer.

    >>> _decimal("0.75"), _decimal("1_000.5e-3"), _decimal("0e999")
    (Fraction(3, 4), Fraction(2001, 2000), 0)
    """
    from decimal import Decimal

    sign, digits, exponent = Decimal(text).as_tuple()
    assert isinstance(exponent, int)  # a literal is finite: no infinity or NaN is written with digits
    ones = list(digits)
    while len(ones) > 1 and ones[-1] == 0:  # 1500 is 15e2: only the digits that matter
        ones.pop()
        exponent += 1
    numerator = int("".join(map(str, ones)))
    if numerator == 0:
        return 0
    # 10**21 > 2**64; and 10**-65 leaves a denominator of at least 2**65, whatever the digits
    if exponent > 20 or exponent < -MAX_BITS:
        raise ExprError(f"a number of more than {MAX_BITS} bits: {text}")
    value = numerator * 10**exponent if exponent >= 0 else Fraction(numerator, 10**-exponent)
    return -value if sign else value


def _comparison(op: ast.cmpop) -> Callable[[Any, Any], bool]:
    if type(op) in _EQUALITY:
        return _EQUALITY[type(op)]
    if type(op) in _ORDER:
        symbol, operate = _ORDER[type(op)]
        what = f"'{symbol}'"
        return lambda a, b: operate(_number(a, what), _number(b, what))
    raise ExprError(f"the comparison is not allowed: {_ALLOWED}")


_ONE: dict[str, Callable[[Number], Number]] = {
    "abs": reals.absolute,
    "ceil": reals.ceil,
    "floor": reals.floor,
    "int": reals.trunc,
    "round": reals.round_even,
    "sqrt": reals.sqrt,
}
"""The functions of one number."""

_COUNTS = {1: "one argument", 2: "two arguments"}


def _call(function: str, arguments: list[_Code]) -> _Code:
    what = f"{function}()"
    if function in ("min", "max"):
        if not arguments:
            raise ExprError(f"{function}() needs one or more arguments")
        first = function == "min"

        def pick(names: Names) -> Number:
            best = _number(arguments[0](names), what)
            for argument in arguments[1:]:
                value = _number(argument(names), what)
                if reals.less(value, best, what) if first else reals.less(best, value, what):
                    best = value
            return best

        return pick
    counts = (1, 2) if function == "log" else (2,) if function in ("divisible", "pow") else (1,)
    if len(arguments) not in counts:
        takes = " or ".join(_COUNTS[c] for c in counts)
        raise ExprError(f"{FUNCTIONS[function]} takes {takes}, found {len(arguments)}")
    if function == "divisible":
        value, divisor = arguments
        return lambda names: _bounded(divisible(value(names), divisor(names)))
    if function == "pow":
        base, exponent = arguments
        return lambda names: reals.power(_number(base(names), what), _number(exponent(names), what))
    if function == "log":
        return lambda names: reals.log(*(_number(a(names), what) for a in arguments))
    one, [argument] = _ONE[function], arguments
    return lambda names: one(_number(argument(names), what))


def _known(names: Names) -> str:
    words = sorted(names)
    return "one of " + ", ".join(words) if words else "no names here"


_CACHE: dict[str, _Code] = {}


def compile_expression(text: str) -> _Code:
    """The evaluator of ``text``, made once and kept (a function of the names in scope).

    :raises ExprError: when ``text`` is too long, does not parse or holds what is not allowed."""
    code = _CACHE.get(text)
    if code is not None:
        return code
    if len(text) > MAX_LENGTH:
        raise ExprError(f"an expression of at most {MAX_LENGTH} characters, found one of {len(text):,}")
    if _TAKEN.search(text):
        raise ExprError(f"{_RESERVED!r} is not a name: expected in, in_h or in_w")
    source = _IN.sub(_RESERVED, text.strip())
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        raise ExprError("not a valid expression") from None
    for node in ast.walk(tree):  # a float literal is the decimal written: exact, and never infinite
        if isinstance(node, ast.Constant) and isinstance(node.value, float):
            node.value = _decimal(ast.get_source_segment(source, node) or repr(node.value))  # type: ignore[assignment]  # _compile reads it
    try:
        code = _compile(tree.body, 0)
    except RecursionError:
        raise ExprError(f"nesting deeper than {MAX_DEPTH} levels") from None
    if len(_CACHE) < 10_000:
        _CACHE[text] = code
    return code


_NAMES: dict[str, frozenset[str]] = {}


def names_in(text: str) -> frozenset[str]:
    """The names ``text`` reads (``in`` as written); empty when it does not parse."""
    names = _NAMES.get(text)
    if names is None:
        names = _names_in(text)
        if len(_NAMES) < 10_000:
            _NAMES[text] = names
    return names


def _names_in(text: str) -> frozenset[str]:
    if len(text) > MAX_LENGTH:
        return frozenset()
    try:
        tree = ast.parse(_IN.sub(_RESERVED, text.strip()), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return frozenset()
    return frozenset("in" if n.id == _RESERVED else n.id for n in ast.walk(tree) if isinstance(n, ast.Name))


def evaluate(text: str, names: Names) -> Value:
    """The value of ``text`` with ``names`` in scope (a fraction whole is an integer).

    :raises ExprError: when it is not allowed or its evaluation fails, or its value is irrational."""
    code = compile_expression(text)
    try:
        value = code(names)
        if isinstance(value, Real):
            raise ExprError(
                f"an irrational number (about {reals.about(value)}): log, sqrt and fractional powers make numbers"
                " that round(), ceil(), floor() or int() must make whole before they leave an expression"
            )
    except RealError as error:
        raise ExprError(error.message) from None
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return value  # type: ignore[no-any-return]


def show(value: object) -> str:
    """A value as an expression writes it (``3/4``, ``true``)."""
    return _show(value)
