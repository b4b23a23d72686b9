"""Numbers for people: exact integers with separators, short units (10.75M), ratios.

Rounding is done on integers (half up), never through binary floats, so the
display of a count never depends on float representation.
"""

from __future__ import annotations

from fractions import Fraction

_SUFFIX = {3: "K", 6: "M", 9: "G", 12: "T"}


def exact(n: int) -> str:
    """``10747904`` → ``10,747,904``."""
    return f"{n:,}"


def short(n: int, digits: int = 4) -> str:
    """A count with a unit suffix and ``digits`` significant digits, trailing zeros dropped.

    Suffixes are powers of 1000: K, M, G, T.

    >>> short(10747904), short(86400), short(656), short(10275), short(999_999)
    ('10.75M', '86.4K', '656', '10.28K', '1M')
    """
    if n < 0:
        return "-" + short(-n, digits)
    if n < 1000:
        return str(n)
    power = min(12, 3 * ((len(str(n)) - 1) // 3))
    scaled, decimals = _round(n, power, digits)
    if scaled >= 1000 * 10**decimals and power < 12:  # 999.95K rounds up to 1000K: say 1M
        power += 3
        scaled, decimals = _round(n, power, digits)
    return _fixed(scaled, decimals) + _SUFFIX[power]


def _round(n: int, power: int, digits: int) -> tuple[int, int]:
    """``n / 10**power`` rounded half up to ``digits`` significant digits, as (integer, decimals)."""
    scale = 10**power
    decimals = max(0, digits - len(str(n // scale)))
    return (n * 10**decimals * 2 + scale) // (2 * scale), decimals


def _fixed(scaled: int, decimals: int) -> str:
    text = str(scaled)
    if decimals == 0:
        return text
    text = text.rjust(decimals + 1, "0")
    head, tail = text[:-decimals], text[-decimals:].rstrip("0")
    return f"{head}.{tail}" if tail else head


def count(n: int, exact_digits: bool) -> str:
    """The display of a count: :func:`exact` when asked for, :func:`short` otherwise."""
    return exact(n) if exact_digits else short(n)


def ratio(value: Fraction) -> str:
    """A ratio with four significant digits: ``Fraction(137, 1152)`` → ``0.1189``."""
    return f"{float(value):.4g}"


def fewer(value: Fraction) -> str:
    """How many times fewer a ratio below 1 means: ``Fraction(137, 1152)`` → ``8.41× fewer``."""
    if value == 0:
        return "∞× fewer"
    inverse = 1 / value
    if inverse >= 1:
        return f"{float(inverse):.2f}× fewer"
    return f"{float(value):.2f}× more"


def percent(part: int, whole: int) -> str:
    """``part`` as a percentage of ``whole`` with two decimals: ``95.12%``."""
    if whole == 0:
        return "0.00%"
    return f"{float(Fraction(100 * part, whole)):.2f}%"
