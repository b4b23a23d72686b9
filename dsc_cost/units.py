"""Numbers for people: exact integers with separators, short units (10.75M), ratios; and the
parsing of counts, fractions and percentages as people write them (``600M``, ``0.8``, ``2%``).

Rounding is done on integers (half up), never through binary floats, so the
display of a count never depends on float representation.
"""

from __future__ import annotations

import math
import re
import sys
from fractions import Fraction

from .errors import DscCostError

_SUFFIX = {3: "K", 6: "M", 9: "G", 12: "T"}
SCIENTIFIC_FROM = 10**15
"""Short forms of counts from this size on are scientific (``1.235e15``), past the largest suffix (T)."""


class TooLarge(DscCostError, ValueError):
    """A number too large for the output it must go to: an integer of more digits than Python
    writes (:func:`max_digits`) in JSON or CSV, or a ratio beyond the range of a float."""


def max_digits() -> int:
    """The most digits of an integer Python converts to or from text (4,300 unless the
    interpreter was told otherwise); 0: no limit."""
    return sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 0


def digits(n: int) -> int:
    """The number of decimal digits of ``|n|`` (1 for 0), found without writing ``n`` out.

    >>> digits(0), digits(999), digits(1000), digits(10**5000)
    (1, 3, 4, 5001)
    """
    n = abs(n)
    if n < SCIENTIFIC_FROM:
        return len(str(n))
    count = int(n.bit_length() * math.log10(2)) + 1
    return count - 1 if n < 10 ** (count - 1) else count


def writable_digits(count: int) -> bool:
    """Whether Python reads or writes an integer of ``count`` digits (at most :func:`max_digits`)."""
    limit = max_digits()
    return limit == 0 or count <= limit


def shorten(text: str, most: int = 80) -> str:
    """``text``, cut to ``most`` characters with ``…`` when longer: a value quoted in a message."""
    return text if len(text) <= most else text[: most - 1] + "…"


_ALWAYS_WRITABLE_BITS = 2_000
"""An integer of at most this many bits has at most 603 digits: Python writes it whatever its limit, which
can be set no lower than 640 digits."""


def writable(n: int) -> bool:
    """Whether Python can write ``n`` out in full (at most :func:`max_digits` digits)."""
    if n.bit_length() <= _ALWAYS_WRITABLE_BITS:  # every count of a real network: no need to count digits
        return True
    limit = max_digits()
    return limit == 0 or digits(n) <= limit


def scientific(value: int | Fraction, significant: int = 4) -> str:
    """``value`` with ``significant`` significant digits (rounded half up, trailing zeros dropped)
    in scientific notation, exactly, at any size: ``12345678901234567`` → ``1.235e16``.

    >>> scientific(12_345_678_901_234_567), scientific(10**5000), scientific(Fraction(1, 3), 3)
    ('1.235e16', '1e5000', '3.33e-1')
    """
    value = Fraction(value)
    if value < 0:
        return "-" + scientific(-value, significant)
    if value == 0:
        return "0"
    exponent = digits(value.numerator) - digits(value.denominator)  # 10**exponent is within 10× of value
    if value < Fraction(10) ** exponent:
        exponent -= 1
    scaled = value * Fraction(10) ** (significant - 1 - exponent)  # in [10**(significant-1), 10**significant)
    mantissa = int((scaled * 2 + 1) // 2)
    if mantissa >= 10**significant:  # 9.9996 rounds up to 10.00: one more digit before the point
        mantissa //= 10
        exponent += 1
    text = str(mantissa)
    head, tail = text[0], text[1:].rstrip("0")
    return f"{head}.{tail}e{exponent}" if tail else f"{head}e{exponent}"


def integer(n: int) -> str:
    """``n`` in full, or ``≈`` and :func:`scientific` with six digits when it has more digits
    than Python writes."""
    return str(n) if n.bit_length() <= _ALWAYS_WRITABLE_BITS or writable(n) else "≈" + scientific(n, 6)


def to_float(value: int | Fraction, what: str = "a ratio") -> float:
    """``float(value)``, or :class:`TooLarge` when it is beyond the range of a float (1.8e308)."""
    try:
        return float(value)
    except OverflowError:
        raise TooLarge(
            f"value too large: {what} of {scientific(value)} is beyond the range of a float (as JSON writes it)"
        ) from None


def exact(n: int) -> str:
    """``10747904`` → ``10,747,904``; a number of more digits than Python writes (4,300) is
    shown as :func:`integer` shows it."""
    return f"{n:,}" if writable(n) else integer(n)


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
    if n >= SCIENTIFIC_FROM:
        return scientific(n, digits)
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


_BYTE_UNITS = {"K": " kB", "M": " MB", "G": " GB", "T": " TB"}


def byte_count(n: int, exact_digits: bool = False) -> str:
    """A number of bytes: ``13,824 B`` exactly, or short in decimal units, powers of 1000 (``13.82 kB``,
    ``6.322 MB``: torchinfo's MB), as every table, Markdown document and report page writes bytes.

    >>> byte_count(13824), byte_count(13824, True), byte_count(512), byte_count(6_322_000), byte_count(10**16)
    ('13.82 kB', '13,824 B', '512 B', '6.322 MB', '1e16 B')
    """
    if exact_digits or n < 1000:
        return f"{exact(n)} B"
    text = short(n)
    return text[:-1] + _BYTE_UNITS[text[-1]] if text[-1] in _BYTE_UNITS else f"{text} B"


_TIME_UNITS = ((1, "s"), (1000, "ms"), (1000_000, "µs"), (1000_000_000, "ns"))


def seconds(value: Fraction) -> str:
    """A time in the unit that makes it at least 1 (down to ns), four significant digits.

    >>> seconds(Fraction(3, 1000)), seconds(Fraction(12345, 10**9)), seconds(Fraction(5, 2)), seconds(Fraction(0))
    ('3 ms', '12.35 µs', '2.5 s', '0 s')
    """
    if value == 0:
        return "0 s"
    for scale, unit in _TIME_UNITS:
        if value * scale >= 1 or unit == "ns":
            scaled = value * scale
            if scaled >= SCIENTIFIC_FROM:
                return f"{scientific(scaled, 4)} {unit}"
            return f"{float(scaled):.4g} {unit}"
    raise AssertionError  # pragma: no cover


def count(n: int, exact_digits: bool) -> str:
    """The display of a count: :func:`exact` when asked for, :func:`short` otherwise."""
    return exact(n) if exact_digits else short(n)


def ratio(value: Fraction) -> str:
    """A ratio with four significant digits: ``Fraction(137, 1152)`` → ``0.1189``; scientific
    beyond the range of ``%g`` (``1.235e400``)."""
    if value and not Fraction(1, SCIENTIFIC_FROM) <= abs(value) < SCIENTIFIC_FROM:
        return scientific(value, 4)
    return f"{float(value):.4g}"


def _times(value: Fraction) -> str:
    return scientific(value, 3) if value >= SCIENTIFIC_FROM else f"{float(value):.2f}"


def fewer(value: Fraction) -> str:
    """How many times fewer a ratio below 1 means: ``Fraction(137, 1152)`` → ``8.41× fewer``."""
    if value == 0:
        return "∞× fewer"
    inverse = 1 / value
    if inverse >= 1:
        return f"{_times(inverse)}× fewer"
    return f"{_times(value)}× more"


def percent(part: int, whole: int) -> str:
    """``part`` as a percentage of ``whole`` with two decimals: ``95.12%``."""
    if whole == 0:
        return "0.00%"
    value = Fraction(100 * part, whole)
    if abs(value) >= SCIENTIFIC_FROM:
        return scientific(value, 4) + "%"
    return f"{float(value):.2f}%"


# ---------------------------------------------------------------- parsing numbers people write

_POWERS = {"k": 1, "m": 2, "g": 3, "t": 4}  # a suffix is 1000 to this power
_DIGITS = r"\d(?:_?\d)*"  # 750_000: an underscore only between two digits
_COUNT = re.compile(
    rf"(?P<minus>-)?(?P<whole>{_DIGITS})(?:\.(?P<decimals>{_DIGITS}))?"
    r"(?:[eE](?P<exponent>[+-]?\d{1,3}))?(?P<suffix>[kKmMgGtT])?"
)
_PERCENT = re.compile(rf"(?P<minus>-)?(?P<whole>{_DIGITS})(?:\.(?P<decimals>{_DIGITS}))?(?P<percent>%)?")
_LONGEST = 64  # characters; longer text is not a number anyone meant


class NumberError(ValueError):
    """Text that is not the number it should be: ``expected`` says what was wanted,
    ``found`` is the text itself, ``note`` (possibly empty) what the text works out to."""

    def __init__(self, expected: str, found: str, note: str = "") -> None:
        self.expected = expected
        self.found = found
        self.note = note
        super().__init__(f"expected {expected}, found {shorten(found)!r}{note}")


COUNT_EXAMPLES = "600M, 4.5m, 1.2G, 750_000 or 1.2e9"


def _decimal(whole: str, decimals: str | None) -> Fraction:
    """``whole.decimals`` (underscores allowed) as an exact fraction."""
    digits = (decimals or "").replace("_", "")
    return Fraction(int(whole.replace("_", "") + digits), 10 ** len(digits))


def parse_count(text: str) -> int:
    """A positive whole count as people write it, exactly: digits with ``_`` separators,
    decimals, and either a suffix K, M, G or T (powers of 1000, either case) or plain
    scientific notation, never both.

    >>> parse_count("600M"), parse_count("4.5m"), parse_count("1.2G"), parse_count("750_000"), parse_count("1.2e9")
    (600000000, 4500000, 1200000000, 750000, 1200000000)

    :raises NumberError: for anything else: ``6OOM``, ``-1``, ``0``, ``4.5`` (not whole), ``1e3M``.
    """
    stripped = text.strip()
    match = _COUNT.fullmatch(stripped) if len(stripped) <= _LONGEST else None
    if match is None:
        raise NumberError(f"a count such as {COUNT_EXAMPLES}", text)
    if match["exponent"] is not None and match["suffix"] is not None:
        raise NumberError("scientific notation or a K, M, G, T suffix, not both (1.2e9 or 1.2G)", text)
    value = _decimal(match["whole"], match["decimals"])
    if match["exponent"] is not None:
        value *= Fraction(10) ** int(match["exponent"])
    if match["suffix"] is not None:
        value *= 1000 ** _POWERS[match["suffix"].lower()]
    if match["minus"] or value == 0:
        raise NumberError("a positive count", text)
    if value.denominator != 1:
        scaled = match["exponent"] is not None or match["suffix"] is not None
        raise NumberError("a whole count", text, f" (= {_plain(value)})" if scaled else "")
    return value.numerator


def _plain(value: Fraction) -> str:
    """A fraction with a finite decimal expansion, written out: ``Fraction(9, 2)`` → ``4.5``."""
    whole, rest = divmod(value, 1)
    digits = ""
    while rest and len(digits) < 12:
        rest *= 10
        digit, rest = divmod(rest, 1)
        digits += str(digit)
    return f"{whole}.{digits}" if digits else str(whole)


def parse_fraction(text: str) -> Fraction:
    """A fraction from 0 to below 1, written as a decimal (``0.8``) or a percentage (``80%``), exactly.

    >>> parse_fraction("0.8"), parse_fraction("82.5%")
    (Fraction(4, 5), Fraction(33, 40))

    :raises NumberError: for anything else, 1 (100%) and above included.
    """
    stripped = text.strip()
    match = _PERCENT.fullmatch(stripped) if len(stripped) <= _LONGEST else None
    expected = "a fraction from 0 to below 1, such as 0.8 or 80%"
    if match is None or match["minus"]:
        raise NumberError(expected, text)
    value = _decimal(match["whole"], match["decimals"]) / (100 if match["percent"] else 1)
    if value >= 1:
        raise NumberError(expected, text)
    return value


def parse_percent(text: str) -> Fraction:
    """A non-negative percentage, with or without ``%``, as the fraction it means, exactly.

    >>> parse_percent("2"), parse_percent("0.5%")
    (Fraction(1, 50), Fraction(1, 200))

    :raises NumberError: for anything else (negative numbers included).
    """
    stripped = text.strip()
    match = _PERCENT.fullmatch(stripped) if len(stripped) <= _LONGEST else None
    if match is None or match["minus"]:
        raise NumberError("a percentage of 0 or more, such as 2 or 0.5%", text)
    return _decimal(match["whole"], match["decimals"]) / 100


def percent_of(value: Fraction, decimals: int = 2) -> str:
    """A fraction as a percentage rounded half up to at most ``decimals`` decimals, trailing
    zeros dropped: ``Fraction(4, 5)`` → ``80%``, ``Fraction(33, 40)`` → ``82.5%``."""
    sign = "-" if value < 0 else ""
    if abs(value) * 100 >= SCIENTIFIC_FROM:
        return sign + scientific(abs(value) * 100, 4) + "%"
    scaled = (abs(value) * 100 * 10**decimals * 2 + 1) // 2
    return sign + _fixed(int(scaled), decimals) + "%"


_BYTES = re.compile(
    rf"(?P<whole>{_DIGITS})(?:\.(?P<decimals>{_DIGITS}))?\s*(?:(?P<prefix>[kKmMgGtT])(?P<binary>i)?)?(?:B|b)?"
)
BYTES_EXAMPLES = "512K, 2MiB, 1.5M or 65536"


def parse_bytes(text: str) -> int:
    """A positive whole number of bytes as people write it, exactly: ``512K`` (K, M, G, T: powers of
    1000), ``2MiB`` (Ki, Mi, Gi, Ti: powers of 1024), ``B`` optional, decimals allowed when the
    result is whole.

    >>> parse_bytes("512K"), parse_bytes("2MiB"), parse_bytes("1.5M"), parse_bytes("65536"), parse_bytes("4 KB")
    (512000, 2097152, 1500000, 65536, 4000)

    :raises NumberError: for anything else: ``0``, ``-1``, ``1.5`` (not whole), ``2X``.
    """
    stripped = text.strip()
    match = _BYTES.fullmatch(stripped) if len(stripped) <= _LONGEST else None
    if match is None:
        raise NumberError(f"a size in bytes such as {BYTES_EXAMPLES}", text)
    value = _decimal(match["whole"], match["decimals"])
    if match["prefix"]:
        power = "kmgt".index(match["prefix"].lower()) + 1
        value *= (1024 if match["binary"] else 1000) ** power
    if value == 0:
        raise NumberError("a positive size in bytes", text)
    if value.denominator != 1:
        raise NumberError("a whole number of bytes", text, f" (= {_plain(value)})")
    return value.numerator


_SECONDS = re.compile(rf"(?P<whole>{_DIGITS})(?:\.(?P<decimals>{_DIGITS}))?\s*(?P<unit>s|ms|us|µs|ns)?")
_PER_SECOND = {None: 1, "s": 1, "ms": 1000, "us": 1000_000, "µs": 1000_000, "ns": 1000_000_000}


def parse_seconds(text: str) -> Fraction:
    """A positive time, exactly, in seconds: ``3ms``, ``250us`` (or ``µs``), ``40ns``, ``0.5s`` or ``0.5``.

    >>> parse_seconds("3ms"), parse_seconds("0.5"), parse_seconds("250 µs")
    (Fraction(3, 1000), Fraction(1, 2), Fraction(1, 4000))

    :raises NumberError: for anything else, 0 included.
    """
    stripped = text.strip()
    match = _SECONDS.fullmatch(stripped) if len(stripped) <= _LONGEST else None
    if match is None or _decimal(match["whole"], match["decimals"]) == 0:
        raise NumberError("a positive time such as 3ms, 250us, 0.5s", text)
    return _decimal(match["whole"], match["decimals"]) / _PER_SECOND[match["unit"]]
