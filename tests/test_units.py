"""Human-readable numbers: rounding is exact and the suffixes are powers of 1000."""

from __future__ import annotations

import sys
from fractions import Fraction

import pytest

from dsc_cost import units


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0"),
        (999, "999"),
        (1_000, "1K"),
        (1_001, "1.001K"),
        (10_275, "10.28K"),  # 10.275 rounds half up, exactly (a float would say 10.27)
        (86_400, "86.4K"),
        (999_949, "999.9K"),
        (999_950, "1M"),  # 999.95K rounds to 1000.0K: the next unit up
        (10_747_904, "10.75M"),
        (568_740_352, "568.7M"),
        (4_231_976, "4.232M"),
        (1_800_000_000, "1.8G"),
        (2_500_000_000_000, "2.5T"),
        (-86_400, "-86.4K"),
    ],
)
def test_short(n: int, text: str) -> None:
    assert units.short(n) == text


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0 B"),
        (999, "999 B"),
        (1_000, "1 kB"),
        (1_728, "1.728 kB"),
        (13_824, "13.82 kB"),  # 13.824 kB to four digits
        (999_950, "1 MB"),  # 999.95 kB rounds to 1000.0 kB: the next unit up
        (6_322_000, "6.322 MB"),  # decimal units: 6,322,000 / 1000² (in MiB, 6,322,000 / 1024² = 6.029)
        (6_422_528, "6.423 MB"),  # 6.422528 rounds half up
        (14_020_000_000, "14.02 GB"),
        (2_039_000_000_000, "2.039 TB"),
        (10**16, "1e16 B"),  # past the largest unit, scientific as counts are
    ],
)
def test_byte_count_in_decimal_units(n: int, text: str) -> None:
    assert units.byte_count(n) == text
    assert units.byte_count(n, exact_digits=True) == f"{n:,} B"


def test_exact_and_count() -> None:
    assert units.exact(10_747_904) == "10,747,904"
    assert units.count(10_747_904, exact_digits=True) == "10,747,904"
    assert units.count(10_747_904, exact_digits=False) == "10.75M"


def test_ratio_fewer_percent() -> None:
    assert units.ratio(Fraction(137, 1152)) == "0.1189"
    assert units.fewer(Fraction(137, 1152)) == "8.41× fewer"  # 1152/137 = 8.4087…
    assert units.fewer(Fraction(3, 2)) == "1.50× more"
    assert units.percent(1, 3) == "33.33%"
    assert units.percent(0, 0) == "0.00%"


def test_writable_at_the_lowest_digit_limit_python_allows() -> None:
    """Python's limit on the digits of an integer it writes can be set no lower than 640: an integer of
    2,000 bits (603 digits: 2,000 · log10 2 = 602.06) is always written; 641 digits are not, at that limit."""
    if not hasattr(sys, "set_int_max_str_digits"):
        pytest.skip("this Python has no limit on the digits it writes")
    before = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    try:
        largest = (1 << 2000) - 1
        assert len(str(largest)) == 603 and units.writable(largest) and units.integer(largest) == str(largest)
        assert units.writable(10**639)  # 640 digits
        assert not units.writable(10**640) and units.integer(10**640) == "≈1e640"  # 641 digits
    finally:
        sys.set_int_max_str_digits(before)
