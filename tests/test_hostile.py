"""Hostile input, third round: each case an attack measured against dsc-cost, made small (a lower
--max-layers where the bound decides) so that it runs fast; what is asserted holds whatever the machine's
speed (the exit code, the one located line, the work done). The times are benchmarks/bounds.py's."""

from __future__ import annotations

import textwrap
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import Run

from dsc_cost.expr import MAX_BITS, ExprError, evaluate


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return str(path)


# ---------------------------------------------------------------- numbers where they enter


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.1", Fraction(1, 10)),  # the decimal written, not the float nearest it
        ("0.30000000000000004 * 10", Fraction(30000000000000004, 10**17) * 10),
        ("1e19", 10**19),  # 64 bits: 2**64 is 1.8e19
        ("1e-19", Fraction(1, 10**19)),
        ("2.5e-1", Fraction(1, 4)),
        ("1_0.5", Fraction(21, 2)),
        ("0e999999999", 0),  # zero, however it is written, without making 10**999999999
        ("1500e-2", 15),
    ],
)
def test_a_decimal_literal_is_exactly_what_is_written(text: str, value: object) -> None:
    assert evaluate(text, {}) == value


@pytest.mark.parametrize("text", ["1e309", "-1e309", "1e20", "1e-65", "1e999999999", "c > 1e309", "9" * 21 + ".0"])
def test_a_literal_of_more_bits_than_an_expression_holds_is_refused(text: str) -> None:
    with pytest.raises(ExprError) as info:
        evaluate(text, {"c": 8})
    assert info.value.message.startswith(f"a number of more than {MAX_BITS} bits")


FLOAT_IN_A_BLOCK = """\
    input: [3, 8, 8]
    blocks:
      b:
        params: {c: 8}
        layers:
          - {type: conv, out: OUT, kernel: 3IF}
    layers:
      - {type: bARG}
"""


@pytest.mark.parametrize(
    ("out", "condition", "argument", "expected"),
    [
        ('"c * 1e309"', "", "", "6:27: layers[0] (b1.layers[0]): out: a number of more than 64 bits: 1e309"),
        ("c", ', if: "c > 1e309"', "", "6:45: layers[0] (b1.layers[0]): if: a number of more than 64 bits: 1e309"),
        ("c", "", ', c: "1e309"', "8:18: layers[0]: c: a number of more than 64 bits: 1e309 (in '1e309')"),
    ],
)
def test_a_float_literal_beyond_a_float_in_an_expression_is_one_located_line(
    run: Run, tmp_path: Path, out: str, condition: str, argument: str, expected: str
) -> None:
    text = FLOAT_IN_A_BLOCK.replace("OUT", out).replace("IF", condition).replace("ARG", argument)
    spec = write(tmp_path, "net.yaml", text)
    code, stdout, stderr = run("network", spec)
    assert (code, stdout) == (2, "")
    [line] = stderr.splitlines()
    assert line.startswith(f"{spec}:{expected}")
