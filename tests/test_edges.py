"""Hostile and broken input at the edges: numbers too large to write, floats that are not the
number written, baselines written only after everything else, output that cannot be written,
and exit codes that mean one thing (0 done, 1 a limit, 2 bad input, usage or output, 130
interrupted, 70 a bug). Each reproducer of the issue is a test here."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import Run

from dsc_cost import check as checking
from dsc_cost import units

DIGITS = units.max_digits() or 4300  # Python's limit of digits of int <-> str (4,300 by default)
SMALL = "name: m\ninput: [3, 8, 8]\n{budget}layers:\n  - {{type: conv, out: 8, kernel: 3}}\n"
# a 3×3 conv from 3 to 8 channels on 8×8 (no padding → 6×6): params 3·8·9 = 216; mults 216·36 = 7,776


def spec(tmp_path: Path, text: str, name: str = "m.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def small(tmp_path: Path, budget: str = "") -> str:
    return spec(tmp_path, SMALL.format(budget=f"budget: {budget}\n" if budget else ""))


def one_line(err: str) -> None:
    assert err.count("\n") == 1 and "Traceback" not in err, err


# ---------------------------------------------------------------- numbers: display


def test_digits_without_writing_the_number() -> None:
    assert [units.digits(n) for n in (0, 9, 10, 999, 10**15 - 1, 10**15, 10**5000 - 1, 10**5000)] == [
        1, 1, 2, 3, 15, 16, 5000, 5001,
    ]  # fmt: skip


def test_scientific_rounds_half_up_exactly() -> None:
    assert units.scientific(12_345_678_901_234_567) == "1.235e16"  # 1.2345… → 1.235 (4 digits)
    assert units.scientific(99_995 * 10**20) == "1e25"  # 9.9995 rounds up to 10.00: one more digit
    assert units.scientific(10**5000) == "1e5000"
    assert units.scientific(Fraction(1, 3), 3) == "3.33e-1"
    assert units.scientific(-(10**400)) == "-1e400"


def test_short_switches_to_scientific_past_the_largest_suffix() -> None:
    assert units.short(10**15 - 1) == "1000T"  # 999.999…T rounds to 1000T
    assert units.short(10**15) == "1e15"
    assert units.short(10**80) == "1e80"
    assert units.short(7 * 10**8597 + 2 * 10**8596) == "7.2e8597"  # more digits than Python writes


def test_exact_past_the_digits_python_writes() -> None:
    assert units.exact(10 ** (DIGITS - 1)) == f"{10 ** (DIGITS - 1):,}"  # DIGITS digits: written in full
    assert units.exact(10**DIGITS) == f"≈1e{DIGITS}"
    assert units.integer(123 * 10**DIGITS) == f"≈1.23e{DIGITS + 2}"


def test_ratios_beyond_a_float() -> None:
    tiny = Fraction(1, 10**400)
    assert units.fewer(tiny) == "1e400× fewer"
    assert units.fewer(1 / tiny) == "1e400× more"
    assert units.ratio(1 / tiny) == "1e400"
    assert units.percent(10**400, 3) == "3.333e401%"  # 100 · 10^400 / 3
    assert units.percent_of(-1 / tiny) == "-1e402%"
    with pytest.raises(units.TooLarge, match="beyond the range of a float"):
        units.to_float(1 / tiny)


# ---------------------------------------------------------------- numbers: through the command line


def test_an_input_of_4301_digits_is_refused_where_it_is(tmp_path: Path, run: Run) -> None:
    big = "1" + "0" * DIGITS  # 4,301 digits
    path = spec(tmp_path, f"name: big\ninput: [1, {big}, 1]\nlayers:\n  - {{type: conv, out: 8, kernel: 3}}\n")
    for fmt in ("table", "json", "csv", "markdown"):
        code, out, err = run("network", path, "--format", fmt)
        assert (code, out) == (2, ""), fmt
        one_line(err)
        assert err.startswith(f"{path}:2:")


def test_counts_of_more_digits_than_python_writes(tmp_path: Path, run: Run) -> None:
    # input 1 × 10^4298 × 10^4298 (4,299 digits each), conv 3×3 to 8 channels: output 8 × (10^4298 − 2)²,
    # mults 72 · (10^4298 − 2)² ≈ 7.2e8597: shown in scientific form, refused in JSON and CSV
    side = "1" + "0" * (DIGITS - 2)
    path = spec(tmp_path, f"name: h\ninput: [1, {side}, {side}]\nlayers:\n  - {{type: conv, out: 8, kernel: 3}}\n")
    for fmt in ("table", "markdown"):
        code, out, err = run("network", path, "--format", fmt, "--exact")
        assert (code, err) == (0, ""), err
        assert "7.2e8597" in out
    for fmt in ("json", "csv"):
        code, out, err = run("network", path, "--format", fmt)
        assert (code, out) == (2, ""), fmt
        one_line(err)
        assert err.startswith("dsc-cost: value too large:") and f"{DIGITS:,} digits" in err
    code, out, err = run("check", path, "--max-mults", "1")
    assert code == 1 and "7.2e8597" in out and err == ""
    code, out, err = run("check", path, "--max-mults", "1", "--format", "json")
    assert (code, out) == (2, "") and "value too large" in err


def test_compare_refuses_huge_or_unwritable_options(run: Run) -> None:
    code, out, err = run("compare", "-c", "1", "-o", "1e400", "-k", "1e200", "--size", "1e200")
    assert (code, out) == (2, "") and "Traceback" not in err
    code, out, err = run("compare", "-c", "1" + "0" * DIGITS, "-o", "1", "--size", "3")
    assert (code, out) == (2, "") and "value too large" in err


def test_compare_with_a_huge_multiplier(run: Run) -> None:
    # -m 10^400: the separable form costs ~10^400 times more; every display stays finite
    code, out, err = run("compare", "-c", "1", "-o", "1", "-k", "1", "--size", "1", "-m", "1" + "0" * 400)
    assert (code, err) == (0, ""), err
    assert "× more" in out and "e400" in out
    code, out, err = run("compare", "-c", "1", "-o", "1", "-k", "1", "--size", "1", "-m", "1" + "0" * 400, "-f", "json")
    assert (code, out) == (2, "") and "beyond the range of a float" in err


def test_a_multiplier_written_1e400_is_refused_where_it_is(tmp_path: Path, run: Run) -> None:
    path = spec(
        tmp_path, "name: s\ninput: [3, 8, 8]\nlayers:\n  - {type: separable, out: 8, kernel: 3, multiplier: 1e400}\n"
    )
    code, out, err = run("network", path)
    assert (code, out) == (2, "")
    one_line(err)
    assert err.startswith(f"{path}:4:")


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_budget_of_1e999(tmp_path: Path, run: Run, fmt: str) -> None:
    code, out, err = run("check", small(tmp_path, "{max_params: 1e999}"), "--format", fmt)
    assert (code, err) == (0, ""), err
    if fmt == "json":
        assert json.loads(out)["networks"][0]["limits"]["max_params"]["limit"] == 10**999
    else:
        assert "params 216 / 1e999" in out


def test_max_mults_1e80_with_a_baseline_update(tmp_path: Path, run: Run) -> None:
    baseline = tmp_path / "b.json"
    code, out, err = run(
        "check", small(tmp_path), "--baseline", str(baseline), "--update-baseline", "--max-mults", "1e80"
    )
    assert (code, err) == (0, ""), err
    assert "mults 7.776K / 1e80" in out
    totals = json.loads(baseline.read_text())["networks"][0]["totals"]
    assert (totals["params"], totals["mults"]) == (216, 7776)


def test_min_savings_written_as_a_small_float_is_exact(tmp_path: Path) -> None:
    # YAML gives 0.00001 as the float 1e-05; the limit is exactly 1/100000
    limits, problems = checking.parse_budget({"min_savings": 0.00001})
    assert problems == [] and limits.min_savings_vs_standard == Fraction(1, 100_000)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (1.2e9, 1_200_000_000),
        (1.2e19, 12_000_000_000_000_000_000),  # 2 significant digits: exactly 1.2 × 10^19
        (1e80, 10**80),
        (4.5e6, 4_500_000),
    ],
)
def test_floats_that_are_the_number_written(raw: float, value: int) -> None:
    assert checking.parse_limit("max_params", raw) == value


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (12345678901234567890.0, "more than 15 significant digits"),  # the float is 12345678901234567168
        (float("inf"), "too large for a float"),
        (float("nan"), "a finite number"),
    ],
)
def test_floats_that_are_not_the_number_written(raw: float, says: str) -> None:
    with pytest.raises(units.NumberError) as info:
        checking.parse_limit("max_params", raw)
    assert says in str(info.value) + info.value.note


def test_an_inexact_float_budget_is_refused_where_it_is(tmp_path: Path, run: Run) -> None:
    path = small(tmp_path, "{max_params: 12345678901234567890.0}")
    code, out, err = run("check", path)
    assert (code, out) == (2, "")
    one_line(err)
    assert err.startswith(f"{path}:3:") and '"12345678901234567890"' in err
    code, out, err = run("check", small(tmp_path, "{max_params: 1.0e+400}"))
    assert (code, out) == (2, "") and "too large for a float" in err


def test_widths_above_the_bound_are_a_usage_error(tmp_path: Path, run: Run) -> None:
    path = small(tmp_path)
    for width in ("1e100000", "101", "1e999999999"):
        code, out, err = run("sweep", path, "-w", width, "-r", "8")
        assert (code, out) == (2, ""), width
        assert "Traceback" not in err
    code, out, err = run("sweep", path, "-w", "100", "-r", "8", "--format", "csv")
    assert code == 0, err  # 100 × 8 = 800 channels: 3 · 800 · 9 = 21,600 params
    assert ",21600," in out


def test_a_baseline_with_a_4301_digit_integer(tmp_path: Path, run: Run) -> None:
    baseline = tmp_path / "b.json"
    big = "1" + "0" * DIGITS
    baseline.write_text(f'{{"networks": [{{"name": "m", "totals": {{"params": {big}, "mults": 1}}}}]}}')
    code, out, err = run("check", small(tmp_path), "--baseline", str(baseline))
    assert (code, out) == (2, "")
    one_line(err)
    assert "value too large" in err


def test_a_baseline_of_endless_zeros_is_refused_quickly(tmp_path: Path, run: Run) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    code, out, err = run("check", small(tmp_path), "--baseline", "/dev/zero")
    assert (code, out) == (2, "")
    one_line(err)
    assert "larger than" in err


# ---------------------------------------------------------------- baselines written last


def test_the_baseline_is_not_written_when_the_report_cannot_be(tmp_path: Path, run: Run) -> None:
    side = "1" + "0" * (DIGITS - 2)
    path = spec(tmp_path, f"name: m\ninput: [1, {side}, {side}]\nlayers:\n  - {{type: conv, out: 8, kernel: 3}}\n")
    baseline = tmp_path / "b.json"
    baseline.write_text('{"networks": []}\n')
    code, out, _ = run("check", path, "--baseline", str(baseline), "--update-baseline", "--format", "json")
    assert (code, out) == (2, "")
    assert baseline.read_text() == '{"networks": []}\n'


def test_a_failure_while_rendering_leaves_the_baseline(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dsc_cost.report

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("a bug")

    monkeypatch.setattr(dsc_cost.report, "check_output", broken)
    baseline = tmp_path / "b.json"
    code, out, err = run("check", small(tmp_path), "--baseline", str(baseline), "--update-baseline")
    assert (code, out) == (70, "")
    one_line(err)
    assert not baseline.exists()


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
@pytest.mark.parametrize(("signame", "code"), [("SIGTERM", 128 + 15), ("SIGHUP", 128 + 1)])
def test_a_signal_during_the_write_leaves_no_temporary_file(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch, signame: str, code: int
) -> None:
    number = getattr(signal, signame)
    baseline = tmp_path / "b.json"
    baseline.write_text('{"networks": []}\n')

    def killed(descriptor: int) -> None:
        os.kill(os.getpid(), number)  # delivered to this process while the temporary file is open

    monkeypatch.setattr(os, "fsync", killed)
    before = signal.getsignal(number)
    got, out, err = run("check", small(tmp_path), "--baseline", str(baseline), "--update-baseline")
    assert (got, out) == (code, "")
    assert err == f"dsc-cost: {signame}: the baseline was left as it was\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.json", "m.yaml"]  # no .b.json.XXXX.tmp
    assert baseline.read_text() == '{"networks": []}\n'
    assert signal.getsignal(number) == before  # the handler is restored


# ---------------------------------------------------------------- output that cannot be written


def dsc_cost(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "dsc_cost", *args], text=True, **kwargs
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_standard_output_to_a_full_device() -> None:
    with open("/dev/full", "w") as full:
        done = dsc_cost("network", "configs/mobilenet_v1.yaml", stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2
    assert done.stderr == "dsc-cost: cannot write the output: No space left on device\n"
    with open("/dev/full", "w") as full:
        done = dsc_cost("--help", stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2
    one_line(done.stderr)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_standard_error_to_a_full_device_exits_quietly_with_the_code() -> None:
    with open("/dev/full", "w") as full:
        done = dsc_cost("network", "no-such-file.yaml", stdout=subprocess.PIPE, stderr=full)
        assert (done.returncode, done.stdout) == (2, "")
        done = dsc_cost("check", "configs/mobilenet_v1.yaml", "--max-params", "1", stdout=full, stderr=full)
        assert done.returncode == 2  # output lost: the failure to write it wins over the verdict


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX descriptors")
def test_a_closed_standard_output() -> None:
    done = dsc_cost("network", "configs/mobilenet_v1.yaml", stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))
    assert done.returncode == 2
    assert done.stderr == "dsc-cost: cannot write the output: standard output is closed\n"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
@pytest.mark.parametrize(("args", "code"), [(("--max-params", "1"), 1), ((), 0)])
def test_a_reader_that_goes_away_keeps_the_exit_code(args: tuple[str, ...], code: int) -> None:
    # `dsc-cost check m.yaml --max-params 1 | true`: the verdict (1) survives the closed pipe
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written
    try:
        done = dsc_cost("check", "configs/mobilenet_v1.yaml", *args, stdout=write, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (code, "")


# ---------------------------------------------------------------- exit codes


def test_click_exceptions_are_usage_errors(monkeypatch: pytest.MonkeyPatch, run: Run) -> None:
    from dsc_cost.cli import _click as click
    from dsc_cost.cli import network

    def fails(*args: object, **kwargs: object) -> None:
        raise click.ClickException("a click failure")  # click's own exit code would be 1

    monkeypatch.setattr(network, "emit", fails)
    code, out, err = run("network", "configs/mobilenet_v1.yaml")
    assert (code, out) == (2, "")
    assert err == "Error: a click failure\n"


@pytest.mark.parametrize(("raised", "code"), [(SystemExit(None), 0), (SystemExit(1), 1), (SystemExit(9), 70)])
def test_system_exit_codes_mean_one_thing(
    monkeypatch: pytest.MonkeyPatch, run: Run, raised: SystemExit, code: int
) -> None:
    from dsc_cost.cli import network

    def exits(*args: object, **kwargs: object) -> None:
        raise raised

    monkeypatch.setattr(network, "emit", exits)
    assert run("network", "configs/mobilenet_v1.yaml")[0] == code


def test_an_abort_is_an_interruption(monkeypatch: pytest.MonkeyPatch, run: Run) -> None:
    import typer

    from dsc_cost.cli import network

    def aborts(*args: object, **kwargs: object) -> None:
        raise typer.Abort()

    monkeypatch.setattr(network, "emit", aborts)
    assert run("network", "configs/mobilenet_v1.yaml")[:2] == (130, "")


def test_an_internal_error_while_rendering_is_70(monkeypatch: pytest.MonkeyPatch, run: Run) -> None:
    import dsc_cost.report

    def broken(*args: object, **kwargs: object) -> str:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(dsc_cost.report, "network_output", broken)
    code, out, err = run("network", "configs/mobilenet_v1.yaml")
    assert (code, out) == (70, "")
    one_line(err)
    assert err.startswith("dsc-cost: internal error: ZeroDivisionError: oops.")
    monkeypatch.setenv("DSC_COST_DEBUG", "1")
    code, out, err = run("network", "configs/mobilenet_v1.yaml")
    assert code == 70 and err.startswith("Traceback") and err.endswith("command that caused it.\n")


def test_a_long_value_is_quoted_short(run: Run) -> None:
    long = "1" + "0" * 300  # a count of more than 64 characters: not a count anyone writes
    code, out, err = run("check", "configs/mobilenet_v1.yaml", "--max-mults", long)
    assert (code, out) == (2, "")
    assert "'" + "1" + "0" * 78 + "…'" in err and len(err) < 400
