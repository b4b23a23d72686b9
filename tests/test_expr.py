"""The expressions of blocks: a whitelist over Python's ast, exact arithmetic, bounded work."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import Run
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


# ---------------------------------------------------------------- ceil, floor, round, int, abs, powers, log, sqrt


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ceil(3 * 1.1)", 4),  # EfficientNet-B1's repeats: int(math.ceil(3 * 1.1)) = ceil(3.3) = 4
        ("ceil(4 * 1.1)", 5),  # 4.4
        ("ceil(2 * 1.2)", 3),  # B2: 2.4
        ("ceil(-3/2)", -1),
        ("floor(7 / 2)", 3),
        ("floor(-7 / 2)", -4),
        ("round(2.5)", 2),  # half to even, as Python and torch.round
        ("round(3.5)", 4),
        ("round(-2.5)", -2),
        ("round(2.51)", 3),
        ("int(7 / 2)", 3),  # toward zero, as Python's int()
        ("int(-7 / 2)", -3),
        ("abs(-3 / 4)", Fraction(3, 4)),
        ("abs(5 - 8)", 3),
        ("2 ** 10", 1024),
        ("2 ** -2", Fraction(1, 4)),
        ("-2 ** 2", -4),  # Python's precedence: -(2 ** 2)
        ("2 ** 3 ** 2", 512),  # right to left: 2 ** 9
        ("1.5 ** 2", Fraction(9, 4)),
        ("pow(2.52, 3)", Fraction(250047, 15625)),  # 252³ / 100³, reduced
        ("8 ** (1/3)", 2),  # a rational root is exact
        ("(9/4) ** 0.5", Fraction(3, 2)),
        ("(9/4) ** -1.5", Fraction(8, 27)),
        ("1 ** 10000000000", 1),
        ("0 ** 0", 1),
        ("sqrt(16 / 9)", Fraction(4, 3)),
        ("sqrt(0)", 0),
        ("log(1)", 0),
        ("log(8, 2)", 3),
        ("log(1 / 8, 2)", -3),
        ("log(2, 4)", Fraction(1, 2)),  # 4 ** (1/2) = 2
        ("log(1000, 10)", 3),
        ("floor(sqrt(2) * 1000000)", 1414213),  # √2 = 1.41421356…
        ("round(log(2) * 1000)", 693),  # ln 2 = 0.693147…
        ("round(log(10) * 1000)", 2303),  # ln 10 = 2.302585…
        ("ceil(2 ** 0.5 * 100)", 142),
        ("floor(100 * 1.1 ** 0.5)", 104),  # √1.1 = 1.0488…
        ("round(log(8) / log(2))", 3),  # the quotient is 3 exactly: its enclosures straddle 3, but not 2.5 or 3.5
        ("int(-sqrt(2))", -1),
        ("sqrt(2) < 1.4143 and sqrt(2) > 1.4142", True),
        ("min(sqrt(2), 1.5) < 1.5", True),
        ("divisible(sqrt(2) * 100, 8)", 144),  # 141.42…: 145.42 // 8 * 8 = 144, not below 127.3
        ("log(2) == log(3)", False),
        ("sqrt(2) != 1", True),
        ("round(10 ** 18.5)", 3162277660168379332),  # 10¹⁸·√10 = 3,162,277,660,168,379,332.0…
    ],
)
def test_functions_by_hand(text: str, expected: object) -> None:
    value = evaluate(text, {})
    assert value == expected and type(value) is type(expected)


def test_regnet_widths_from_w0_wa_wm_as_torchvision_computes_them() -> None:
    # torchvision's regnet_y_400mf: BlockParams.from_init_params(depth=16, w_0=48, w_a=27.89, w_m=2.09,
    # group_width=8) gives widths [48, 104, 208, 440] and depths [1, 3, 6, 6] (torchvision/models/regnet.py:
    # block_capacity = round(log(w_cont / w_0) / log(w_m)), width = round(w_0 * w_m ** capacity / 8) * 8)
    names = {"w0": 48, "wa": Fraction("27.89"), "wm": Fraction("2.09")}
    capacity = "round(log((w0 + i * wa) / w0) / log(wm))"
    widths = [evaluate(f"round(w0 * wm ** {capacity} / 8) * 8", {**names, "i": i}) for i in range(16)]
    assert sorted(set(widths)) == [48, 104, 208, 440]
    assert [widths.count(w) for w in (48, 104, 208, 440)] == [1, 3, 6, 6]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sqrt(2)", "an irrational number (about 1.414214): log, sqrt and fractional powers make numbers that"),
        ("log(3) + 1", "an irrational number (about 2.098612)"),
        ("floor(log(8) / log(2))", "floor() cannot be decided: about 3, too close to call at 256 bits"),
        ("sqrt(2) ** 2 == 2", "'==' cannot be decided"),
        ("1 / (sqrt(2) - sqrt(2))", "the sign of a divisor cannot be decided"),
        ("2 ** 10 ** 10", f"a number of more than {MAX_BITS} bits: 2 ** 10000000000"),
        ("1.1 ** 100", f"a number of more than {MAX_BITS} bits: (11/10) ** 100"),
        ("0.5 ** 65", f"a number of more than {MAX_BITS} bits: (1/2) ** 65"),
        ("10 ** 19.5", f"a number of more than {MAX_BITS} bits"),  # 3.2e19 > 2 ** 64
        ("sqrt(2) ** 65", f"an exponent of at most {MAX_BITS} for an irrational base, found 65"),
        ("0 ** -1", "division by zero"),
        ("0 ** -0.5", "division by zero"),
        ("(-8) ** (1/3)", "a negative number to a fractional power: (-8) ** (1/3)"),
        ("(1 - sqrt(2)) ** 0.5", "a number that is not positive to a fractional power: about -0.4142136 ** (1/2)"),
        ("log(0)", "log() needs a positive number, found 0"),
        ("log(-1/2)", "log() needs a positive number, found -1/2"),
        ("log(1 - sqrt(2))", "log() needs a positive number, found about -0.4142136"),
        ("log(8, 1)", "log(x, b) needs a positive base b other than 1, found 1"),
        ("log(8, -2)", "log(x, b) needs a positive base b other than 1, found -2"),
        ("sqrt(-4)", "sqrt() needs a number that is not negative, found -4"),
        ("sqrt(1 - sqrt(2))", "sqrt() needs a number that is not negative, found about -0.4142136"),
        ("round(2.5, 1)", "round(x) takes one argument, found 2"),
        ("ceil()", "ceil(x) takes one argument, found 0"),
        ("pow(2)", "pow(a, b) takes two arguments, found 1"),
        ("log(1, 2, 3)", "log(x) or log(x, b) takes one argument or two arguments, found 3"),
        ("floor(*[1])", "'*' in a call is not allowed"),
        ("flor(2.5)", "unknown function 'flor': expected abs, ceil,"),
        ("ceil(1 == 1)", "ceil() takes numbers, found true"),
        ("sqrt(2) and 1", "'and' takes true or false, found about 1.414214"),
    ],
)
def test_what_the_functions_refuse_says_why(text: str, message: str) -> None:
    with pytest.raises(ExprError) as info:
        evaluate(text, {})
    assert info.value.message.startswith(message), info.value.message


def test_an_unknown_function_close_to_one_is_suggested() -> None:
    with pytest.raises(ExprError) as info:
        evaluate("flor(2.5)", {})
    assert info.value.message.endswith("; did you mean 'floor'?")


small = st.fractions(min_value=-1000, max_value=1000, max_denominator=1000)
positive = st.fractions(min_value=Fraction(1, 1000), max_value=1000, max_denominator=1000)


@given(small)
def test_rounding_functions_are_pythons_own(x: Fraction) -> None:
    import math

    names = {"x": x}
    assert evaluate("ceil(x)", names) == math.ceil(x)
    assert evaluate("floor(x)", names) == math.floor(x)
    assert evaluate("round(x)", names) == round(x)  # Fraction.__round__: half to even
    assert evaluate("int(x)", names) == int(x)
    assert evaluate("abs(x)", names) == abs(x)


@given(small, st.integers(-6, 6))
def test_integer_powers_are_pythons_own(x: Fraction, n: int) -> None:
    if x == 0 and n < 0:
        return
    exact = x**n
    if max(exact.numerator.bit_length(), exact.denominator.bit_length()) > MAX_BITS:
        with pytest.raises(ExprError, match=f"a number of more than {MAX_BITS} bits"):
            evaluate("x ** n", {"x": x, "n": n})
        return
    assert evaluate("x ** n", {"x": x, "n": n}) == exact == evaluate("pow(x, n)", {"x": x, "n": n})


@given(st.integers(0, 2**64 - 1))
def test_the_floor_of_a_square_root_is_the_integer_square_root(n: int) -> None:
    import math

    assert evaluate("floor(sqrt(n))", {"n": n}) == math.isqrt(n)
    assert evaluate("ceil(sqrt(n))", {"n": n}) == (math.isqrt(n - 1) + 1 if n else 0)


@given(st.integers(1, 2**64 - 1), st.integers(2, 10))
def test_the_floor_of_a_logarithm_is_the_integer_logarithm(n: int, base: int) -> None:
    exponent = 0  # the largest e with base ** e ≤ n, by integer multiplication
    while base ** (exponent + 1) <= n:
        exponent += 1
    assert evaluate("floor(log(n, b))", {"n": n, "b": base}) == exponent


@given(st.integers(0, 10**6), st.integers(2, 6))
def test_the_floor_of_a_root_is_the_integer_root(n: int, q: int) -> None:
    root = 0  # the largest r with r ** q ≤ n
    while (root + 1) ** q <= n:
        root += 1
    assert evaluate("floor(n ** (1 / q))", {"n": n, "q": q}) == root


@given(positive, st.integers(1, 10**6))
def test_rounded_logarithms_agree_with_math_log_away_from_a_tie(x: Fraction, scale: int) -> None:
    import math

    approximate = math.log(x) * scale
    if abs(approximate - math.floor(approximate) - 0.5) < 1e-6:
        return  # too near a half for a float to say
    assert evaluate("round(log(x) * k)", {"x": x, "k": scale}) == round(approximate)
    assert (
        evaluate("round(sqrt(x) * k)", {"x": x, "k": scale}) == round(math.sqrt(x) * scale)
        or abs(math.sqrt(x) * scale % 1 - 0.5) < 1e-6
    )


def test_a_huge_power_is_refused_before_it_is_made() -> None:
    # 2 ** 10 ** 10 would be a number of ten billion bits: refused from the sizes of its operands
    for text in ("2 ** 10 ** 10", "pow(3, 10 ** 18)", "(1/2) ** 10 ** 18", "sqrt(2) ** 10 ** 18", "1.5 ** -10 ** 9"):
        with pytest.raises(ExprError):
            evaluate(text, {})


# ---------------------------------------------------------------- through the command line

FUNCTIONS_SPEC = """\
name: expressions
input: [3, 8, 8]
blocks:
  stage:
    params: {out: null, depth: 1.1}
    layers:
      - {name: a, type: conv, out: "ceil(out * depth)", kernel: 3, padding: 1, bias: false}
      - {name: b, type: pointwise, out: "round(2 ** (log(in, 2) + 1))"}
      - {name: c, type: pointwise, out: "int(sqrt(in) * 4)"}
layers:
  - {name: s, type: stage, out: 16}
"""


def test_functions_in_a_spec_by_hand(run: Run, tmp_path: Path) -> None:
    (tmp_path / "net.yaml").write_text(FUNCTIONS_SPEC, encoding="utf-8")
    code, out, err = run("network", str(tmp_path / "net.yaml"), "--format", "json")
    assert (code, err) == (0, "")
    layers = json.loads(out)["networks"][0]["layers"]
    # `in` is the block's input, 3 channels, for every layer of the block:
    # a: ceil(16 · 1.1) = ceil(17.6) = 18 out; 3·3·3·18 = 486 params, × 8·8 positions = 31,104 mults
    # b: round(2 ** (log₂ 3 + 1)) = round(6.000…) = 6 out; 18·6 = 108 params, 6,912 mults
    # c: int(√3 · 4) = int(6.93) = 6 out; 6·6 = 36 params, 2,304 mults
    assert [(x["name"], x["params"], x["mults"]) for x in layers] == [
        ("s.a", 486, 31_104),
        ("s.b", 108, 6_912),
        ("s.c", 36, 2_304),
    ]


def test_what_the_functions_refuse_in_a_spec_is_located(run: Run, tmp_path: Path) -> None:
    spec = tmp_path / "net.yaml"
    spec.write_text(
        "input: [3, 8, 8]\n"
        "blocks:\n"
        "  stage:\n"
        "    params: {out: null}\n"
        "    layers:\n"
        '      - {name: a, type: conv, out: "sqrt(out)", kernel: 1}\n'
        '      - {name: b, type: conv, out: "floor(log(8) / log(2))", kernel: 1}\n'
        '      - {name: c, type: conv, out: "2 ** 10 ** 10", kernel: 1}\n'
        '      - {name: d, type: conv, out: "ceil(out, 2)", kernel: 1}\n'
        '      - {name: e, type: conv, out: "flor(out / 3)", kernel: 1}\n'
        '      - {name: f, type: conv, out: "out / 4", kernel: 1}\n'
        "layers:\n"
        "  - {name: s, type: stage, out: 18}\n",
        encoding="utf-8",
    )
    code, out, err = run("network", str(spec))
    at = str(spec)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{at}:6:36: layers[0] (s.a): out: an irrational number (about 4.242641): log, sqrt and fractional powers"
        " make numbers that round(), ceil(), floor() or int() must make whole before they leave an expression"
        " (in 'sqrt(out)')",
        f"{at}:7:36: layers[0] (s.b): out: floor() cannot be decided: about 3, too close to call at 256 bits (an"
        " irrational number computed from log, sqrt or a fractional power; written exactly, such as log(x, b) for"
        " log(x) / log(b), it can) (in 'floor(log(8) / log(2))')",
        f"{at}:8:36: layers[0] (s.c): out: a number of more than 64 bits: 2 ** 10000000000 (in '2 ** 10 ** 10')",
        f"{at}:9:36: layers[0] (s.d): out: ceil(x) takes one argument, found 2 (in 'ceil(out, 2)')",
        f"{at}:10:36: layers[0] (s.e): out: unknown function 'flor': expected abs, ceil, divisible, floor, int, log,"
        " max, min, pow, round or sqrt; did you mean 'floor'? (in 'flor(out / 3)')",
        f"{at}:11:36: layers[0] (s.f): out: expected a whole number, found 9/2 (in 'out / 4')",
    ]


_LEAVES = st.sampled_from(["0", "1", "2", "-1", "0.5", "1.1", "2.52", "10", "64", "1e19", "x", "(1/3)", "-0.001"])


def _grown(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    operator = st.sampled_from(["+", "-", "*", "/", "//", "**", "<", "=="])
    one = st.sampled_from(["ceil", "floor", "round", "int", "abs", "sqrt", "log"])
    two = st.sampled_from(["pow", "log", "min", "max", "divisible"])
    return st.one_of(
        st.tuples(children, operator, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(one, children).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(two, children, children).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
    )


@given(st.recursive(_LEAVES, _grown, max_leaves=20))
def test_any_expression_of_the_functions_is_a_value_or_an_expression_error(text: str) -> None:
    try:
        value = evaluate(text, {"x": 7})
    except ExprError as error:
        assert error.message
    else:
        assert isinstance(value, int | Fraction | bool)
        if isinstance(value, int | Fraction) and not isinstance(value, bool):
            value = Fraction(value)
            assert max(value.numerator.bit_length(), value.denominator.bit_length()) <= MAX_BITS
