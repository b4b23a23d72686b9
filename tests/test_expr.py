"""The expressions of blocks: a whitelist over Python's ast, exact arithmetic, bounded work."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dsc_cost.expr import MAX_BITS, MAX_LENGTH, ExprError, divisible, evaluate, names_in


@pytest.mark.parametrize(
    ("channels", "width", "expected"),
    [
        # torchvision's _make_divisible(v, 8): new = max(8, int(v + 4) // 8 * 8), plus 8 when new < 0.9 v
        (32, "0.5", 16),  # v = 16: int(20) // 8 * 8 = 16, not below 14.4
        (24, "0.75", 24),  # v = 18: int(22) // 8 * 8 = 16 < 16.2 = 0.9 v, so 16 + 8
        (16, "0.35", 8),  # v = 5.6: int(9.6) // 8 * 8 = 8, and at least 8
        (24, "1.4", 32),  # v = 33.6: int(37.6) // 8 * 8 = 32, not below 30.24
        (32, "1.4", 48),  # v = 44.8: int(48.8) // 8 * 8 = 48
        (96, "0.75", 72),  # v = 72, a multiple of 8 already
        (1280, "0.5", 640),
    ],
)
def test_divisible_rounds_mobilenet_v2_widths_as_torchvision_does(channels: int, width: str, expected: int) -> None:
    assert divisible(channels * Fraction(width), 8) == expected
    assert evaluate(f"divisible({channels} * {width}, 8)", {}) == expected


def test_arithmetic_is_exact_and_integer_division_floors() -> None:
    names = {"in": 24, "expand": 6, "kernel": 5, "stride": 1, "out": 24}
    assert evaluate("in * expand", names) == 144
    assert evaluate("kernel // 2", names) == 2
    assert evaluate("-7 // 2", names) == -4
    assert evaluate("in / 4 * 2", names) == 12  # a whole fraction is an integer
    assert evaluate("in / 5", names) == Fraction(24, 5)
    assert evaluate("0.1 + 0.2", {}) == Fraction(3, 10)  # decimals are exact
    assert evaluate("min(in, out // 2, 100) + max(1, 2)", names) == 14
    assert evaluate("stride == 1 and in == out", names) is True
    assert evaluate("not (stride == 1) or 1 < 2 <= 2", names) is True
    assert evaluate("kernel if stride == 1 else 1", names) == 5
    assert evaluate("in_h - 1", {"in_h": 7}) == 6
    assert names_in("in * expand + in_h") == {"in", "expand", "in_h"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "__import__('os')",
            "unknown function '__import__': expected abs, ceil, divisible, floor, int, log, max, min, pow, round"
            " or sqrt",
        ),
        ("cell(2.5)", "unknown function 'cell': expected abs, ceil, divisible, floor, int, log, max, min, pow,"),
        ("(1).real", "an attribute is not allowed"),
        ("x[0]", "indexing is not allowed"),
        ("lambda: 1", "lambda is not allowed"),
        ("2 ** 64", f"a number of more than {MAX_BITS} bits: 2 ** 64"),
        ("7 % 2", "'%' is not allowed: expected numbers, names, + - * / // **, comparisons, and/or/not, and the"),
        ("'a'", "'a' is not allowed: expected numbers and names"),
        ("True", "True is not allowed: expected numbers and names"),
        ("1 +", "not a valid expression"),
        ("x = 1", "not a valid expression"),
        ("1 // 0", "division by zero"),
        ("1 / (2 - 2)", "division by zero"),
        ("nope", "unknown name 'nope': expected one of in"),
        ("in_ + 1", "'in_' is not a name"),
        ("in + (1 == 1)", "'+' takes numbers, found true"),
        ("in and 1", "'and' takes true or false, found 8"),
        ("9" * 25, f"a number of more than {MAX_BITS} bits"),
        ("4294967296 * 4294967296", f"a number of more than {MAX_BITS} bits"),
        ("-" * 40 + "1", "nesting deeper than"),
        ("1 + " * 60 + "1", f"an expression of at most {MAX_LENGTH} characters"),
        ("divisible(0, 8)", "divisible(v, d) needs a positive number v, found 0"),
        ("divisible(8, 0)", "divisible(v, d) needs a positive integer d, found 0"),
        ("divisible(8)", "divisible(v, d) takes two arguments, found 1"),
        ("min()", "min() needs one or more arguments"),
        ("max(x=1)", "this call is not allowed"),
    ],
)
def test_what_is_not_allowed_or_fails_says_why(text: str, message: str) -> None:
    with pytest.raises(ExprError) as info:
        evaluate(text, {"in": 8})
    assert info.value.message.startswith(message)


@given(st.text(max_size=60))
def test_any_text_is_a_value_or_an_expression_error(text: str) -> None:
    try:
        value = evaluate(text, {"in": 8, "k": 3, "on": True, "word": "relu"})
    except ExprError as error:
        assert error.message
    else:
        assert isinstance(value, int | Fraction | bool | str)
