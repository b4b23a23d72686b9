"""The numbers of expressions: rationals exact, and what ``log``, ``sqrt`` and fractional powers make, enclosed.

A rational operand gives a rational result wherever one exists: ``sqrt(9/4)`` is 3/2, ``8 ** (1/3)`` is 2,
``log(8, 2)`` is 3, ``2.52 ** 3`` is 250047/15625. Where the result is irrational it is a :class:`Real`: a rule
that gives, for a precision of ``bits``, two fractions ``lo ≤ x ≤ hi`` that enclose the true number, narrower
as ``bits`` grows. Arithmetic on reals makes reals; a decision about one (its floor, ceiling, rounding or
truncation, its sign, a comparison) asks for enclosures at :data:`PRECISIONS` in turn and answers only when the
whole enclosure gives one answer. An answer is therefore the true number's, never a float's guess; when even
:data:`MAX_PRECISION` bits cannot tell (``floor(log(8) / log(2))``: the quotient is 3 exactly, but every
enclosure of it straddles 3), the decision is refused with :class:`RealError`.

Bounded: no number of more than :data:`MAX_BITS` bits (a rational's numerator or denominator, a real's
magnitude), checked before a power is made, so ``2 ** 10 ** 10`` is refused at once; an irrational base takes
integer exponents of at most :data:`MAX_BITS`.

Pure: integers, fractions and :mod:`decimal`, whose ``ln`` and ``exp`` are correctly rounded.

>>> floor(mul(log(2), 10)), round_even(mul(sqrt(2), 100)), power(Fraction("2.52"), 3)
(6, 141, Fraction(250047, 15625))
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal, localcontext
from fractions import Fraction
from typing import TypeVar

MAX_BITS = 64
"""The most bits of any number an expression makes (numerators and denominators, a real's magnitude)."""

PRECISIONS = (64, 128, 256)
"""The precisions, in bits, at which a decision about a real is tried in turn."""

MAX_PRECISION = PRECISIONS[-1]

_EXP_LIMIT = Fraction(45)
"""exp(45) > 2**64 and exp(-45) < 2**-64: an exponent beyond ±45 makes a number of more than :data:`MAX_BITS`
bits."""

Rational = int | Fraction
Interval = tuple[Fraction, Fraction]
T = TypeVar("T")


class RealError(Exception):
    """A number that cannot be made (out of bounds, out of a function's domain) or decided: ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Real:
    """A number known by enclosures (see the module's text); ``bounds(bits)`` gives one."""

    __slots__ = ("_enclose", "_known")

    def __init__(self, enclose: Callable[[int], Interval]) -> None:
        self._enclose = enclose
        self._known: dict[int, Interval] = {}

    def bounds(self, bits: int) -> Interval:
        """Fractions ``lo ≤ x ≤ hi``, about ``bits`` significant bits each.

        :raises RealError: when the number is beyond :data:`MAX_BITS` bits."""
        known = self._known.get(bits)
        if known is None:
            lo, hi = self._enclose(bits)
            limit = 2**MAX_BITS
            if hi >= limit or lo <= -limit:
                raise RealError(f"a number of more than {MAX_BITS} bits")
            known = self._known[bits] = (_grid(lo, bits, up=False), _grid(hi, bits, up=True))
        return known

    def __repr__(self) -> str:
        return f"Real(about {about(self)})"


Number = Rational | Real


def bounds(x: Number, bits: int) -> Interval:
    """An enclosure of ``x`` (a rational is its own)."""
    if isinstance(x, Real):
        return x.bounds(bits)
    q = Fraction(x)
    return q, q


def about(x: Number) -> str:
    """``x`` to 7 significant digits, for messages (``1.414214``)."""
    lo, hi = bounds(x, PRECISIONS[0])
    return f"{float((lo + hi) / 2):.7g}"


def _grid(x: Fraction, bits: int, up: bool) -> Fraction:
    """``x`` rounded down (or up) to ``bits`` + 2 significant bits, and to a multiple of 2 ** -(``bits`` +
    :data:`MAX_BITS` + 2): an enclosure stays small however it is made."""
    if x.denominator == 1:
        return x
    shift = min(bits + 2 - x.numerator.bit_length() + x.denominator.bit_length(), bits + MAX_BITS + 2)
    scaled = x * 2**shift if shift >= 0 else x / 2**-shift
    whole = -(-scaled.numerator // scaled.denominator) if up else scaled.numerator // scaled.denominator
    return Fraction(whole, 2**shift) if shift >= 0 else Fraction(whole * 2**-shift)


def _rational(x: Fraction) -> Rational:
    """``x`` within :data:`MAX_BITS` bits, an integer when whole.

    :raises RealError: when it is beyond them."""
    if x.numerator.bit_length() > MAX_BITS or x.denominator.bit_length() > MAX_BITS:
        raise RealError(f"a number of more than {MAX_BITS} bits")
    return x.numerator if x.denominator == 1 else x


# ---------------------------------------------------------------- decisions


def decide(x: Number, answer: Callable[[Fraction, Fraction], T | None], what: str) -> T:
    """``answer(lo, hi)`` of the first enclosure of ``x`` for which it is not ``None``.

    :raises RealError: when none is, up to :data:`MAX_PRECISION` bits (``what`` names the decision)."""
    for bits in PRECISIONS:
        found = answer(*bounds(x, bits))
        if found is not None:
            return found
    raise RealError(
        f"{what} cannot be decided: about {about(x)}, too close to call at {MAX_PRECISION} bits (an irrational"
        " number computed from log, sqrt or a fractional power; written exactly, such as log(x, b) for"
        " log(x) / log(b), it can)"
    )


def _monotone(function: Callable[[Fraction], int]) -> Callable[[Fraction, Fraction], int | None]:
    def answer(lo: Fraction, hi: Fraction) -> int | None:
        low = function(lo)
        return low if low == function(hi) else None

    return answer


def floor(x: Number) -> int:
    """The largest integer ≤ ``x``."""
    return math.floor(x) if not isinstance(x, Real) else decide(x, _monotone(math.floor), "floor()")


def ceil(x: Number) -> int:
    """The smallest integer ≥ ``x``."""
    return math.ceil(x) if not isinstance(x, Real) else decide(x, _monotone(math.ceil), "ceil()")


def trunc(x: Number) -> int:
    """``x`` without its fraction, toward zero (Python's ``int()``)."""
    return math.trunc(x) if not isinstance(x, Real) else decide(x, _monotone(math.trunc), "int()")


def round_even(x: Number) -> int:
    """The nearest integer to ``x``, a half to the even one (Python's and torch's ``round``)."""
    return round(x) if not isinstance(x, Real) else decide(x, _monotone(round), "round()")


def sign(x: Number, what: str) -> int:
    """-1, 0 or 1 as ``x`` is negative, zero or positive (``what`` names the decision in a refusal)."""

    def answer(lo: Fraction, hi: Fraction) -> int | None:
        if lo > 0:
            return 1
        if hi < 0:
            return -1
        return 0 if lo == hi == 0 else None

    return decide(x, answer, what)


def _within(x: Number, bits: int, start: int) -> Interval:
    """The enclosure of ``x`` at ``bits`` within that at ``start`` (both hold it; each may be the narrower)."""
    lo, hi = bounds(x, bits)
    first, last = bounds(x, start)
    return max(lo, first), min(hi, last)


def _away_from_zero(x: Number) -> int:
    """The first precision at which ``x``'s enclosure leaves zero out.

    :raises RealError: when ``x`` is zero, or too close to it to tell."""
    if sign(x, "the sign of a divisor") == 0:
        raise RealError("division by zero")
    return next(bits for bits in PRECISIONS if bounds(x, bits)[0] > 0 or bounds(x, bits)[1] < 0)


# ---------------------------------------------------------------- arithmetic


def add(a: Number, b: Number) -> Number:
    if not isinstance(a, Real) and not isinstance(b, Real):
        return _rational(Fraction(a) + b)

    def enclose(bits: int) -> Interval:
        (alo, ahi), (blo, bhi) = bounds(a, bits), bounds(b, bits)
        return alo + blo, ahi + bhi

    return Real(enclose)


def neg(a: Number) -> Number:
    if not isinstance(a, Real):
        return -a

    def enclose(bits: int) -> Interval:
        lo, hi = a.bounds(bits)
        return -hi, -lo

    return Real(enclose)


def sub(a: Number, b: Number) -> Number:
    return add(a, neg(b))


def mul(a: Number, b: Number) -> Number:
    if not isinstance(a, Real) and not isinstance(b, Real):
        return _rational(Fraction(a) * b)

    def enclose(bits: int) -> Interval:
        (alo, ahi), (blo, bhi) = bounds(a, bits), bounds(b, bits)
        products = (alo * blo, alo * bhi, ahi * blo, ahi * bhi)
        return min(products), max(products)

    return Real(enclose)


def div(a: Number, b: Number) -> Number:
    if not isinstance(b, Real):
        if b == 0:
            raise RealError("division by zero")
        if not isinstance(a, Real):
            return _rational(Fraction(a) / b)
        return mul(a, Fraction(1) / b)
    start = _away_from_zero(b)

    def inverse(bits: int) -> Interval:
        lo, hi = _within(b, bits, start)
        return 1 / hi, 1 / lo

    return mul(a, Real(inverse))


def floordiv(a: Number, b: Number) -> int:
    """``a // b``: the floor of the quotient."""
    return floor(div(a, b))


def absolute(a: Number) -> Number:
    if isinstance(a, int):
        return abs(a)
    if isinstance(a, Fraction):
        return abs(a)
    return a if sign(a, "abs()") >= 0 else neg(a)


def less(a: Number, b: Number, what: str) -> bool:
    """Whether ``a < b``."""
    if not isinstance(a, Real) and not isinstance(b, Real):
        return a < b
    return sign(sub(a, b), what) < 0


def equal(a: Number, b: Number, what: str) -> bool:
    """Whether ``a == b``."""
    if not isinstance(a, Real) and not isinstance(b, Real):
        return a == b
    return sign(sub(a, b), what) == 0


# ---------------------------------------------------------------- powers, roots and logarithms


def _integer_power(a: Fraction, n: int) -> Rational:
    """``a ** n`` exactly, refused before it is made when it would pass :data:`MAX_BITS` bits."""
    if a == 0:
        if n < 0:
            raise RealError("division by zero")
        return 1 if n == 0 else 0
    if abs(a.numerator) != 1 or a.denominator != 1:
        widest = max(abs(a.numerator).bit_length(), a.denominator.bit_length())
        if abs(n) * (widest - 1) + 1 > MAX_BITS:  # a ** n has at least that many bits
            raise RealError(f"a number of more than {MAX_BITS} bits: {_show(a)} ** {n}")
    return _rational(a**n)


def _real_power(a: Real, n: int) -> Number:
    if abs(n) > MAX_BITS:
        raise RealError(f"an exponent of at most {MAX_BITS} for an irrational base, found {n}")
    if n == 0:
        return 1
    if n < 0:
        return div(1, _real_power(a, -n))

    def enclose(bits: int) -> Interval:
        lo, hi = a.bounds(bits)
        ends = (lo**n, hi**n)
        if n % 2 == 0 and lo < 0 < hi:
            return Fraction(0), max(ends)
        return min(ends), max(ends)

    return Real(enclose)


def _root(n: int, q: int) -> int | None:
    """The integer ``q``-th root of ``n ≥ 0``, when ``n`` has one."""
    if n < 2:
        return n
    if q >= n.bit_length():  # 2 ** q > n: no root but 1, which n is not
        return None
    guess = round(n ** (1 / q))
    return next((r for r in (guess - 1, guess, guess + 1) if r >= 0 and r**q == n), None)


def power(a: Number, b: Number) -> Number:
    """``a ** b``: exact for a rational ``a`` and an integer ``b``, or where a rational root exists; a real
    otherwise (``a`` must then be positive)."""
    if not isinstance(b, Real) and Fraction(b).denominator == 1:
        n = int(b)
        return _real_power(a, n) if isinstance(a, Real) else _integer_power(Fraction(a), n)
    if not isinstance(a, Real):
        base = Fraction(a)
        if base < 0:
            raise RealError(f"a negative number to a fractional power: {_show(base)} ** {_shown(b)}")
        if base == 0:
            if sign(b, "'**'") <= 0:
                raise RealError("division by zero")
            return 0
        if not isinstance(b, Real):
            p, q = Fraction(b).numerator, Fraction(b).denominator
            top, bottom = _root(base.numerator, q), _root(base.denominator, q)
            if top is not None and bottom is not None:
                return _integer_power(Fraction(top, bottom), p)
    elif sign(a, "'**'") <= 0:
        raise RealError(f"a number that is not positive to a fractional power: about {about(a)} ** {_shown(b)}")
    return exp(mul(b, log(a)))


def _decimal_function(name: str, x: Fraction, bits: int, up: bool) -> Fraction:
    """``x.ln()``, ``x.exp()``: a bound of the function at ``x`` (below, or above with ``up``), the argument
    rounded the same way; the function is increasing and correctly rounded (within half a unit in the last
    digit, so one unit is a safe margin)."""
    digits = bits * 3 // 10 + 12
    with localcontext(Context(prec=digits, rounding=ROUND_CEILING if up else ROUND_FLOOR)) as context:
        argument = Decimal(x.numerator) / Decimal(x.denominator)
        result = argument.ln(context) if name == "ln" else argument.exp(context)
    unit = Fraction(Decimal(1).scaleb(result.adjusted() - digits + 1))
    return Fraction(result) + unit if up else Fraction(result) - unit


def log(x: Number, base: Number | None = None) -> Number:
    """The natural logarithm of ``x``, or its logarithm to ``base``: exact where it is rational
    (``log(1)`` is 0, ``log(8, 2)`` 3, ``log(2, 4)`` 1/2)."""
    if base is not None:
        exact = _exact_log(x, base)
        if exact is not None:
            return exact
        return div(log(x), log(base))
    if not isinstance(x, Real):
        if x <= 0:
            raise RealError(f"log() needs a positive number, found {_plain(x)}")
        if x == 1:
            return 0
    start = _positive(x, "log()")

    def enclose(bits: int) -> Interval:
        lo, hi = _within(x, bits, start)
        return _decimal_function("ln", lo, bits, up=False), _decimal_function("ln", hi, bits, up=True)

    return Real(enclose)


def _positive(x: Number, what: str) -> int:
    """The first precision at which ``x``'s enclosure is above zero.

    :raises RealError: when ``x`` is not positive."""
    if sign(x, what) <= 0:
        raise RealError(f"{what} needs a positive number, found about {about(x)}")
    return next(bits for bits in PRECISIONS if bounds(x, bits)[0] > 0)


def _exact_log(x: Number, base: Number) -> Rational | None:
    """``log(x, base)`` when both are rational and it is too: ``x ** q == base ** p``."""
    if isinstance(x, Real) or isinstance(base, Real):
        if not isinstance(base, Real) and base == 1:
            raise RealError("log(x, b) needs a base b other than 1")
        return None
    if base <= 0 or base == 1:
        raise RealError(f"log(x, b) needs a positive base b other than 1, found {_plain(base)}")
    if x <= 0:
        raise RealError(f"log() needs a positive number, found {_plain(x)}")
    guess = Fraction(math.log(x) / math.log(base)).limit_denominator(MAX_BITS)
    try:
        if _integer_power(Fraction(x), guess.denominator) == _integer_power(Fraction(base), guess.numerator):
            return _rational(guess)
    except RealError:
        pass
    return None


def exp(y: Number) -> Number:
    """e to the power ``y``.

    :raises RealError: when the result is beyond :data:`MAX_BITS` bits."""
    if not isinstance(y, Real) and y == 0:
        return 1

    def enclose(bits: int) -> Interval:
        lo, hi = bounds(y, bits)
        if lo > _EXP_LIMIT or hi < -_EXP_LIMIT or hi > 2 * _EXP_LIMIT:
            raise RealError(f"a number of more than {MAX_BITS} bits")
        below = _decimal_function("exp", lo, bits, up=False) if lo >= -_EXP_LIMIT else Fraction(0)  # exp > 0
        return max(below, Fraction(0)), _decimal_function("exp", hi, bits, up=True)

    return Real(enclose)


def sqrt(x: Number) -> Number:
    """The square root of ``x ≥ 0``: exact when ``x`` is the square of a rational."""
    if not isinstance(x, Real):
        q = Fraction(x)
        if q < 0:
            raise RealError(f"sqrt() needs a number that is not negative, found {_plain(q)}")
        top, bottom = math.isqrt(q.numerator), math.isqrt(q.denominator)
        if top * top == q.numerator and bottom * bottom == q.denominator:
            return _rational(Fraction(top, bottom))
    elif sign(x, "sqrt()") < 0:
        raise RealError(f"sqrt() needs a number that is not negative, found about {about(x)}")

    def enclose(bits: int) -> Interval:
        lo, hi = bounds(x, bits)
        scale = 4 ** (bits + 2)  # an integer square root of the number times 2 ** (2 (bits + 2)), exact
        below = math.isqrt(max(lo, Fraction(0)) * scale // 1)
        above = math.isqrt(-(-hi * scale // 1)) + 1
        return Fraction(below, 2 ** (bits + 2)), Fraction(above, 2 ** (bits + 2))

    return Real(enclose)


def _show(q: Fraction) -> str:
    """``q`` as an operand of ``**`` writes it: ``2``, ``(-8)``, ``(11/10)``."""
    if q.denominator == 1:
        return str(q.numerator) if q >= 0 else f"({q.numerator})"
    return f"({q.numerator}/{q.denominator})"


def _shown(x: Number) -> str:
    return f"about {about(x)}" if isinstance(x, Real) else _show(Fraction(x))


def _plain(x: Rational) -> str:
    q = Fraction(x)
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"
